import { DEFAULT_POLICY } from '../../functions/shared/policy/defaults.js';
import { PolicyErrors } from '../../functions/shared/errors.js';
import { resolvePolicy } from '../../functions/shared/policy/policy.js';

const header = { apiVersion: 'devplatform.fn.crossplane.io/v1alpha1', kind: 'Policy' };

describe('resolvePolicy', () => {
  it('gives the defaults when there is no input', () => {
    expect(resolvePolicy(undefined)).toEqual(DEFAULT_POLICY);
    expect(resolvePolicy(header)).toEqual(DEFAULT_POLICY);
  });

  it('applies what the platform team sets and keeps the rest', () => {
    const p = resolvePolicy({
      ...header,
      hostCluster: { helmProviderConfig: { name: 'host-helm' }, namespacePrefix: 'dev-' },
      environments: { namespace: { sizes: { small: { quota: { pods: '5' } } } } },
      tools: {
        tekton: { chart: { repository: 'https://example.org/charts', name: 'tekton', version: '1.0.0' } },
      },
    });
    expect(p.hostCluster.helmProviderConfig).toEqual({ kind: 'ClusterProviderConfig', name: 'host-helm' });
    expect(p.hostCluster.kubernetesProviderConfig).toEqual(
      DEFAULT_POLICY.hostCluster.kubernetesProviderConfig,
    );
    expect(p.hostCluster.namespacePrefix).toBe('dev-');
    // A size given replaces the default size whole.
    expect(p.environments.namespace.sizes.small).toEqual({ quota: { pods: '5' }, limitRange: {} });
    expect(p.environments.namespace.sizes.medium).toEqual(DEFAULT_POLICY.environments.namespace.sizes.medium);
    expect(p.tools.tekton).toEqual({
      chart: { repository: 'https://example.org/charts', name: 'tekton', version: '1.0.0' },
      namespace: 'tekton',
      manifests: [],
      scope: 'Cluster',
      dependsOn: [],
      values: {},
    });
    expect(p.tools.argocd).toEqual(DEFAULT_POLICY.tools.argocd);
  });

  it('checks the dedicated-cluster decisions', () => {
    expect(() =>
      resolvePolicy({
        ...header,
        environments: { gke: { regions: ['us-east1'], defaultRegion: 'europe-west1' } },
      }),
    ).toThrow(
      /input\.environments\.gke\.defaultRegion: must be one of regions \(us-east1\), got "europe-west1"/,
    );
    expect(() =>
      resolvePolicy({ ...header, environments: { eks: { network: { availabilityZones: ['a'] } } } }),
    ).toThrow(/input\.environments\.eks\.network\.availabilityZones: needs at least two zones/);
    expect(() =>
      resolvePolicy({ ...header, environments: { gke: { providerIdentity: { source: 'Secret' } } } }),
    ).toThrow(/input\.environments\.gke\.providerIdentity\.secretRef: is required when source is Secret/);
    const p = resolvePolicy({
      ...header,
      environments: {
        gke: {
          project: 'acme-dev',
          network: {
            existing: { network: 'shared', subnetwork: 'dev', podsRangeName: 'p', servicesRangeName: 's' },
          },
        },
      },
    });
    expect(p.environments.gke.project).toBe('acme-dev');
    expect(p.environments.gke.network).toEqual({
      existing: { network: 'shared', subnetwork: 'dev', podsRangeName: 'p', servicesRangeName: 's' },
    });
  });

  it('needs a chart or manifests for every tool, and names on manifests', () => {
    expect(() => resolvePolicy({ ...header, tools: { empty: {} } })).toThrow(
      /input\.tools\.empty: needs a chart, manifests, or both/,
    );
    expect(() =>
      resolvePolicy({ ...header, tools: { bad: { manifests: [{ apiVersion: 'v1', kind: 'Namespace' }] } } }),
    ).toThrow(/input\.tools\.bad\.manifests\[0\]: needs apiVersion, kind and metadata\.name/);
  });

  it('rejects a wrong kind', () => {
    expect(() => resolvePolicy({ apiVersion: 'v1', kind: 'ConfigMap' })).toThrow(
      /^input: expected apiVersion/,
    );
  });

  it('names each field that breaks the schema', () => {
    const bad = () =>
      resolvePolicy({
        ...header,
        hostCluster: { namespacePrefix: 'UPPER', kubernetesProviderConfig: { kind: 'Nope', name: 'x' } },
      });
    expect(bad).toThrow(/input\.hostCluster\.namespacePrefix: must match pattern/);
    expect(bad).toThrow(
      /input\.hostCluster\.kubernetesProviderConfig\.kind: must be one of "ProviderConfig", "ClusterProviderConfig"/,
    );
  });

  it('is strict: reports every mistake of one input at once, unknown fields included', () => {
    let error: unknown;
    try {
      resolvePolicy({
        ...header,
        enviroments: {},
        environments: {
          gke: { project: 'p', defaultRegoin: 'us-east1' },
          namespace: { sizes: { small: { quota: { 'requests.cpu': 'lots' } } } },
        },
        databases: { postgres: { sizes: { small: { instances: 'two', storage: '10Gi', cpu: 'lots' } } } },
        hostCluster: { kubernetesProviderConfig: { kind: 'Nope', name: 'x' } },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyErrors);
    expect((error as PolicyErrors).errors.map((e) => e.message).sort()).toEqual(
      [
        'input.enviroments: is not a known field',
        'input.environments.gke.defaultRegoin: is not a known field',
        'input.environments.namespace.sizes.small.quota.requests.cpu: must be a Kubernetes quantity such as 500m, 2Gi or 10',
        'input.databases.postgres.sizes.small.instances: must be integer',
        'input.databases.postgres.sizes.small.cpu: must be a Kubernetes quantity such as 500m, 2Gi or 10',
        'input.hostCluster.kubernetesProviderConfig.kind: must be one of "ProviderConfig", "ClusterProviderConfig"',
      ].sort(),
    );
  });

  it('accepts Kubernetes quantities where the Policy takes them', () => {
    expect(() =>
      resolvePolicy({
        ...header,
        environments: {
          namespace: {
            sizes: { small: { quota: { 'requests.cpu': '500m', pods: 10, 'limits.memory': '1.5Gi' } } },
          },
        },
        databases: {
          postgres: { sizes: { small: { instances: 1, storage: '10Gi', cpu: '1', memory: '2Gi' } } },
        },
      }),
    ).not.toThrow();
  });

  it('rejects unknown tools in defaults and dependencies, and dependency cycles', () => {
    expect(() =>
      resolvePolicy({ ...header, environments: { vcluster: { defaultTools: ['nope'] } } }),
    ).toThrow('input.environments.vcluster.defaultTools[0]: names unknown tool "nope"');
    const chart = { repository: 'r', name: 'n', version: '1' };
    expect(() => resolvePolicy({ ...header, tools: { a: { chart, dependsOn: ['zzz'] } } })).toThrow(
      'input.tools.a.dependsOn: names unknown tool "zzz"',
    );
    expect(() =>
      resolvePolicy({ ...header, tools: { a: { chart, dependsOn: ['b'] }, b: { chart, dependsOn: ['a'] } } }),
    ).toThrow(/forms a cycle: a -> b -> a/);
  });

  it('resolves capabilities field by field, and names unknown tools and backends', () => {
    const p = resolvePolicy({
      ...header,
      capabilities: {
        redis: { backends: { gke: 'InCluster' }, elastiCache: { replicas: 1 } },
        resiliency: { retry: { policy: 'constant' } },
      },
    });
    expect(p.capabilities.redis.backends).toEqual({
      ...DEFAULT_POLICY.capabilities.redis.backends,
      gke: 'InCluster',
    });
    expect(p.capabilities.redis.elastiCache).toEqual({
      ...DEFAULT_POLICY.capabilities.redis.elastiCache,
      replicas: 1,
    });
    expect(p.capabilities.resiliency.retry).toEqual({
      ...DEFAULT_POLICY.capabilities.resiliency.retry,
      policy: 'constant',
    });
    expect(p.capabilities.statestore).toEqual(DEFAULT_POLICY.capabilities.statestore);
    expect(() => resolvePolicy({ ...header, capabilities: { dapr: { tool: 'daprr' } } })).toThrow(
      'input.capabilities.dapr.tool: names unknown tool "daprr"',
    );
    expect(() => resolvePolicy({ ...header, capabilities: { redis: { tools: ['vault'] } } })).toThrow(
      'input.capabilities.redis.tools[0]: names unknown tool "vault"',
    );
    expect(() =>
      resolvePolicy({ ...header, capabilities: { redis: { backends: { eks: 'Memorystore' } } } }),
    ).toThrow(/input\.capabilities\.redis\.backends\.eks: must be one of/);
  });

  it('requires the default kubernetes version to be offered', () => {
    expect(() =>
      resolvePolicy({ ...header, environments: { vcluster: { kubernetesVersions: { '1.40': 'v1.40.0' } } } }),
    ).toThrow(
      'input.environments.vcluster.defaultKubernetesVersion: must be one of kubernetesVersions (1.40), got "1.36"',
    );
  });
});
