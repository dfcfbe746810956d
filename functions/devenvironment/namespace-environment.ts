import type { Need, ResourceGraph } from '../shared/graph/graph.js';
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
import { sleepsThroughKubeGreen } from './sleep.js';
import { composeTools } from './tools.js';
import { composeWorkloadSleep } from './workload-sleep.js';

/**
 * A `namespace` environment: a Namespace on the host cluster with quotas and default limits from
 * its size, a default-deny NetworkPolicy that still allows traffic inside the namespace, and
 * RoleBindings for the team and spec.access. Everything inside the namespace waits for it.
 */
export function composeNamespaceEnvironment(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
): EnvironmentStatus {
  const flavor = ctx.env.identity.flavor;
  const providerConfig = ctx.policy.hostCluster.kubernetesProviderConfig;
  const labels = environmentLabels(ctx);
  const namespace = hostNamespace(ctx);
  const size = ctx.policy.environments.namespace.sizes[ctx.env.spec.size];
  const object = (manifest: Record<string, unknown>, readiness?: 'DeriveFromObject') =>
    kubernetesObject(flavor, { manifest, providerConfig, labels, ...(readiness ? { readiness } : {}) });

  graph.add({
    name: RESOURCE.namespace,
    what: `namespace ${namespace}`,
    body: object(namespaceManifest(ctx, namespace), 'DeriveFromObject'),
  });
  const inNamespace: Need[] = [
    { on: RESOURCE.namespace, for: 'the namespace it lives in', anyDeletionOrder: NAMESPACE_TAKES_CONTENTS },
  ];
  const add = (name: string, what: string, manifest: Record<string, unknown>) =>
    graph.add({ name, what, needs: inNamespace, body: object(manifest) });

  add(RESOURCE.resourceQuota, `resource quota of ${namespace}`, resourceQuotaManifest(ctx, namespace, size));
  add(RESOURCE.limitRange, `default limits of ${namespace}`, limitRangeManifest(ctx, namespace, size));
  if (ctx.policy.environments.namespace.networkPolicy) {
    add(RESOURCE.networkPolicy, `network policy of ${namespace}`, networkPolicyManifest(ctx, namespace));
  }
  add(
    RESOURCE.teamBinding,
    `the team's role binding in ${namespace}`,
    roleBindingManifest(ctx, namespace, 'devenvironment-team', teamSubjects(ctx)),
  );
  const access = accessSubjects(ctx);
  if (access.length > 0) {
    add(
      RESOURCE.accessBinding,
      `spec.access's role binding in ${namespace}`,
      roleBindingManifest(ctx, namespace, 'devenvironment-access', access),
    );
  }

  if (sleepsThroughKubeGreen(ctx)) {
    composeWorkloadSleep(ctx, graph, { namespace, providerConfig, needs: inNamespace });
  }
  const tools = composeTools(ctx, graph, {
    helmProviderConfig: ctx.policy.hostCluster.helmProviderConfig,
    kubernetesProviderConfig: providerConfig,
    needs: inNamespace,
    namespace,
  });
  return {
    namespace,
    tools,
    kubernetesProviderConfig: providerConfig,
    argocd: { needs: inNamespace, namespace },
  };
}

/** Deleting a namespace deletes what is in it, so its contents may go before or with it. */
const NAMESPACE_TAKES_CONTENTS = 'deleting the namespace deletes what is in it';
