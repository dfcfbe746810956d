import { resolvePolicy } from '../../functions/shared/policy/policy.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { readYamlDocs } from '../support/request.js';

/**
 * examples/install/prerequisites.yaml (what README's "Install" tells a platform team to apply, and
 * what make e2e applies) holds every ProviderConfig the shipped Compositions' Policies name for the
 * host cluster and Argo CD, in the group each Composition composes, and the Argo CD namespace. The
 * gke and eks ProviderConfigs are the upjet families' and named in the file's header only: their CRDs
 * come with provider-family-gcp/aws, which the Configurations do not pin.
 */
const prerequisites = readYamlDocs('examples/install/prerequisites.yaml') as Array<{
  apiVersion: string;
  kind: string;
  metadata: { name: string };
}>;
const has = (apiVersion: string, kind: string, name: string) =>
  prerequisites.some((o) => o.apiVersion === apiVersion && o.kind === kind && o.metadata.name === name);

describe.each([
  { file: 'apis/devenvironment/composition.yaml', legacy: false },
  { file: 'apis/appstack/composition.yaml', legacy: false },
  { file: 'apis/claims/devenvironment/composition.yaml', legacy: true },
  { file: 'apis/claims/appstack/composition.yaml', legacy: true },
])('the prerequisites of $file', ({ file, legacy }) => {
  const [composition] = readYamlDocs(file) as Array<{ spec: { pipeline: Array<{ input: JsonObject }> } }>;
  const policy = resolvePolicy(composition!.spec.pipeline[0]!.input);
  const kubernetes = legacy ? 'kubernetes.crossplane.io/v1alpha1' : 'kubernetes.m.crossplane.io/v1alpha1';
  const helm = legacy ? 'helm.crossplane.io/v1beta1' : 'helm.m.crossplane.io/v1beta1';
  // A legacy managed resource names a cluster-scoped ProviderConfig; the kind applies to `.m.` groups.
  const kindOf = (ref: { kind: string }) => (legacy ? 'ProviderConfig' : ref.kind);

  it('include the host cluster ProviderConfigs of provider-kubernetes and provider-helm', () => {
    const { kubernetesProviderConfig: k, helmProviderConfig: h } = policy.hostCluster;
    expect(has(kubernetes, kindOf(k), k.name)).toBe(true);
    expect(has(helm, kindOf(h), h.name)).toBe(true);
  });

  it("include Argo CD's namespace and the ProviderConfigs its registration uses", () => {
    expect(has('v1', 'Namespace', policy.argocd.namespace)).toBe(true);
    const k = policy.argocd.kubernetesProviderConfig;
    expect(has(kubernetes, kindOf(k), k.name)).toBe(true);
    if (legacy)
      expect(has('argocd.crossplane.io/v1alpha1', 'ProviderConfig', policy.argocd.providerConfig)).toBe(true);
  });
});

it('gives provider-kubernetes --sanitize-secrets and the service account it binds', () => {
  const runtime = prerequisites.find((o) => o.kind === 'DeploymentRuntimeConfig') as unknown as {
    metadata: { name: string };
    spec: {
      serviceAccountTemplate: { metadata: { name: string } };
      deploymentTemplate: {
        spec: { template: { spec: { containers: Array<{ name: string; args: string[] }> } } };
      };
    };
  };
  const container = runtime.spec.deploymentTemplate.spec.template.spec.containers[0]!;
  expect(container).toEqual({ name: 'package-runtime', args: ['--sanitize-secrets'] });
  const binding = prerequisites.find((o) => o.kind === 'ClusterRoleBinding') as unknown as {
    subjects: Array<{ kind: string; name: string; namespace: string }>;
  };
  expect(binding.subjects).toEqual([
    {
      kind: 'ServiceAccount',
      name: runtime.spec.serviceAccountTemplate.metadata.name,
      namespace: 'crossplane-system',
    },
  ]);
});
