import type { Need } from '../../shared/graph/graph.js';
import { dnsLabel } from '../../shared/names.js';
import { GCP } from '../../shared/resources/gcp.js';
import { managedResource, selectComponent } from '../../shared/resources/managed.js';
import type { GkeEnvironmentPolicy } from '../../shared/policy/policy.js';
import { RESOURCE, stableExternalName } from '../naming.js';
import type { GkeStage } from './stage.js';

/** Secondary ranges of a created subnetwork, named as the cluster's ipAllocationPolicy refers to them. */
const PODS_RANGE = 'pods';
const SERVICES_RANGE = 'services';

/** The policy's network when the environment creates its own. */
type OwnNetworkPolicy = Extract<GkeEnvironmentPolicy['network'], { existing?: undefined }>;

/** Where the cluster goes: its network fields, what it needs first, and the network's self link. */
export interface GkeNetwork {
  clusterFields: Record<string, unknown>;
  needs: Need[];
  selfLink: string;
}

/** A network's self link (projects/<project>/global/networks/<name>) from a name, self link or URL. */
export function gcpNetworkSelfLink(project: string, network: string): string {
  const at = network.indexOf('projects/');
  return at >= 0 ? network.slice(at) : `projects/${project}/global/networks/${network}`;
}

/** The network the policy names, or a VPC network of the environment's own. */
export function composeGkeNetwork(stage: GkeStage): GkeNetwork {
  const net = stage.policy.network;
  if (net.existing === undefined) return composeOwnNetwork(stage, net);
  const existing = net.existing;
  return {
    clusterFields: {
      network: existing.network,
      subnetwork: existing.subnetwork,
      ipAllocationPolicy: {
        clusterSecondaryRangeName: existing.podsRangeName ?? PODS_RANGE,
        servicesSecondaryRangeName: existing.servicesRangeName ?? SERVICES_RANGE,
      },
    },
    needs: [],
    selfLink: gcpNetworkSelfLink(stage.project, existing.network),
  };
}

/** A VPC network and a subnetwork with secondary ranges for pods and services, and private services access. */
function composeOwnNetwork(stage: GkeStage, net: OwnNetworkPolicy): GkeNetwork {
  const { ctx, graph, project, region, common } = stage;
  const { flavor } = ctx.env.identity;
  const networkName = stableExternalName(
    ctx,
    RESOURCE.gkeNetwork,
    dnsLabel(`devenv-${ctx.env.identity.key}`, 63, true),
  );
  graph.add({
    name: RESOURCE.gkeNetwork,
    what: `VPC network ${networkName}`,
    body: managedResource(flavor, GCP.network, {
      ...common,
      externalName: networkName,
      forProvider: { project, autoCreateSubnetworks: false, routingMode: 'REGIONAL' },
    }),
  });
  graph.add({
    name: RESOURCE.gkeSubnetwork,
    what: `subnetwork ${networkName}`,
    needs: [{ on: RESOURCE.gkeNetwork, for: 'the network it is carved from' }],
    body: managedResource(flavor, GCP.subnetwork, {
      ...common,
      externalName: stableExternalName(ctx, RESOURCE.gkeSubnetwork, networkName),
      forProvider: {
        project,
        region,
        ipCidrRange: net.nodesCidr,
        secondaryIpRange: [
          { rangeName: PODS_RANGE, ipCidrRange: net.podsCidr },
          { rangeName: SERVICES_RANGE, ipCidrRange: net.servicesCidr },
        ],
        privateIpGoogleAccess: true,
        networkSelector: selectComponent(RESOURCE.gkeNetwork),
      },
    }),
  });
  composePrivateServicesAccess(stage, net, networkName);
  return {
    clusterFields: {
      networkSelector: selectComponent(RESOURCE.gkeNetwork),
      subnetworkSelector: selectComponent(RESOURCE.gkeSubnetwork),
      ipAllocationPolicy: {
        clusterSecondaryRangeName: PODS_RANGE,
        servicesSecondaryRangeName: SERVICES_RANGE,
      },
    },
    needs: [{ on: RESOURCE.gkeSubnetwork, for: 'the subnetwork its nodes and pods get addresses from' }],
    selfLink: `projects/${project}/global/networks/${networkName}`,
  };
}

/**
 * Private services access for a created network: a reserved range peered to Google's service
 * producers, so Cloud SQL instances of AppStacks get private IPs in it. The connection is abandoned
 * rather than deleted (the peering goes with the network), because Google refuses to delete it for
 * days after the last instance using it is gone.
 */
function composePrivateServicesAccess(stage: GkeStage, net: OwnNetworkPolicy, networkName: string): void {
  const { ctx, graph, project, region, common } = stage;
  const { flavor } = ctx.env.identity;
  const [address = '', prefix = ''] = net.privateServicesCidr.split('/');
  const rangeName = stableExternalName(
    ctx,
    RESOURCE.gkePrivateServicesRange,
    dnsLabel(`${networkName}-services`, 63, true),
  );
  graph.add({
    name: RESOURCE.gkePrivateServicesRange,
    what: `reserved range ${rangeName}`,
    needs: [{ on: RESOURCE.gkeNetwork, for: 'the network the range is reserved in' }],
    body: managedResource(flavor, GCP.globalAddress, {
      ...common,
      externalName: rangeName,
      forProvider: {
        project,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address,
        prefixLength: Number(prefix),
        description: `Private services access of DevEnvironment ${ctx.env.identity.key} (${region})`,
        networkSelector: selectComponent(RESOURCE.gkeNetwork),
      },
    }),
  });
  graph.add({
    name: RESOURCE.gkePrivateServicesConnection,
    what: `private services connection of ${networkName}`,
    needs: [
      { on: RESOURCE.gkeNetwork, for: 'the network it peers' },
      { on: RESOURCE.gkePrivateServicesRange, for: 'the range it peers' },
    ],
    body: managedResource(flavor, GCP.serviceNetworkingConnection, {
      ...common,
      forProvider: {
        service: 'servicenetworking.googleapis.com',
        deletionPolicy: 'ABANDON',
        networkSelector: selectComponent(RESOURCE.gkeNetwork),
        reservedPeeringRangesSelector: selectComponent(RESOURCE.gkePrivateServicesRange),
      },
    }),
  });
}
