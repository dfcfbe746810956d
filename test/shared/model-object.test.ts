import { Namespace } from 'kubernetes-models/v1/Namespace';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Application } from '../../functions/models/crds/argoproj.io/v1alpha1/Application.js';
import { NodePool } from '../../functions/models/crds/container.gcp.m.upbound.io/v1beta1/NodePool.js';
import { encodeStructFields } from '../../functions/server/codec/struct.js';
import { ProtoWriter } from '../../functions/server/codec/writer.js';
import { modelObject, type GeneratedModel } from '../../functions/shared/resources/model-object.js';

/** JSON text keeps key order and drops undefined fields: equal text is the same object, in the same order. */
const text = (value: unknown) => JSON.stringify(value);

/** The bytes the server sends for an object, as a google.protobuf.Struct (codec/struct.ts). */
function structBytes(object: object): Uint8Array {
  const writer = new ProtoWriter();
  encodeStructFields(writer, object);
  return writer.finish();
}

interface Case {
  model: GeneratedModel<object>;
  data: object;
}

/** Data with undefined fields at every level, as composers leave optional fields they do not set. */
const cases: Array<[string, Case]> = [
  [
    'NodePool',
    {
      model: NodePool as GeneratedModel<object>,
      data: {
        metadata: { name: 'pool', labels: { a: 'b' }, annotations: undefined },
        spec: {
          forProvider: {
            nodeCount: 3,
            clusterRef: undefined,
            nodeConfig: { machineType: 'e2-standard-4', labels: undefined, oauthScopes: ['a', 'b'] },
          },
          providerConfigRef: { kind: 'ProviderConfig', name: 'default' },
        },
      },
    },
  ],
  [
    'Namespace',
    { model: Namespace as GeneratedModel<object>, data: { metadata: { name: 'a', labels: undefined } } },
  ],
  [
    'RoleBinding',
    {
      model: RoleBinding as GeneratedModel<object>,
      data: {
        metadata: { name: 'reader', namespace: 'team-a' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: undefined }],
      },
    },
  ],
  [
    'Application',
    {
      model: Application as GeneratedModel<object>,
      data: {
        metadata: { name: 'app', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
        spec: {
          project: 'default',
          source: { repoURL: 'https://example.com/repo.git', targetRevision: 'main', path: undefined },
          destination: { name: 'cluster', namespace: 'apps' },
        },
      },
    },
  ],
];

describe('modelObject', () => {
  it.each(cases)('holds what the %s model builds, in its order', (_, { model, data }) => {
    expect(text(modelObject(model, data))).toBe(text(new model(data)));
  });

  it.each(cases)('is sent as the same bytes as the %s model', (_, { model, data }) => {
    expect(Buffer.from(structBytes(modelObject(model, data)))).toEqual(
      Buffer.from(structBytes(new model(data).valueOf())),
    );
  });

  it('puts apiVersion and kind first, from the model', () => {
    const object = modelObject(Namespace, { metadata: { name: 'team-a' } });
    expect(Object.keys(object)).toEqual(['apiVersion', 'kind', 'metadata']);
    expect([object.apiVersion, object.kind]).toEqual([Namespace.apiVersion, Namespace.kind]);
  });

  it('is a plain object sharing the data it was given, not a copy', () => {
    const labels = { team: 'a' };
    const object = modelObject(Namespace, { metadata: { name: 'team-a', labels } });
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect((object.metadata as { labels: unknown }).labels).toBe(labels);
  });
});
