import type { ResourceGraph } from '../../shared/graph/graph.js';
import type { ProviderConfigIdentity } from '../../shared/resources/kubernetes.js';
import type { GkeEnvironmentPolicy } from '../../shared/policy/policy.js';
import { cloudRegistrationTarget } from '../argocd-registration.js';
import type { DevEnvironmentContext } from '../context.js';
import { composeInsideCluster } from '../environment-cluster.js';
import { RESOURCE } from '../naming.js';
import type { EnvironmentStatus } from '../status.js';
import { composeGkeCluster, gkeClusterName, gkeKubeconfig, observedGkeEndpoint } from './cluster.js';
import { composeGkeNetwork } from './network.js';
import { composeNodeIdentity } from './node-identity.js';
import { composeGkeNodePool } from './nodes.js';
import { gkeStage } from './stage.js';

function providerIdentity(policy: GkeEnvironmentPolicy): ProviderConfigIdentity {
  return policy.providerIdentity.source === 'Secret'
    ? { type: 'GoogleApplicationCredentials', source: 'Secret', secretRef: policy.providerIdentity.secretRef }
    : { type: 'GoogleApplicationCredentials', source: 'InjectedIdentity' };
}

/**
 * A `gke` environment, each resource composed once what it needs is ready:
 * 1. a VPC network and subnetwork with secondary ranges for pods and services (unless the policy
 *    names an existing network), and a node service account with its project roles;
 * 2. the Cluster, writing its kubeconfig to a connection Secret;
 * 3. the NodePool sized by spec.size;
 * 4. once cluster and nodes serve, ProviderConfigs from the kubeconfig, then the tools.
 */
export function composeGkeEnvironment(ctx: DevEnvironmentContext, graph: ResourceGraph): EnvironmentStatus {
  const stage = gkeStage(ctx, graph);
  const network = composeGkeNetwork(stage);
  const identity = composeNodeIdentity(stage);
  const cluster = composeGkeCluster(stage, network);
  const nodes = composeGkeNodePool(stage, cluster, identity);
  const kubeconfig = gkeKubeconfig(ctx);
  const inside = composeInsideCluster(ctx, graph, {
    kubeconfig,
    identity: providerIdentity(stage.policy),
    serving: [{ on: RESOURCE.gkeCluster, for: "the cluster's API" }, ...nodes],
    label: `GKE cluster ${gkeClusterName(ctx)}`,
  });
  const endpoint = observedGkeEndpoint(ctx);
  return {
    ...(endpoint !== undefined ? { server: endpoint.server } : {}),
    kubeconfigSecretRef: kubeconfig,
    tools: inside.tools,
    kubernetesProviderConfig: inside.kubernetesProviderConfig,
    region: stage.region,
    network: { project: stage.project, network: network.selfLink },
    argocd: cloudRegistrationTarget(
      RESOURCE.gkeCluster,
      endpoint !== undefined ? { kind: 'gke', ...endpoint } : undefined,
    ),
  };
}
