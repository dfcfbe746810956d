import type { Need } from '../../shared/graph/graph.js';
import { connectionSecretNamespace } from '../../shared/identity.js';
import { dnsLabel } from '../../shared/names.js';
import { getPath, getString, isObject } from '../../shared/objects.js';
import type { EksEnvironmentPolicy } from '../../shared/policy/policy.js';
import { AWS } from '../../shared/resources/aws.js';
import { managedResource, selectComponent } from '../../shared/resources/managed.js';
import type { SecretKeyRef } from '../../shared/resources/provider-config-ref.js';
import { kubernetesPlan, type DevEnvironmentContext } from '../context.js';
import { RESOURCE, stableExternalName } from '../naming.js';
import type { EksNetwork } from './network.js';
import type { EksStage } from './stage.js';

/** EKS cluster names: at most 100 characters; kept once the cluster exists. */
export function eksClusterName(ctx: DevEnvironmentContext): string {
  return stableExternalName(ctx, RESOURCE.eksCluster, dnsLabel(ctx.env.identity.key, 100, true));
}

/** An IAM role name of at most 64 characters ending in `suffix`. */
export function iamRoleName(ctx: DevEnvironmentContext, key: string, suffix: string): string {
  const proposed = `${dnsLabel(ctx.env.identity.key, 64 - suffix.length - 1, true)}-${suffix}`;
  return stableExternalName(ctx, key, proposed);
}

/** The region, fixed once anything regional exists: a later policy default never moves it. */
export function eksRegion(ctx: DevEnvironmentContext, policy: EksEnvironmentPolicy): string {
  const regional = [RESOURCE.eksCluster, RESOURCE.eksNodeGroup, RESOURCE.eksClusterAuth, RESOURCE.eksVpc];
  const zones = policy.network.existing === undefined ? policy.network.availabilityZones : [];
  const observed = [...regional, ...zones.map((zone) => RESOURCE.eksSubnet('private', zone))]
    .map((key) => getString(ctx.observed.get(key), 'spec.forProvider.region'))
    .find((region) => region !== undefined && region !== '');
  return ctx.env.spec.region ?? observed ?? policy.defaultRegion;
}

/** The cluster's endpoint and CA as provider-upjet-aws reports them, once it has. */
export function observedEksEndpoint(
  ctx: DevEnvironmentContext,
): { server: string; caData: string } | undefined {
  const cluster = ctx.observed.get(RESOURCE.eksCluster);
  const endpoint = getString(cluster, 'status.atProvider.endpoint');
  const authorities = getPath(cluster, 'status.atProvider.certificateAuthority');
  const first: unknown = Array.isArray(authorities) ? authorities[0] : authorities;
  const caData = isObject(first) && typeof first.data === 'string' ? first.data : undefined;
  if (endpoint === undefined || endpoint === '' || caData === undefined || caData === '') return undefined;
  return { server: endpoint, caData };
}

/** The cluster's VPC, subnets and cluster security group as provider-upjet-aws reports them, once it has. */
export function observedEksNetwork(
  ctx: DevEnvironmentContext,
): { vpcId: string; subnetIds: string[]; clusterSecurityGroupId: string } | undefined {
  const reported = getPath(ctx.observed.get(RESOURCE.eksCluster), 'status.atProvider.vpcConfig');
  const vpcConfig: unknown = Array.isArray(reported) ? reported[0] : reported;
  if (!isObject(vpcConfig)) return undefined;
  const { vpcId, subnetIds, clusterSecurityGroupId } = vpcConfig;
  if (typeof vpcId !== 'string' || vpcId === '') return undefined;
  if (typeof clusterSecurityGroupId !== 'string' || clusterSecurityGroupId === '') return undefined;
  const subnets = Array.isArray(subnetIds) ? subnetIds.filter((s): s is string => typeof s === 'string') : [];
  if (subnets.length === 0) return undefined;
  return { vpcId, subnetIds: [...subnets].sort(), clusterSecurityGroupId };
}

/** The fields that put a resource in the environment's cluster. */
export function inEksCluster(stage: EksStage): {
  region: string;
  clusterNameSelector: ReturnType<typeof selectComponent>;
} {
  return { region: stage.region, clusterNameSelector: selectComponent(RESOURCE.eksCluster) };
}

/** What a resource in the cluster needs of it. */
export const IN_CLUSTER: Need = { on: RESOURCE.eksCluster, for: 'the cluster it belongs to' };

/** The Secret ClusterAuth writes the kubeconfig to. */
export function eksKubeconfig(ctx: DevEnvironmentContext): SecretKeyRef {
  return {
    name: `${dnsLabel(ctx.env.identity.name, 40)}-eks-kubeconfig`,
    namespace: connectionSecretNamespace(ctx.env.identity),
    key: 'kubeconfig',
  };
}

/** The Cluster, with access entries as its authentication mode, once its network and role exist. */
export function composeEksCluster(stage: EksStage, network: EksNetwork, role: Need[]): void {
  const { ctx, graph, region, clusterName, tags, common } = stage;
  graph.add({
    name: RESOURCE.eksCluster,
    what: `EKS cluster ${clusterName}`,
    needs: [...network.needs, ...role],
    body: managedResource(ctx.env.identity.flavor, AWS.cluster, {
      ...common,
      externalName: clusterName,
      forProvider: {
        region,
        version: kubernetesPlan(ctx).controlPlane,
        roleArnSelector: selectComponent(RESOURCE.eksClusterRole),
        vpcConfig: {
          ...network.controlPlaneSubnets,
          endpointPublicAccess: true,
          endpointPrivateAccess: true,
        },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
        tags,
      },
    }),
  });
}

/** ClusterAuth, writing a kubeconfig Secret for the cluster. */
export function composeEksClusterAuth(stage: EksStage): void {
  const kubeconfig = eksKubeconfig(stage.ctx);
  stage.graph.add({
    name: RESOURCE.eksClusterAuth,
    what: `kubeconfig of ${stage.clusterName}`,
    needs: [IN_CLUSTER],
    body: managedResource(stage.ctx.env.identity.flavor, AWS.clusterAuth, {
      ...stage.common,
      connectionSecret: { name: kubeconfig.name, legacyNamespace: kubeconfig.namespace },
      forProvider: inEksCluster(stage),
    }),
  });
}
