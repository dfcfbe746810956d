import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { REPO } from './support/request.js';

/**
 * The committed models (functions/models/) are what `make generate` writes from the CRDs, our XRDs
 * and the input CRD today: a changed XRD or policy input without `make generate` fails here, not
 * later as a model that no longer matches its schema. Needs the upstream CRDs (CRDS_DIR).
 */
const CRDS = resolve(REPO, process.env.CRDS_DIR || '../shared/crds');
const MODELS = join(REPO, 'functions', 'models');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

(existsSync(CRDS) ? describe : describe.skip)('make generate', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'devplatform-models-fresh-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('writes exactly the committed models', () => {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'generate-models.mjs')], {
      env: { ...process.env, CRDS_DIR: CRDS, MODELS_DIR: fresh },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const committed = files(MODELS).map((f) => relative(MODELS, f));
    const generated = files(fresh).map((f) => relative(fresh, f));
    expect(generated.sort()).toEqual(committed.sort());
    const differing = committed.filter(
      (f) => readFileSync(join(MODELS, f), 'utf8') !== readFileSync(join(fresh, f), 'utf8'),
    );
    expect(differing).toEqual([]);
  }, 300_000);
});

(existsSync(CRDS) ? describe : describe.skip)('make generate (Go models of the native reference)', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'devplatform-go-models-fresh-'));
  const committedDir = join(REPO, 'tools', 'gonative-function', 'models');
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('writes exactly the committed Go models', () => {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'generate-go-models.mjs')], {
      env: { ...process.env, CRDS_DIR: CRDS, GO_MODELS_DIR: fresh },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const committed = files(committedDir).map((f) => relative(committedDir, f));
    expect(
      files(fresh)
        .map((f) => relative(fresh, f))
        .sort(),
    ).toEqual(committed.sort());
    const differing = committed.filter(
      (f) => readFileSync(join(committedDir, f), 'utf8') !== readFileSync(join(fresh, f), 'utf8'),
    );
    expect(differing).toEqual([]);
  }, 120_000);
});
