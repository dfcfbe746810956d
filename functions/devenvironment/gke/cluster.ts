import type { Need } from '../../shared/graph/graph.js';
import { connectionSecretNamespace } from '../../shared/identity.js';
import { dnsLabel } from '../../shared/names.js';
import { getString } from '../../shared/objects.js';
import type { GkeEnvironmentPolicy } from '../../shared/policy/policy.js';
import { GCP } from '../../shared/resources/gcp.js';
import { managedResource } from '../../shared/resources/managed.js';
import type { SecretKeyRef } from '../../shared/resources/provider-config-ref.js';
import { kubernetesPlan, type DevEnvironmentContext } from '../context.js';
import { cloudLabels, RESOURCE, stableExternalName } from '../naming.js';
import type { GkeNetwork } from './network.js';
import type { GkeStage } from './stage.js';

/** GKE names: lowercase, start with a letter, at most 40 characters. */
export function gkeClusterName(ctx: DevEnvironmentContext): string {
  return stableExternalName(ctx, RESOURCE.gkeCluster, dnsLabel(ctx.env.identity.key, 40, true));
}

/** The region, fixed once anything regional exists: a later policy default never moves it. */
export function gkeRegion(ctx: DevEnvironmentContext, policy: GkeEnvironmentPolicy): string {
  const observed = [
    getString(ctx.observed.get(RESOURCE.gkeCluster), 'spec.forProvider.location'),
    getString(ctx.observed.get(RESOURCE.gkeNodePool), 'spec.forProvider.location'),
    getString(ctx.observed.get(RESOURCE.gkeSubnetwork), 'spec.forProvider.region'),
  ].find((region) => region !== undefined && region !== '');
  return ctx.env.spec.region ?? observed ?? policy.defaultRegion;
}

/** The cluster's public endpoint and CA as provider-upjet-gcp reports them, once it has. */
export function observedGkeEndpoint(
  ctx: DevEnvironmentContext,
): { server: string; caData: string } | undefined {
  const cluster = ctx.observed.get(RESOURCE.gkeCluster);
  const endpoint = getString(cluster, 'status.atProvider.endpoint');
  const caData = getString(cluster, 'status.atProvider.masterAuth.clusterCaCertificate');
  if (endpoint === undefined || endpoint === '' || caData === undefined || caData === '') return undefined;
  return { server: `https://${endpoint}`, caData };
}

/** The Secret the cluster writes its kubeconfig to. */
export function gkeKubeconfig(ctx: DevEnvironmentContext): SecretKeyRef {
  return {
    name: `${dnsLabel(ctx.env.identity.name, 40)}-gke-kubeconfig`,
    namespace: connectionSecretNamespace(ctx.env.identity),
    key: 'kubeconfig',
  };
}

/**
 * The Cluster: workload identity, the policy's release channel, no default node pool, writing its
 * kubeconfig to a connection Secret. Returns what its node pool needs of it.
 */
export function composeGkeCluster(stage: GkeStage, network: GkeNetwork): Need[] {
  const { ctx, graph, policy, project, region, common } = stage;
  const clusterName = gkeClusterName(ctx);
  const kubeconfig = gkeKubeconfig(ctx);
  graph.add({
    name: RESOURCE.gkeCluster,
    what: `GKE cluster ${clusterName}`,
    needs: network.needs,
    body: managedResource(ctx.env.identity.flavor, GCP.cluster, {
      ...common,
      externalName: clusterName,
      connectionSecret: { name: kubeconfig.name, legacyNamespace: kubeconfig.namespace },
      forProvider: {
        project,
        location: region,
        ...network.clusterFields,
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        deletionProtection: policy.deletionProtection,
        minMasterVersion: kubernetesPlan(ctx).controlPlane,
        releaseChannel: { channel: policy.releaseChannel },
        workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
        resourceLabels: cloudLabels(ctx),
      },
    }),
  });
  return [{ on: RESOURCE.gkeCluster, for: 'the cluster its nodes join' }];
}
