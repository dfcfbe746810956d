import { Namespace } from 'kubernetes-models/v1/Namespace';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Application } from '../../functions/models/crds/argoproj.io/v1alpha1/Application.js';
import { NodePool } from '../../functions/models/crds/container.gcp.m.upbound.io/v1beta1/NodePool.js';
import { plainObject } from '../../functions/shared/resources/plain-object.js';

/** JSON text keeps key order and drops undefined fields: equal text is the same object, in the same order. */
const text = (value: unknown) => JSON.stringify(value);

describe('plainObject', () => {
  const models = [
    new NodePool({
      metadata: { name: 'pool', labels: { a: 'b' }, annotations: undefined },
      spec: {
        forProvider: {
          nodeCount: 3,
          clusterRef: undefined,
          nodeConfig: { machineType: 'e2-standard-4', labels: undefined, oauthScopes: ['a', 'b'] },
        },
        providerConfigRef: { kind: 'ProviderConfig', name: 'default' },
      },
    }),
    new Namespace({ metadata: { name: 'team-a', labels: undefined } }),
    new RoleBinding({
      metadata: { name: 'reader', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: undefined }],
    }),
    new Application({
      metadata: { name: 'app', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'default',
        source: { repoURL: 'https://example.com/repo.git', targetRevision: 'main', path: undefined },
        destination: { name: 'cluster', namespace: 'apps' },
      },
    }),
  ];

  it.each(models.map((m) => [m.kind, m] as const))(
    'returns what toJSON() returns for a %s, in order',
    (_, model) => {
      expect(text(plainObject(model))).toBe(text(model.toJSON()));
      expect(Object.keys(plainObject(model))).toEqual(Object.keys(model.toJSON() as object));
    },
  );

  it('leaves out the model fields that were never set', () => {
    const object = plainObject(new Namespace({ metadata: { name: 'team-a' } }));
    expect(Object.keys(object)).toEqual(['apiVersion', 'kind', 'metadata']);
    expect('spec' in object).toBe(false);
  });

  it('is a plain object that shares nothing with the data given to the model', () => {
    const labels = { team: 'a' };
    const object = plainObject(new Namespace({ metadata: { name: 'team-a', labels } }));
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect((object.metadata as { labels: unknown }).labels).not.toBe(labels);
  });
});
