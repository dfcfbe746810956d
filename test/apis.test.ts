import { readYaml, readYamlDocs } from './support/request.js';
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
