import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Component } from '../functions/models/crds/dapr.io/v1alpha1/Component.js';
import { Resiliency } from '../functions/models/crds/dapr.io/v1alpha1/Resiliency.js';
import '../functions/models/crds/validators.js';
import type { JsonObject } from '../functions/shared/objects.js';
import { REPO } from './support/request.js';

/**
 * scripts/local-components.mjs writes Dapr components for `dapr run` under the names the platform
 * gives the app in its environment: for each example AppStack (both flavours), the files carry the
 * same component names, types of the same family and the same app ID as the golden response's
 * components, and validate against Dapr's CRDs. It stands in for a real `dapr run`: whether the
 * local Redis or PostgreSQL accepts them is not tested here.
 */
const EXAMPLES = [
  'examples/appstack/namespace/xr.yaml',
  'examples/appstack/gke/xr.yaml',
  'examples/appstack/eks/xr.yaml',
  'examples/claims/appstack/claim.yaml',
];

function run(file: string, out: string, extra: string[] = []): string {
  return execFileSync(
    process.execPath,
    [join(REPO, 'scripts', 'local-components.mjs'), file, '--out', out, ...extra],
    { cwd: REPO, encoding: 'utf8' },
  );
}

/** The Dapr components of the example's golden response at Ready: name → {type, scopes}. */
function platformComponents(file: string): Map<string, { type: string; scopes: string[] }> {
  const dir = file.replace(/\/(xr|claim)\.yaml$/, '').replace(/^examples\//, 'test/golden/');
  const golden = JSON.parse(readFileSync(join(REPO, dir, 'ready.json'), 'utf8')) as {
    desired: { resources: Record<string, { resource: JsonObject }> };
  };
  const found = new Map<string, { type: string; scopes: string[] }>();
  for (const { resource } of Object.values(golden.desired.resources)) {
    const manifest = (resource.spec as { forProvider?: { manifest?: JsonObject } } | undefined)?.forProvider
      ?.manifest;
    if (manifest?.kind !== 'Component') continue;
    const { name } = manifest.metadata as { name: string };
    found.set(name, { type: (manifest.spec as { type: string }).type, scopes: manifest.scopes as string[] });
  }
  return found;
}

const family = (type: string) => type.split('.')[0];

describe.each(EXAMPLES)('local components of %s', (file) => {
  const out = mkdtempSync(join(tmpdir(), 'local-components-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const printed = run(file, out);
  const docs = readdirSync(out).map((f) => parse(readFileSync(join(out, f), 'utf8')) as JsonObject);
  const components = docs.filter((d) => d.kind === 'Component');

  it('has the names, type families and app ID of the components in the environment', () => {
    const platform = platformComponents(file);
    expect(platform.size).toBeGreaterThan(0);
    expect(components.map((c) => (c.metadata as { name: string }).name).sort()).toEqual(
      [...platform.keys()].sort(),
    );
    for (const c of components) {
      const there = platform.get((c.metadata as { name: string }).name)!;
      expect(family((c.spec as { type: string }).type)).toBe(family(there.type));
      expect(c.scopes).toEqual(there.scopes);
    }
    expect(printed).toContain(
      `dapr run --app-id ${String(components[0]!.scopes && (components[0]!.scopes as string[])[0])}`,
    );
  });

  it('validates against the Dapr CRDs and holds no credential', () => {
    for (const doc of docs) {
      if (doc.kind === 'Component') new Component(doc as never).validate();
      else new Resiliency(doc as never).validate();
      const metadata = (doc.spec as { metadata?: Array<{ name: string; value?: string }> }).metadata ?? [];
      const password = metadata.find((m) => m.name === 'redisPassword');
      if (password !== undefined)
        expect(password).toEqual({ name: 'redisPassword', envRef: 'REDIS_PASSWORD' });
    }
    expect(docs.some((d) => d.kind === 'Resiliency')).toBe(true);
  });
});

it('says what is wrong with an AppStack that asks for no capabilities', () => {
  const out = mkdtempSync(join(tmpdir(), 'local-components-'));
  const bad = join(out, 'app.yaml');
  const app = parse(readFileSync(join(REPO, 'examples/appstack/vcluster/xr.yaml'), 'utf8')) as JsonObject;
  delete (app.spec as JsonObject).capabilities;
  writeFileSync(bad, stringify(app));
  expect(() => run(bad, join(out, 'components'))).toThrow(/asks for no capabilities \(spec\.capabilities\)/);
  rmSync(out, { recursive: true, force: true });
});
