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

/** What make generate writes: the TypeScript models, and the Go types of make bench's native reference. */
const GENERATED = [
  { name: 'models', script: 'generate-models.mjs', committed: MODELS, dirVariable: 'MODELS_DIR' },
  {
    name: 'Go models of the native reference',
    script: 'generate-go-models.mjs',
    committed: join(REPO, 'tools', 'gonative-function', 'models'),
    dirVariable: 'GO_MODELS_DIR',
  },
];

(existsSync(CRDS) ? describe : describe.skip)('make generate', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'devplatform-models-fresh-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it.each(GENERATED)(
    'writes exactly the committed $name',
    ({ name, script, committed, dirVariable }) => {
      const out = join(fresh, name.replace(/\W+/g, '-'));
      execFileSync(process.execPath, [join(REPO, 'scripts', script)], {
        env: { ...process.env, CRDS_DIR: CRDS, [dirVariable]: out },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const kept = files(committed).map((f) => relative(committed, f));
      const generated = files(out).map((f) => relative(out, f));
      expect(generated.sort()).toEqual(kept.sort());
      const differing = kept.filter(
        (f) => readFileSync(join(committed, f), 'utf8') !== readFileSync(join(out, f), 'utf8'),
      );
      expect(differing).toEqual([]);
    },
    300_000,
  );
});
