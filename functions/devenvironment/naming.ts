import { dnsLabel } from '../shared/names.js';
import { keptExternalName } from '../shared/observed.js';
import { getString } from '../shared/objects.js';
import type { DevEnvironmentContext } from './context.js';

/** Composition-resource-names of a DevEnvironment's resources. Never rename one: that deletes it. */
export const RESOURCE = {
  namespace: 'namespace',
  resourceQuota: 'resource-quota',
  limitRange: 'limit-range',
  networkPolicy: 'network-policy',
  teamBinding: 'rolebinding-team',
  accessBinding: 'rolebinding-access',
  vcluster: 'vcluster',
  kubeconfigExportRole: 'kubeconfig-export-role',
  kubeconfigExportBinding: 'kubeconfig-export-rolebinding',
  helmProviderConfig: 'providerconfig-helm',
  kubernetesProviderConfig: 'providerconfig-kubernetes',
  clusterAdminBinding: 'cluster-admin-binding',
  tool: (name: string) => `tool-${name}`,
  /** kube-green's SleepInfo for a namespace or vcluster environment's workloads. */
  sleepInfo: 'sleepinfo',
  // gke
  gkeNetwork: 'gke-network',
  gkeSubnetwork: 'gke-subnetwork',
  gkeNodeServiceAccount: 'gke-node-serviceaccount',
  gkeNodeRole: (role: string) =>
    `gke-node-role-${role
      .replace(/^roles\//, '')
      .replace(/[^a-zA-Z0-9]+/g, '-')
      .toLowerCase()}`,
  gkeCluster: 'gke-cluster',
  gkeNodePool: 'gke-nodepool',
  gkePrivateServicesRange: 'gke-private-services-range',
  gkePrivateServicesConnection: 'gke-private-services-connection',
  // eks
  eksVpc: 'eks-vpc',
  eksInternetGateway: 'eks-internet-gateway',
  eksPublicRouteTable: 'eks-public-routetable',
  eksPublicRoute: 'eks-public-route',
  eksSubnet: (tier: 'public' | 'private', zone: string) => `eks-subnet-${tier}-${zone}`,
  eksRouteTableAssociation: (zone: string) => `eks-routetable-association-public-${zone}`,
  eksClusterRole: 'eks-cluster-role',
  eksClusterRolePolicy: 'eks-cluster-role-policy',
  eksNodeRole: 'eks-node-role',
  eksNodeRolePolicy: (policy: string) => `eks-node-role-policy-${policy.toLowerCase()}`,
  eksCluster: 'eks-cluster',
  eksNodeGroup: 'eks-nodegroup',
  eksClusterAuth: 'eks-clusterauth',
  eksAccessEntry: (who: string) => `eks-access-${who}`,
  eksAccessPolicy: (who: string) => `eks-access-policy-${who}`,
  // Argo CD
  argocdProject: 'argocd-project',
  argocdCluster: 'argocd-cluster',
} as const;

/**
 * The environment's namespace on the host cluster. Once the Namespace (or anything in it) exists
 * its observed name is kept, so a later change of policy (a new prefix) can never rename, and so recreate, it.
 */
export function hostNamespace(ctx: DevEnvironmentContext): string {
  const observed = [
    getString(ctx.observed.get(RESOURCE.namespace), 'spec.forProvider.manifest.metadata.name'),
    getString(ctx.observed.get(RESOURCE.vcluster), 'spec.forProvider.namespace'),
    ...[RESOURCE.resourceQuota, RESOURCE.limitRange, RESOURCE.networkPolicy, RESOURCE.teamBinding].map(
      (key) => getString(ctx.observed.get(key), 'spec.forProvider.manifest.metadata.namespace'),
    ),
  ].find((name) => name !== undefined && name !== '');
  if (observed !== undefined) return observed;
  return dnsLabel(`${ctx.policy.hostCluster.namespacePrefix}${ctx.env.identity.key}`, 63);
}

/** Helm release name of the vcluster (at most 53 characters, starting with a letter). */
export function vclusterReleaseName(ctx: DevEnvironmentContext): string {
  const observed = getString(ctx.observed.get(RESOURCE.vcluster), [
    'metadata',
    'annotations',
    'crossplane.io/external-name',
  ]);
  if (observed !== undefined && observed !== '') return observed;
  return dnsLabel(ctx.env.identity.name, 53, true);
}

/** Name of the ProviderConfigs that reach into the environment. */
export function environmentProviderConfigName(ctx: DevEnvironmentContext): string {
  return dnsLabel(`devenv-${ctx.env.identity.key}`, 63);
}

/** Labels on every resource of the environment, for selection and cost reports. */
export function environmentLabels(ctx: DevEnvironmentContext): Record<string, string> {
  const { identity, spec } = ctx.env;
  return {
    'devplatform.io/environment': dnsLabel(identity.name, 63),
    ...(identity.namespace !== undefined
      ? { 'devplatform.io/owner-namespace': dnsLabel(identity.namespace, 63) }
      : {}),
    'devplatform.io/team': spec.team,
    'devplatform.io/type': spec.type,
  };
}

/** Labels for objects created on the environment's clusters (not the platform's managed resources). */
export function workloadLabels(ctx: DevEnvironmentContext): Record<string, string> {
  return { ...environmentLabels(ctx), 'app.kubernetes.io/managed-by': 'function-devplatform' };
}

/** The external name the composed resource `key` was created with, else `proposed` (keptExternalName). */
export function stableExternalName(ctx: DevEnvironmentContext, key: string, proposed: string): string {
  return keptExternalName(ctx.observed.get(key), proposed);
}

/** Cloud labels (GCP labels, AWS tags): keys and values as both clouds accept them. */
export function cloudLabels(ctx: DevEnvironmentContext): Record<string, string> {
  const { identity, spec } = ctx.env;
  return {
    'devplatform-environment': dnsLabel(identity.name, 63),
    ...(identity.namespace !== undefined
      ? { 'devplatform-owner-namespace': dnsLabel(identity.namespace, 63) }
      : {}),
    'devplatform-team': spec.team,
    'devplatform-type': spec.type,
  };
}
