import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO } from './support/request.js';
import { findSecretMaterial } from './support/secrets.js';

function yamlFiles(dir: string, suffix = '.yaml'): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? yamlFiles(path, suffix) : path.endsWith(suffix) ? [path] : [];
  });
}

const CONDITION_STATUS: Record<string, string> = {
  STATUS_CONDITION_TRUE: 'True',
  STATUS_CONDITION_FALSE: 'False',
  STATUS_CONDITION_UNKNOWN: 'Unknown',
};

/** Golden responses with a rendered counterpart (the bad-input goldens have none). */
function goldenFiles(): string[] {
  return yamlFiles(`${REPO}test/golden`, '.json').filter((f) => !f.includes('/bad/'));
}

interface Said {
  status: Record<string, unknown>;
  conditions: Array<{ type: string; status: string; reason: string; message: string }>;
}

/** The XR's status and conditions in a rendered file, and in its golden response. */
function renderedAgainstGolden(golden: string, rendered: string): { rendered: Said; expected: Said } {
  const rsp = JSON.parse(readFileSync(golden, 'utf8')) as {
    desired: { composite: { resource: { status?: Record<string, unknown> } } };
    conditions?: Array<{ type: string; status: string; reason: string; message?: string }>;
  };
  const xr = parseAllDocuments(readFileSync(rendered, 'utf8'))[0]?.toJS() as {
    status?: { conditions?: Array<Record<string, string>> } & Record<string, unknown>;
  };
  const { conditions = [], ...status } = xr.status ?? {};
  return {
    rendered: {
      status,
      conditions: conditions
        .filter((c) => c.type !== 'Ready' && c.type !== 'Synced')
        .map((c) => ({
          type: c.type ?? '',
          status: c.status ?? '',
          reason: c.reason ?? '',
          message: c.message ?? '',
        })),
    },
    expected: {
      status: rsp.desired.composite.resource.status ?? {},
      conditions: (rsp.conditions ?? []).map((c) => ({
        type: c.type,
        status: CONDITION_STATUS[c.status] ?? c.status,
        reason: c.reason,
        message: c.message ?? '',
      })),
    },
  };
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

      // What the real CLI rendered says what the golden responses say: status and conditions, at the
      // same fixed time (scripts/render-time.mjs), so no render depends on the day it is made.
      const compared = goldenFiles().map((golden) => {
        const rendered = golden
          .replace(`${REPO}test/golden/`, `${REPO}_output/render/`)
          .replace(/\.json$/, '.yaml');
        return { golden, ...renderedAgainstGolden(golden, rendered) };
      });
      expect(compared.length).toBeGreaterThan(20);
      for (const c of compared)
        expect({ file: c.golden, ...c.rendered }).toEqual({ file: c.golden, ...c.expected });
    },
    30 * 60 * 1000,
  );
});
