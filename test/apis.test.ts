import { readFileSync } from 'node:fs';
import { walk } from '../scripts/tools.mjs';
import { REPO, readYaml, readYamlDocs } from './support/request.js';
import { resolvePolicy } from '../functions/shared/policy/policy.js';
import type { JsonObject } from '../functions/shared/objects.js';
import { functionName } from '../scripts/package-name.mjs';

const schemaOf = (xrd: JsonObject) =>
  (xrd.spec as { versions: Array<{ schema: unknown }> }).versions.map((v) => v.schema);

describe('APIs', () => {
  const v2 = readYaml('apis/devenvironment/definition.yaml');
  const legacy = readYaml('apis/claims/devenvironment/definition.yaml');

  it('ships a namespaced v2 XRD and a legacy XRD with claims in another group', () => {
    expect(v2).toMatchObject({
      apiVersion: 'apiextensions.crossplane.io/v2',
      spec: { group: 'devplatform.io', scope: 'Namespaced', names: { kind: 'DevEnvironment' } },
    });
    expect(legacy).toMatchObject({
      apiVersion: 'apiextensions.crossplane.io/v1',
      spec: {
        group: 'claims.devplatform.io',
        names: { kind: 'XDevEnvironment' },
        claimNames: { kind: 'DevEnvironment' },
      },
    });
  });

  it('keeps the v2 and legacy schemas identical', () => {
    expect(schemaOf(legacy)).toEqual(schemaOf(v2));
    expect(schemaOf(readYaml('apis/claims/appstack/definition.yaml'))).toEqual(
      schemaOf(readYaml('apis/appstack/definition.yaml')),
    );
  });

  it('ships AppStack in both flavours too', () => {
    expect(readYaml('apis/appstack/definition.yaml')).toMatchObject({
      apiVersion: 'apiextensions.crossplane.io/v2',
      spec: { group: 'devplatform.io', scope: 'Namespaced', names: { kind: 'AppStack' } },
    });
    expect(readYaml('apis/claims/appstack/definition.yaml')).toMatchObject({
      apiVersion: 'apiextensions.crossplane.io/v1',
      spec: {
        group: 'claims.devplatform.io',
        names: { kind: 'XAppStack' },
        claimNames: { kind: 'AppStack' },
      },
    });
  });

  it('makes type immutable with CEL', () => {
    const type = (
      schemaOf(v2)[0] as { openAPIV3Schema: { properties: { spec: { properties: { type: JsonObject } } } } }
    ).openAPIV3Schema.properties.spec.properties.type;
    expect(type['x-kubernetes-validations']).toEqual([expect.objectContaining({ rule: 'self == oldSelf' })]);
  });

  it.each([
    'apis/devenvironment/composition.yaml',
    'apis/claims/devenvironment/composition.yaml',
    'apis/appstack/composition.yaml',
    'apis/claims/appstack/composition.yaml',
  ])('%s carries a valid function input', (path) => {
    const [composition] = readYamlDocs(path);
    const step = (
      composition!.spec as { pipeline: Array<{ functionRef: { name: string }; input: JsonObject }> }
    ).pipeline[0]!;
    expect(step.functionRef.name).toBe(functionName());
    expect(() => resolvePolicy(step.input)).not.toThrow();
  });

  it('marks the example Function for the development runtime', () => {
    expect(readYaml('examples/functions.yaml')).toMatchObject({
      metadata: {
        name: functionName(),
        annotations: { 'render.crossplane.io/runtime': 'Development' },
      },
    });
  });
});

/** Every field under spec and status that has no description, by path (array items take their array's). */
function undescribed(schema: JsonObject, path: string): string[] {
  const out = path !== '' && typeof schema.description !== 'string' ? [path] : [];
  const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
  for (const [name, child] of Object.entries(properties))
    out.push(...undescribed(child, path === '' ? name : `${path}.${name}`));
  const items = schema.items as JsonObject | undefined;
  if (items?.properties !== undefined)
    for (const [name, child] of Object.entries(items.properties as Record<string, JsonObject>))
      out.push(...undescribed(child, `${path}[].${name}`));
  return out;
}

describe.each([
  'apis/devenvironment/definition.yaml',
  'apis/appstack/definition.yaml',
  'apis/claims/devenvironment/definition.yaml',
  'apis/claims/appstack/definition.yaml',
])('%s, as kubectl explain shows it', (file) => {
  const xrd = readYaml(file);
  const versions = (
    xrd.spec as { versions: Array<{ name: string; schema: { openAPIV3Schema: JsonObject } }> }
  ).versions;

  it('describes every field of spec and status', () => {
    for (const v of versions) {
      const root = v.schema.openAPIV3Schema.properties as Record<string, JsonObject>;
      const fields = ['spec', 'status'].flatMap((top) => (root[top] ? undescribed(root[top], top) : []));
      expect(fields.map((f) => `${v.name} ${f}`)).toEqual([]);
    }
  });

  it('gives every field a type, as the API server requires of a structural schema', () => {
    const untyped = (schema: JsonObject, path: string): string[] => {
      const props = (schema.properties ?? {}) as Record<string, JsonObject>;
      const items = schema.items as JsonObject | undefined;
      const own =
        schema.type === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true ? [path] : [];
      return [
        ...own,
        ...Object.entries(props).flatMap(([name, child]) => untyped(child, `${path}.${name}`)),
        ...(items !== undefined ? untyped(items, `${path}[]`) : []),
      ];
    };
    for (const v of versions) {
      expect(untyped(v.schema.openAPIV3Schema, v.name)).toEqual([]);
    }
  });

  it('names the phases the golden responses show, and promises no Failed that nothing sets', () => {
    const kind = (xrd.spec as { names: { kind: string } }).names.kind.replace(/^X/, '');
    const dir = kind === 'DevEnvironment' ? 'devenvironment' : 'appstack';
    const seen = new Set(
      walk(`${REPO}test/golden/${dir}`).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/"phase": "([A-Za-z]+)"/g)].map((m) => m[1]!),
      ),
    );
    expect(seen.size).toBeGreaterThan(1);
    for (const v of versions) {
      const status = (v.schema.openAPIV3Schema.properties as Record<string, JsonObject>).status!;
      const description = String((status.properties as Record<string, JsonObject>).phase!.description);
      for (const phase of seen) expect(description).toContain(phase);
      expect(description).not.toMatch(/Failed/);
    }
  });
});
