import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO } from './support/request.js';
import { findSecretMaterial } from './support/secrets.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? yamlFiles(path) : path.endsWith('.yaml') ? [path] : [];
  });
}

/**
 * The `make render` pipeline, end to end: the built function served with --insecure, every example
 * rendered by the real Crossplane CLI, and the output validated against the upstream CRDs. Needs the
 * build (make test builds first) and builds the pinned CLI into the cache on first use.
 */
describe('make render pipeline', () => {
  it(
    'renders and validates every example',
    () => {
      expect(existsSync(`${REPO}dist/functions/server/main.js`)).toBe(true);
      const out = execFileSync(process.execPath, [`${REPO}scripts/render.mjs`], {
        encoding: 'utf8',
        env: { ...process.env, QUIET: '1' },
        timeout: 25 * 60 * 1000,
      });
      expect(out).toContain('make render: all examples rendered and validated');
      expect(out).toMatch(/0 missing schemas, \d+ success cases, 0 failure cases/);
      const rendered = readdirSync(`${REPO}_output/render/devenvironment/vcluster`).sort();
      expect(rendered).toEqual(['initial.yaml', 'ready.yaml', 'vcluster-ready.yaml']);

      // Nothing the real CLI rendered holds secret material.
      const findings = yamlFiles(`${REPO}_output/render`).flatMap((file) =>
        parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) =>
          findSecretMaterial(JSON.stringify(doc.toJS())).map((f) => `${file}: ${f}`),
        ),
      );
      expect(findings).toEqual([]);
    },
    30 * 60 * 1000,
  );
});
