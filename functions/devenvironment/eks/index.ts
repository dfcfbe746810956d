import type { ResourceGraph } from '../../shared/graph/graph.js';
import { cloudRegistrationTarget } from '../argocd-registration.js';
import type { DevEnvironmentContext } from '../context.js';
import { composeInsideCluster } from '../environment-cluster.js';
import { RESOURCE } from '../naming.js';
import type { EnvironmentStatus } from '../status.js';
import { composeAccessEntries } from './access.js';
import {
  composeEksCluster,
  composeEksClusterAuth,
  eksKubeconfig,
  observedEksEndpoint,
  observedEksNetwork,
} from './cluster.js';
import { composeServiceRole } from './iam.js';
import { composeEksNetwork } from './network.js';
import { composeEksNodeGroup } from './nodes.js';
import { eksStage } from './stage.js';

export { eksAccessWarnings } from './access.js';

const NODE_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
];

/**
 * An `eks` environment, each resource composed once what it needs is ready:
 * 1. a VPC with public and private subnets in at least two zones, an internet gateway and a public
 *    route table (unless the policy names existing subnets), and IAM roles for the control plane
 *    and the nodes with their AWS managed policies;
 * 2. the Cluster (access entries as its authentication mode);
 * 3. the NodeGroup sized by spec.size, ClusterAuth writing a kubeconfig Secret, and access entries
 *    for the team, spec.access principals that are IAM ARNs, and Argo CD's role;
 * 4. once cluster, nodes and kubeconfig serve, ProviderConfigs from it, then the tools.
 */
export function composeEksEnvironment(ctx: DevEnvironmentContext, graph: ResourceGraph): EnvironmentStatus {
  const stage = eksStage(ctx, graph);
  const network = composeEksNetwork(stage);
  const clusterRole = composeServiceRole(stage, {
    name: RESOURCE.eksClusterRole,
    suffix: 'eks-cluster',
    service: 'eks.amazonaws.com',
    policies: [{ policy: 'AmazonEKSClusterPolicy', name: RESOURCE.eksClusterRolePolicy }],
    purpose: 'the control plane',
  });
  const nodeRole = composeServiceRole(stage, {
    name: RESOURCE.eksNodeRole,
    suffix: 'eks-node',
    service: 'ec2.amazonaws.com',
    policies: NODE_POLICIES.map((policy) => ({ policy, name: RESOURCE.eksNodeRolePolicy(policy) })),
    purpose: 'the nodes',
  });
  composeEksCluster(stage, network, clusterRole);
  composeEksNodeGroup(stage, network, nodeRole);
  composeEksClusterAuth(stage);
  composeAccessEntries(stage);

  const inside = composeInsideCluster(ctx, graph, {
    kubeconfig: eksKubeconfig(ctx),
    serving: [
      { on: RESOURCE.eksCluster, for: "the cluster's API" },
      { on: RESOURCE.eksNodeGroup, for: 'nodes to run on' },
      { on: RESOURCE.eksClusterAuth, for: 'the kubeconfig' },
    ],
    label: `EKS cluster ${stage.clusterName}`,
  });
  const endpoint = observedEksEndpoint(ctx);
  const reported = observedEksNetwork(ctx);
  return {
    ...(endpoint !== undefined ? { server: endpoint.server } : {}),
    kubeconfigSecretRef: eksKubeconfig(ctx),
    tools: inside.tools,
    kubernetesProviderConfig: inside.kubernetesProviderConfig,
    region: stage.region,
    ...(reported !== undefined ? { network: reported } : {}),
    argocd: cloudRegistrationTarget(
      RESOURCE.eksCluster,
      endpoint !== undefined ? { kind: 'eks', ...endpoint, clusterName: stage.clusterName } : undefined,
    ),
  };
}
