import {
  composeArgocdRegistration,
  cloudRegistrationTarget,
} from '../../functions/devenvironment/argocd-registration.js';
import { composeAccessEntries } from '../../functions/devenvironment/eks/access.js';
import { composeEksCluster, composeEksClusterAuth } from '../../functions/devenvironment/eks/cluster.js';
import { composeServiceRole } from '../../functions/devenvironment/eks/iam.js';
import { composeEksNetwork } from '../../functions/devenvironment/eks/network.js';
import { composeEksNodeGroup } from '../../functions/devenvironment/eks/nodes.js';
import { eksStage } from '../../functions/devenvironment/eks/stage.js';
import { composeInsideCluster } from '../../functions/devenvironment/environment-cluster.js';
import { composeGkeCluster } from '../../functions/devenvironment/gke/cluster.js';
import { composeGkeNetwork } from '../../functions/devenvironment/gke/network.js';
import { composeNodeIdentity } from '../../functions/devenvironment/gke/node-identity.js';
import { composeGkeNodePool } from '../../functions/devenvironment/gke/nodes.js';
import { gkeStage } from '../../functions/devenvironment/gke/stage.js';
import { composeNamespaceEnvironment } from '../../functions/devenvironment/namespace-environment.js';
import { composeTools } from '../../functions/devenvironment/tools.js';
import { composeVclusterEnvironment } from '../../functions/devenvironment/vcluster-environment.js';
import type { DevEnvironmentContext } from '../../functions/devenvironment/context.js';
import type { ResourceGraph } from '../../functions/shared/graph/graph.js';
import { runStage, type StageRun } from '../support/stage.js';

/**
 * Each DevEnvironment composer on a fixed context (an example XR and the Composition's policy),
 * without gRPC: given what is observed ready, what it composes, the deletion order its needs give,
 * and what it says it waits for. A failure here names the composer; test/golden covers the whole
 * function.
 */
const GKE = 'examples/devenvironment/gke/xr.yaml';
const EKS = 'examples/devenvironment/eks/xr.yaml';
const VCLUSTER = 'examples/devenvironment/vcluster/xr.yaml';
const NAMESPACE = 'examples/devenvironment/namespace/xr.yaml';

type Compose = (ctx: DevEnvironmentContext, graph: ResourceGraph) => unknown;

interface Case {
  name: string;
  example: string;
  ready: string[];
  compose: Compose;
  want: Partial<StageRun>;
}

const gkeNetwork: Compose = (ctx, graph) => composeGkeNetwork(gkeStage(ctx, graph));
const gkeIdentity: Compose = (ctx, graph) => composeNodeIdentity(gkeStage(ctx, graph));
const gkeClusterAndNodes: Compose = (ctx, graph) => {
  const stage = gkeStage(ctx, graph);
  const cluster = composeGkeCluster(stage, { clusterFields: {}, needs: [], selfLink: '' });
  composeGkeNodePool(stage, cluster, { email: 'nodes@example', needs: [] });
};
const eksNetwork: Compose = (ctx, graph) => composeEksNetwork(eksStage(ctx, graph));
const eksRole: Compose = (ctx, graph) =>
  composeServiceRole(eksStage(ctx, graph), {
    name: 'role',
    suffix: 'r',
    service: 'eks.amazonaws.com',
    policies: [{ policy: 'P', name: 'role-policy' }],
    purpose: 'the test',
  });
const eksCluster: Compose = (ctx, graph) => {
  const stage = eksStage(ctx, graph);
  const network = { controlPlaneSubnets: { subnetIds: ['s'] }, nodeSubnets: { subnetIds: ['s'] }, needs: [] };
  composeEksCluster(stage, network, []);
  composeEksNodeGroup(stage, network, []);
  composeEksClusterAuth(stage);
  composeAccessEntries(stage);
};
const inside: Compose = (ctx, graph) =>
  composeInsideCluster(ctx, graph, {
    kubeconfig: { name: 'k', namespace: 'n', key: 'kubeconfig' },
    serving: [
      { on: 'cluster', for: "the cluster's API" },
      { on: 'nodes', for: 'nodes to run on' },
    ],
    label: 'test cluster',
  });
const withClusterAndNodes =
  (then: Compose): Compose =>
  (ctx, graph) => {
    graph.add({ name: 'cluster', what: 'cluster c', body: { apiVersion: 'x/v1', kind: 'Cluster' } });
    graph.add({
      name: 'nodes',
      what: 'nodes of c',
      needs: [{ on: 'cluster', for: 'the cluster they join' }],
      body: { apiVersion: 'x/v1', kind: 'NodePool' },
    });
    then(ctx, graph);
  };
const registration: Compose = (ctx, graph) => {
  graph.add({ name: 'gke-cluster', what: 'GKE cluster c', body: { apiVersion: 'x/v1', kind: 'Cluster' } });
  composeArgocdRegistration(ctx, graph, cloudRegistrationTarget('gke-cluster', undefined));
};

const CASES: Case[] = [
  {
    name: 'gke network: the network first; nothing else while it is not ready',
    example: GKE,
    ready: [],
    compose: gkeNetwork,
    want: {
      composed: ['gke-network'],
      waits: [
        'VPC network devenv-team-ml-ml-sandbox (not created yet), needed by subnetwork devenv-team-ml-ml-sandbox for the network it is carved from',
      ],
    },
  },
  {
    name: 'gke network: subnetwork and reserved range once the network is ready, then the peering',
    example: GKE,
    ready: ['gke-network', 'gke-private-services-range'],
    compose: gkeNetwork,
    want: {
      composed: [
        'gke-network',
        'gke-subnetwork',
        'gke-private-services-range',
        'gke-private-services-connection',
      ],
      edges: [
        'gke-subnetwork keeps gke-network',
        'gke-private-services-range keeps gke-network',
        'gke-private-services-connection keeps gke-network',
        'gke-private-services-connection keeps gke-private-services-range',
      ],
      waits: [],
    },
  },
  {
    name: 'gke node identity: roles once the service account is ready, each keeping it',
    example: GKE,
    ready: ['gke-node-serviceaccount'],
    compose: gkeIdentity,
    want: {
      edges: [
        'gke-node-role-logging-logwriter keeps gke-node-serviceaccount',
        'gke-node-role-monitoring-metricwriter keeps gke-node-serviceaccount',
        'gke-node-role-monitoring-viewer keeps gke-node-serviceaccount',
        'gke-node-role-stackdriver-resourcemetadata-writer keeps gke-node-serviceaccount',
        'gke-node-role-artifactregistry-reader keeps gke-node-serviceaccount',
      ],
    },
  },
  {
    name: 'gke cluster and nodes: the node pool waits for the cluster',
    example: GKE,
    ready: [],
    compose: gkeClusterAndNodes,
    want: {
      composed: ['gke-cluster'],
      edges: [],
      waits: [
        'GKE cluster team-ml-ml-sandbox (not created yet), needed by node pool of team-ml-ml-sandbox for the cluster its nodes join',
      ],
    },
  },
  {
    name: 'gke cluster and nodes: the node pool keeps the cluster',
    example: GKE,
    ready: ['gke-cluster'],
    compose: gkeClusterAndNodes,
    want: { composed: ['gke-cluster', 'gke-nodepool'], edges: ['gke-nodepool keeps gke-cluster'], waits: [] },
  },
  {
    name: 'eks network: the VPC first',
    example: EKS,
    ready: [],
    compose: eksNetwork,
    want: { composed: ['eks-vpc'] },
  },
  {
    name: 'eks network: the default route keeps its gateway; the table may go with its routes',
    example: EKS,
    ready: [
      'eks-vpc',
      'eks-internet-gateway',
      'eks-public-routetable',
      'eks-subnet-public-a',
      'eks-subnet-public-b',
    ],
    compose: eksNetwork,
    want: {
      composed: [
        'eks-vpc',
        'eks-internet-gateway',
        'eks-public-routetable',
        'eks-public-route',
        'eks-subnet-public-a',
        'eks-subnet-private-a',
        'eks-routetable-association-public-a',
        'eks-subnet-public-b',
        'eks-subnet-private-b',
        'eks-routetable-association-public-b',
      ],
      edges: [
        'eks-internet-gateway keeps eks-vpc',
        'eks-public-routetable keeps eks-vpc',
        'eks-public-route keeps eks-internet-gateway',
        'eks-subnet-public-a keeps eks-vpc',
        'eks-subnet-private-a keeps eks-vpc',
        'eks-routetable-association-public-a keeps eks-public-routetable',
        'eks-subnet-public-b keeps eks-vpc',
        'eks-subnet-private-b keeps eks-vpc',
        'eks-routetable-association-public-b keeps eks-public-routetable',
      ],
    },
  },
  {
    name: 'eks IAM: a policy attachment keeps its role (AWS refuses to delete a role with policies attached)',
    example: EKS,
    ready: ['role'],
    compose: eksRole,
    want: { composed: ['role', 'role-policy'], edges: ['role-policy keeps role'], waits: [] },
  },
  {
    name: 'eks cluster: nodes, kubeconfig and access entries once the cluster is ready, each keeping it',
    example: EKS,
    ready: ['eks-cluster', 'eks-access-team'],
    compose: eksCluster,
    want: {
      composed: [
        'eks-cluster',
        'eks-nodegroup',
        'eks-clusterauth',
        'eks-access-team',
        'eks-access-policy-team',
        'eks-access-argocd',
        'eks-access-0098f759dd',
      ],
      edges: [
        'eks-nodegroup keeps eks-cluster',
        'eks-clusterauth keeps eks-cluster',
        'eks-access-team keeps eks-cluster',
        'eks-access-policy-team keeps eks-cluster',
        'eks-access-argocd keeps eks-cluster',
        'eks-access-0098f759dd keeps eks-cluster',
      ],
    },
  },
  {
    name: 'inside a cluster: ProviderConfigs once cluster and nodes serve; what runs inside keeps the nodes',
    example: GKE,
    ready: ['cluster', 'nodes', 'providerconfig-helm', 'providerconfig-kubernetes'],
    compose: withClusterAndNodes(inside),
    want: {
      edges: [
        'nodes keeps cluster',
        'cluster-admin-binding keeps nodes',
        'tool-knative-operator keeps nodes',
        'tool-argocd keeps nodes',
        'tool-dapr keeps nodes',
        'tool-external-secrets keeps nodes',
      ],
      waits: [
        'tool knative-operator (not created yet), needed by tool knative-serving (Namespace knative-serving) for tool knative-operator, which it depends on',
        'tool external-secrets (not created yet), needed by tool external-secrets (ClusterGenerator devplatform-db-password) for the chart its manifests are for',
      ],
    },
  },
  {
    name: 'inside a cluster: nothing inside while the cluster does not serve',
    example: GKE,
    ready: [],
    compose: withClusterAndNodes(inside),
    want: {
      composed: ['cluster'],
      waits: ['cluster c (not created yet), needed by nodes of c for the cluster they join'],
    },
  },
  {
    name: 'tools: an operator is kept while the tools that need it exist',
    example: GKE,
    ready: ['tool-knative-operator', 'tool-external-secrets'],
    compose: (ctx, graph) =>
      composeTools(ctx, graph, {
        helmProviderConfig: { kind: 'ProviderConfig', name: 'p' },
        kubernetesProviderConfig: { kind: 'ProviderConfig', name: 'p' },
        needs: [],
      }),
    want: {
      edges: [
        'tool-knative-serving-namespace-knative-serving keeps tool-knative-operator',
        'tool-knative-serving-knativeserving-knative-serving keeps tool-knative-operator',
        'tool-external-secrets-clustergenerator-devplatform-db-password keeps tool-external-secrets',
      ],
      waits: [],
    },
  },
  {
    name: 'namespace environment: everything waits for the namespace, and may go with it',
    example: NAMESPACE,
    ready: [],
    compose: composeNamespaceEnvironment,
    want: {
      composed: ['namespace'],
      edges: [],
      waits: [
        'namespace team-payments-checkout-dev (not created yet), needed by resource quota of team-payments-checkout-dev for the namespace it lives in',
      ],
    },
  },
  {
    name: 'vcluster environment: the vcluster keeps its namespace',
    example: VCLUSTER,
    ready: ['namespace'],
    compose: composeVclusterEnvironment,
    want: {
      composed: ['namespace', 'kubeconfig-export-role', 'kubeconfig-export-rolebinding', 'vcluster'],
      edges: ['vcluster keeps namespace'],
    },
  },
  {
    name: 'Argo CD registration: waits for the endpoint and CA of a ready cluster',
    example: GKE,
    ready: ['gke-cluster'],
    compose: registration,
    want: {
      composed: ['gke-cluster'],
      waits: [
        'GKE cluster c (endpoint and CA not reported yet), needed by Argo CD cluster devenv-team-ml-ml-sandbox for the endpoint and CA it registers',
      ],
    },
  },
];

describe.each(CASES)('$name', ({ example, ready, compose, want }) => {
  const run = runStage(example, ready, compose);
  if (want.composed !== undefined) it('composes', () => expect(run.composed).toEqual(want.composed));
  if (want.edges !== undefined) it('orders deletion', () => expect(run.edges).toEqual(want.edges));
  if (want.waits !== undefined) it('says what it waits for', () => expect(run.waits).toEqual(want.waits));
});
