import type { Plan } from '../shared/plan.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import type { DevEnvironmentContext } from './context.js';
import {
  accessSubjects,
  limitRangeManifest,
  namespaceManifest,
  networkPolicyManifest,
  resourceQuotaManifest,
  roleBindingManifest,
  teamSubjects,
} from './host-resources.js';
import { environmentLabels, hostNamespace, RESOURCE } from './naming.js';
import type { EnvironmentStatus } from './status.js';
import { composeTools } from './tools.js';

/**
 * A `namespace` environment: a Namespace on the host cluster with quotas and default limits from
 * its size, a default-deny NetworkPolicy that still allows traffic inside the namespace, and
 * RoleBindings for the team and spec.access. Everything inside the namespace waits for it.
 */
export function composeNamespaceEnvironment(ctx: DevEnvironmentContext, plan: Plan): EnvironmentStatus {
  const flavor = ctx.env.identity.flavor;
  const providerConfig = ctx.policy.hostCluster.kubernetesProviderConfig;
  const labels = environmentLabels(ctx);
  const namespace = hostNamespace(ctx);
  const size = ctx.policy.environments.namespace.sizes[ctx.env.spec.size];
  const object = (manifest: Record<string, unknown>, readiness?: 'DeriveFromObject') =>
    kubernetesObject(flavor, { manifest, providerConfig, labels, ...(readiness ? { readiness } : {}) });

  plan.add({ name: RESOURCE.namespace, body: object(namespaceManifest(ctx, namespace), 'DeriveFromObject') });
  const inNamespace = plan.gate([{ name: RESOURCE.namespace, label: `namespace ${namespace}` }]);

  plan.addWhen(inNamespace, {
    name: RESOURCE.resourceQuota,
    body: object(resourceQuotaManifest(ctx, namespace, size)),
  });
  plan.addWhen(inNamespace, {
    name: RESOURCE.limitRange,
    body: object(limitRangeManifest(ctx, namespace, size)),
  });
  if (ctx.policy.environments.namespace.networkPolicy) {
    plan.addWhen(inNamespace, {
      name: RESOURCE.networkPolicy,
      body: object(networkPolicyManifest(ctx, namespace)),
    });
  }
  plan.addWhen(inNamespace, {
    name: RESOURCE.teamBinding,
    body: object(roleBindingManifest(ctx, namespace, 'devenvironment-team', teamSubjects(ctx))),
  });
  const access = accessSubjects(ctx);
  if (access.length > 0) {
    plan.addWhen(inNamespace, {
      name: RESOURCE.accessBinding,
      body: object(roleBindingManifest(ctx, namespace, 'devenvironment-access', access)),
    });
  }

  const tools = composeTools(ctx, plan, {
    helmProviderConfig: ctx.policy.hostCluster.helmProviderConfig,
    kubernetesProviderConfig: providerConfig,
    gate: inNamespace,
    namespace,
  });
  return {
    namespace,
    tools,
    kubernetesProviderConfig: providerConfig,
    argocd: { gate: inNamespace, namespace },
    teardown: [],
  };
}
