import type { Need } from '../../shared/graph/graph.js';
import { AWS } from '../../shared/resources/aws.js';
import { managedResource, selectComponent } from '../../shared/resources/managed.js';
import type { EksEnvironmentPolicy } from '../../shared/policy/policy.js';
import { RESOURCE } from '../naming.js';
import type { EksStage } from './stage.js';

/** The policy's network when the environment creates its own. */
type OwnNetworkPolicy = Extract<EksEnvironmentPolicy['network'], { existing?: undefined }>;

const SUBNET_TIER_LABEL = 'devplatform.io/subnet-tier';

type Subnets =
  | { subnetIds: string[] }
  | { subnetIdSelector: { matchControllerRef: true; matchLabels: Record<string, string> } };

/** Where the control plane and the nodes go, and what the cluster needs first. */
export interface EksNetwork {
  controlPlaneSubnets: Subnets;
  nodeSubnets: Subnets;
  needs: Need[];
}

const tierSelector = (tier: 'public' | 'private'): Subnets => ({
  subnetIdSelector: { matchControllerRef: true, matchLabels: { [SUBNET_TIER_LABEL]: tier } },
});

/** The subnets the policy names, or a VPC of the environment's own. */
export function composeEksNetwork(stage: EksStage): EksNetwork {
  const net = stage.policy.network;
  if (net.existing !== undefined) {
    const subnets = { subnetIds: net.existing.subnetIds };
    return { controlPlaneSubnets: subnets, nodeSubnets: subnets, needs: [] };
  }
  composeVpc(stage, net);
  const subnetNeeds = net.availabilityZones.flatMap((zone, i) => composeZone(stage, net, zone, i));
  return {
    // The control plane gets interfaces in the private subnets; nodes run where the policy says.
    controlPlaneSubnets: tierSelector('private'),
    nodeSubnets: tierSelector(net.nodeSubnets),
    needs: [
      ...subnetNeeds,
      {
        on: RESOURCE.eksPublicRoute,
        for: 'a way out to the internet for its nodes',
        anyDeletionOrder: 'nodes need the route to come up, not to go',
      },
    ],
  };
}

const IN_VPC: Need = { on: RESOURCE.eksVpc, for: 'the VPC it is in' };

/** A VPC with an internet gateway and a public route table with a default route through it. */
function composeVpc(stage: EksStage, net: OwnNetworkPolicy): void {
  const { ctx, graph, region, clusterName, tags, common } = stage;
  const { flavor } = ctx.env.identity;
  const inVpc = { vpcIdSelector: selectComponent(RESOURCE.eksVpc) };
  graph.add({
    name: RESOURCE.eksVpc,
    what: `VPC of ${clusterName}`,
    body: managedResource(flavor, AWS.vpc, {
      ...common,
      forProvider: {
        region,
        cidrBlock: net.vpcCidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { ...tags, Name: clusterName },
      },
    }),
  });
  graph.add({
    name: RESOURCE.eksInternetGateway,
    what: `internet gateway of ${clusterName}`,
    needs: [IN_VPC],
    body: managedResource(flavor, AWS.internetGateway, {
      ...common,
      forProvider: { region, ...inVpc, tags },
    }),
  });
  graph.add({
    name: RESOURCE.eksPublicRouteTable,
    what: `public route table of ${clusterName}`,
    needs: [IN_VPC],
    body: managedResource(flavor, AWS.routeTable, { ...common, forProvider: { region, ...inVpc, tags } }),
  });
  graph.add({
    name: RESOURCE.eksPublicRoute,
    what: `default route of ${clusterName}`,
    needs: [
      { on: RESOURCE.eksInternetGateway, for: 'the gateway it routes through' },
      {
        on: RESOURCE.eksPublicRouteTable,
        for: 'the table it is in',
        anyDeletionOrder: 'deleting a route table deletes its routes',
      },
    ],
    body: managedResource(flavor, AWS.route, {
      ...common,
      forProvider: {
        region,
        destinationCidrBlock: '0.0.0.0/0',
        routeTableIdSelector: selectComponent(RESOURCE.eksPublicRouteTable),
        gatewayIdSelector: selectComponent(RESOURCE.eksInternetGateway),
      },
    }),
  });
}

/** A public and a private subnet in one zone, the public one on the public route table. Returns the cluster's needs. */
function composeZone(stage: EksStage, net: OwnNetworkPolicy, zone: string, index: number): Need[] {
  const { ctx, graph, region, clusterName, tags, common } = stage;
  const { flavor } = ctx.env.identity;
  const availabilityZone = `${region}${zone}`;
  const needs: Need[] = [];
  for (const tier of ['public', 'private'] as const) {
    const name = RESOURCE.eksSubnet(tier, zone);
    graph.add({
      name,
      what: `${tier} subnet in ${availabilityZone}`,
      needs: [IN_VPC],
      body: managedResource(flavor, AWS.subnet, {
        ...common,
        labels: { ...common.labels, [SUBNET_TIER_LABEL]: tier },
        forProvider: {
          region,
          vpcIdSelector: selectComponent(RESOURCE.eksVpc),
          availabilityZone,
          cidrBlock: (tier === 'public' ? net.publicSubnetCidrs : net.privateSubnetCidrs)[index] ?? '',
          mapPublicIpOnLaunch: tier === 'public',
          tags: {
            ...tags,
            Name: `${clusterName}-${tier}-${zone}`,
            [tier === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1',
          },
        },
      }),
    });
    needs.push({ on: name, for: 'the subnets it places interfaces and nodes in' });
  }
  graph.add({
    name: RESOURCE.eksRouteTableAssociation(zone),
    what: `route table association of the public subnet in ${availabilityZone}`,
    needs: [
      {
        on: RESOURCE.eksSubnet('public', zone),
        for: 'the subnet it routes',
        anyDeletionOrder: "deleting a subnet removes its route table's association",
      },
      { on: RESOURCE.eksPublicRouteTable, for: 'the route table it associates' },
    ],
    body: managedResource(flavor, AWS.routeTableAssociation, {
      ...common,
      forProvider: {
        region,
        routeTableIdSelector: selectComponent(RESOURCE.eksPublicRouteTable),
        subnetIdSelector: selectComponent(RESOURCE.eksSubnet('public', zone)),
      },
    }),
  });
  return needs;
}
