import { connectionSecretNamespace } from '../shared/identity.js';
import { dnsLabel } from '../shared/names.js';
import { getString } from '../shared/objects.js';
import type { Plan } from '../shared/plan.js';
import type { GkeEnvironmentPolicy } from '../shared/policy/policy.js';
import { GCP } from '../shared/resources/gcp.js';
import type { ProviderConfigIdentity } from '../shared/resources/kubernetes.js';
import { managedResource, selectComponent } from '../shared/resources/managed.js';
import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import { cloudRegistrationTarget } from './argocd-registration.js';
import type { DevEnvironmentContext } from './context.js';
import { composeInsideCluster } from './environment-cluster.js';
import { cloudLabels, environmentLabels, RESOURCE, stableExternalName } from './naming.js';
import type { EnvironmentStatus } from './status.js';
import { allUse } from './teardown.js';

/** Secondary ranges of a created subnetwork, named as the cluster's ipAllocationPolicy refers to them. */
const PODS_RANGE = 'pods';
const SERVICES_RANGE = 'services';

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

function providerIdentity(policy: GkeEnvironmentPolicy): ProviderConfigIdentity {
  return policy.providerIdentity.source === 'Secret'
    ? { type: 'GoogleApplicationCredentials', source: 'Secret', secretRef: policy.providerIdentity.secretRef }
    : { type: 'GoogleApplicationCredentials', source: 'InjectedIdentity' };
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

/** A network's self link (projects/<project>/global/networks/<name>) from a name, self link or URL. */
export function gcpNetworkSelfLink(project: string, network: string): string {
  const at = network.indexOf('projects/');
  return at >= 0 ? network.slice(at) : `projects/${project}/global/networks/${network}`;
}

/**
 * Private services access for a created network: a reserved range peered to Google's service
 * producers, so Cloud SQL instances of AppStacks get private IPs in it. The connection is abandoned
 * rather than deleted (the peering goes with the network), because Google refuses to delete it for
 * days after the last instance using it is gone.
 */
function composePrivateServicesAccess(
  ctx: DevEnvironmentContext,
  plan: Plan,
  policy: GkeEnvironmentPolicy,
  networkName: string,
  region: string,
): void {
  if (policy.network.existing !== undefined) return;
  const { flavor } = ctx.env.identity;
  const common = { providerConfig: policy.providerConfig, labels: environmentLabels(ctx) };
  const [address = '', prefix = ''] = policy.network.privateServicesCidr.split('/');
  const rangeName = stableExternalName(
    ctx,
    RESOURCE.gkePrivateServicesRange,
    dnsLabel(`${networkName}-services`, 63, true),
  );
  plan.addWhen(plan.gate([{ name: RESOURCE.gkeNetwork, label: `VPC network ${networkName}` }]), {
    name: RESOURCE.gkePrivateServicesRange,
    body: managedResource(flavor, GCP.globalAddress, {
      ...common,
      externalName: rangeName,
      forProvider: {
        project: policy.project,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address,
        prefixLength: Number(prefix),
        description: `Private services access of DevEnvironment ${ctx.env.identity.key} (${region})`,
        networkSelector: selectComponent(RESOURCE.gkeNetwork),
      },
    }),
  });
  plan.addWhen(
    plan.gate([{ name: RESOURCE.gkePrivateServicesRange, label: `reserved range ${rangeName}` }]),
    {
      name: RESOURCE.gkePrivateServicesConnection,
      body: managedResource(flavor, GCP.serviceNetworkingConnection, {
        ...common,
        forProvider: {
          service: 'servicenetworking.googleapis.com',
          deletionPolicy: 'ABANDON',
          networkSelector: selectComponent(RESOURCE.gkeNetwork),
          reservedPeeringRangesSelector: selectComponent(RESOURCE.gkePrivateServicesRange),
        },
      }),
    },
  );
}

/**
 * A `gke` environment, in stages gated on observed readiness:
 * 1. a VPC network and subnetwork with secondary ranges for pods and services (unless the policy
 *    names an existing network), and a node service account with its project roles;
 * 2. the Cluster (workload identity, release channel, no default node pool), writing its kubeconfig
 *    to a connection Secret;
 * 3. the NodePool sized by spec.size;
 * 4. once cluster and nodes serve, ProviderConfigs from the kubeconfig, then the tools.
 */
export function composeGkeEnvironment(ctx: DevEnvironmentContext, plan: Plan): EnvironmentStatus {
  const policy = ctx.policy.environments.gke;
  const { flavor } = ctx.env.identity;
  const labels = environmentLabels(ctx);
  const resourceLabels = cloudLabels(ctx);
  const { project, providerConfig } = policy;
  const region = gkeRegion(ctx, policy);
  const clusterName = gkeClusterName(ctx);
  const common = { providerConfig, labels };

  // Stage 1: network and node identity.
  let networkRef: { network: string; subnetwork: string } | undefined;
  let networkGateKeys: Array<{ name: string; label: string }> = [];
  let networkSelfLink: string;
  if (policy.network.existing !== undefined) {
    networkRef = { network: policy.network.existing.network, subnetwork: policy.network.existing.subnetwork };
    networkSelfLink = gcpNetworkSelfLink(project, policy.network.existing.network);
  } else {
    const networkName = stableExternalName(
      ctx,
      RESOURCE.gkeNetwork,
      dnsLabel(`devenv-${ctx.env.identity.key}`, 63, true),
    );
    plan.add({
      name: RESOURCE.gkeNetwork,
      body: managedResource(flavor, GCP.network, {
        ...common,
        externalName: networkName,
        forProvider: { project, autoCreateSubnetworks: false, routingMode: 'REGIONAL' },
      }),
    });
    plan.addWhen(plan.gate([{ name: RESOURCE.gkeNetwork, label: `VPC network ${networkName}` }]), {
      name: RESOURCE.gkeSubnetwork,
      body: managedResource(flavor, GCP.subnetwork, {
        ...common,
        externalName: stableExternalName(ctx, RESOURCE.gkeSubnetwork, networkName),
        forProvider: {
          project,
          region,
          ipCidrRange: policy.network.nodesCidr,
          secondaryIpRange: [
            { rangeName: PODS_RANGE, ipCidrRange: policy.network.podsCidr },
            { rangeName: SERVICES_RANGE, ipCidrRange: policy.network.servicesCidr },
          ],
          privateIpGoogleAccess: true,
          networkSelector: selectComponent(RESOURCE.gkeNetwork),
        },
      }),
    });
    networkGateKeys = [{ name: RESOURCE.gkeSubnetwork, label: `subnetwork ${networkName}` }];
    networkSelfLink = `projects/${project}/global/networks/${networkName}`;
    composePrivateServicesAccess(ctx, plan, policy, networkName, region);
  }

  const accountId = stableExternalName(
    ctx,
    RESOURCE.gkeNodeServiceAccount,
    dnsLabel(`devenv-${ctx.env.identity.key}`, 30, true),
  );
  const nodeServiceAccountEmail = `${accountId}@${project}.iam.gserviceaccount.com`;
  plan.add({
    name: RESOURCE.gkeNodeServiceAccount,
    body: managedResource(flavor, GCP.serviceAccount, {
      ...common,
      externalName: accountId,
      forProvider: { project, displayName: `Nodes of DevEnvironment ${ctx.env.identity.key}`.slice(0, 100) },
    }),
  });
  const accountReady = plan.gate([
    { name: RESOURCE.gkeNodeServiceAccount, label: `node service account ${accountId}` },
  ]);
  for (const role of policy.nodeServiceAccountRoles) {
    plan.addWhen(accountReady, {
      name: RESOURCE.gkeNodeRole(role),
      body: managedResource(flavor, GCP.projectIAMMember, {
        ...common,
        forProvider: { project, role, member: `serviceAccount:${nodeServiceAccountEmail}` },
      }),
    });
  }

  // Stage 2: the cluster.
  const connectionSecret = `${dnsLabel(ctx.env.identity.name, 40)}-gke-kubeconfig`;
  const kubeconfig: SecretKeyRef = {
    name: connectionSecret,
    namespace: connectionSecretNamespace(ctx.env.identity),
    key: 'kubeconfig',
  };
  const networkFields =
    networkRef !== undefined
      ? {
          network: networkRef.network,
          subnetwork: networkRef.subnetwork,
          ipAllocationPolicy: {
            clusterSecondaryRangeName: policy.network.existing?.podsRangeName ?? PODS_RANGE,
            servicesSecondaryRangeName: policy.network.existing?.servicesRangeName ?? SERVICES_RANGE,
          },
        }
      : {
          networkSelector: selectComponent(RESOURCE.gkeNetwork),
          subnetworkSelector: selectComponent(RESOURCE.gkeSubnetwork),
          ipAllocationPolicy: {
            clusterSecondaryRangeName: PODS_RANGE,
            servicesSecondaryRangeName: SERVICES_RANGE,
          },
        };
  plan.addWhen(plan.gate([...networkGateKeys]), {
    name: RESOURCE.gkeCluster,
    body: managedResource(flavor, GCP.cluster, {
      ...common,
      externalName: clusterName,
      connectionSecret: { name: connectionSecret, legacyNamespace: kubeconfig.namespace },
      forProvider: {
        project,
        location: region,
        ...networkFields,
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        deletionProtection: policy.deletionProtection,
        minMasterVersion: ctx.env.spec.kubernetesVersion ?? policy.defaultKubernetesVersion,
        releaseChannel: { channel: policy.releaseChannel },
        workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
        resourceLabels,
      },
    }),
  });

  // Stage 3: the nodes.
  const size = policy.sizes[ctx.env.spec.size];
  plan.addWhen(
    plan.gate([
      { name: RESOURCE.gkeCluster, label: `GKE cluster ${clusterName}` },
      { name: RESOURCE.gkeNodeServiceAccount, label: `node service account ${accountId}` },
    ]),
    {
      name: RESOURCE.gkeNodePool,
      body: managedResource(flavor, GCP.nodePool, {
        ...common,
        externalName: stableExternalName(ctx, RESOURCE.gkeNodePool, 'devenv-nodes'),
        forProvider: {
          project,
          location: region,
          clusterSelector: selectComponent(RESOURCE.gkeCluster),
          initialNodeCount: Math.max(size.minNodes, 1),
          autoscaling: { minNodeCount: size.minNodes, maxNodeCount: size.maxNodes },
          management: { autoRepair: true, autoUpgrade: true },
          nodeConfig: {
            machineType: size.machineType,
            spot: size.spot ?? false,
            ...(size.diskSizeGb !== undefined ? { diskSizeGb: size.diskSizeGb } : {}),
            serviceAccount: nodeServiceAccountEmail,
            oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
            workloadMetadataConfig: { mode: 'GKE_METADATA' },
            resourceLabels,
          },
        },
      }),
    },
  );

  // Stage 4: inside the cluster, once it has nodes.
  const inside = composeInsideCluster(ctx, plan, {
    kubeconfig,
    identity: providerIdentity(policy),
    serving: plan.gate([
      { name: RESOURCE.gkeCluster, label: `GKE cluster ${clusterName}` },
      { name: RESOURCE.gkeNodePool, label: `node pool of ${clusterName}` },
    ]),
    label: 'GKE cluster',
  });

  const endpoint = observedGkeEndpoint(ctx);
  return {
    ...(endpoint !== undefined ? { server: endpoint.server } : {}),
    kubeconfigSecretRef: kubeconfig,
    tools: inside.tools,
    kubernetesProviderConfig: inside.kubernetesProviderConfig,
    region,
    network: { project, network: networkSelfLink },
    argocd: cloudRegistrationTarget(
      plan,
      { name: RESOURCE.gkeCluster, label: `GKE cluster ${clusterName}` },
      endpoint !== undefined ? { kind: 'gke', ...endpoint } : undefined,
    ),
    teardown: [
      { of: RESOURCE.gkeNetwork, by: RESOURCE.gkeSubnetwork },
      { of: RESOURCE.gkeNetwork, by: RESOURCE.gkePrivateServicesConnection },
      { of: RESOURCE.gkePrivateServicesRange, by: RESOURCE.gkePrivateServicesConnection },
      { of: RESOURCE.gkeSubnetwork, by: RESOURCE.gkeCluster },
      { of: RESOURCE.gkeCluster, by: RESOURCE.gkeNodePool },
      { of: RESOURCE.gkeNodeServiceAccount, by: RESOURCE.gkeNodePool },
      // Tools need nodes (and so the cluster) to uninstall.
      ...allUse(RESOURCE.gkeNodePool, inside.inside),
    ],
    cluster: RESOURCE.gkeCluster,
  };
}
