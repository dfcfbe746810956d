import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '../functions/models/crds/sql.gcp.m.upbound.io/v1beta1/Database.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every repo module the given entry point imports, directly or not (relative imports only). */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\b[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gms)) {
      const spec = match[1] ?? '';
      const target = resolve(dirname(file), spec);
      const ts = target.replace(/\.js$/, '.ts');
      visit(existsSync(ts) ? ts : target);
    }
    for (const match of text.matchAll(/^import\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      visit(resolve(dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return new Set([...seen].map((file) => relative(root, file)));
}

describe('generated models at run time', () => {
  const graph = importGraph(join(root, 'functions/server/main.ts'));

  it('the walk sees the composers and the models they build with', () => {
    expect(graph).toContain('functions/server/handler.ts');
    expect(graph).toContain('functions/devenvironment/compose.ts');
    expect(graph).toContain('functions/models/crds/container.gcp.m.upbound.io/v1beta1/Cluster.ts');
    expect(graph).toContain('functions/models/apis/devplatform.io/v1alpha1/DevEnvironment.ts');
  });

  it('the running function never loads the composed resources schema validators', () => {
    const loaded = [...graph].filter(
      (file) => file.includes('models/crds/_schemas/') || file === 'functions/models/crds/validators.ts',
    );
    expect(loaded).toEqual([]);
  });

  it('the XRs it validates keep their validators', () => {
    expect([...graph].some((file) => file.startsWith('functions/models/apis/_schemas/'))).toBe(true);
  });

  it('a composed model without its validator says so instead of passing', () => {
    const database = new Database({ spec: { forProvider: {} } });
    expect(() => database.validate()).toThrow(
      'sql.gcp.m.upbound.io/v1beta1 Database: schema validators are not loaded; import functions/models/crds/validators.js first',
    );
  });
});
