import type { CompositeEvent } from '../shared/composed.js';
import { connectionSecretNamespace } from '../shared/identity.js';
import { dnsLabel, shortHash } from '../shared/names.js';
import { getPath, getString, isObject } from '../shared/objects.js';
import type { Plan } from '../shared/plan.js';
import type { EksEnvironmentPolicy } from '../shared/policy/policy.js';
import { assumeRolePolicy, AWS } from '../shared/resources/aws.js';
import { managedResource, selectComponent } from '../shared/resources/managed.js';
import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import { cloudRegistrationTarget } from './argocd-registration.js';
import type { DevEnvironmentContext } from './context.js';
import { composeInsideCluster } from './environment-cluster.js';
import { cloudLabels, environmentLabels, RESOURCE, stableExternalName } from './naming.js';
import type { EnvironmentStatus } from './status.js';
import { allUse } from './teardown.js';

const SUBNET_TIER_LABEL = 'devplatform.io/subnet-tier';
const CLUSTER_POLICIES = ['AmazonEKSClusterPolicy'];
const NODE_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
];

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

/** IAM principals given cluster admin through EKS access entries, by a stable key. */
function adminPrincipals(
  ctx: DevEnvironmentContext,
  policy: EksEnvironmentPolicy,
): Array<{ key: string; arn: string }> {
  const out: Array<{ key: string; arn: string }> = [];
  if (policy.teamRoleArn !== '') {
    out.push({ key: 'team', arn: policy.teamRoleArn.replaceAll('{team}', ctx.env.spec.team) });
  }
  if (ctx.policy.argocd.enabled && ctx.policy.argocd.eksRoleArn !== '') {
    out.push({ key: 'argocd', arn: ctx.policy.argocd.eksRoleArn });
  }
  const { users, groups } = ctx.env.spec.access;
  for (const arn of [...users, ...groups]) {
    if (arn.startsWith('arn:aws:iam::')) out.push({ key: shortHash(arn, 10), arn });
  }
  return out;
}

/**
 * A warning for each `spec.access.users` entry that is not an IAM ARN: on EKS such a user is only
 * named in a ClusterRoleBinding, which grants nothing until an identity maps to it.
 */
export function eksAccessWarnings(ctx: DevEnvironmentContext): CompositeEvent[] {
  if (ctx.env.spec.type !== 'eks') return [];
  return ctx.env.spec.access.users.flatMap((user, i) =>
    user.startsWith('arn:aws:iam::')
      ? []
      : [
          {
            severity: 'Warning' as const,
            reason: 'AccessNotMapped',
            message:
              `spec.access.users[${i}] "${user}" is not an IAM ARN: on EKS it is only bound in a ` +
              'ClusterRoleBinding, which grants nothing until an EKS access entry or an OIDC identity ' +
              'provider maps someone to that user. Name an IAM role or user ARN ' +
              '(arn:aws:iam::<account>:role/<name>) to give cluster admin through an access entry.',
          },
        ],
  );
}

/**
 * An `eks` environment, in stages gated on observed readiness:
 * 1. a VPC with public and private subnets in at least two zones, an internet gateway and a public
 *    route table (unless the policy names existing subnets), and IAM roles for the control plane
 *    and the nodes with their AWS managed policies;
 * 2. the Cluster (access entries as its authentication mode);
 * 3. the NodeGroup sized by spec.size, ClusterAuth writing a kubeconfig Secret, and access entries
 *    for the team, spec.access principals that are IAM ARNs, and Argo CD's role;
 * 4. once cluster, nodes and kubeconfig serve, ProviderConfigs from it, then the tools.
 */
export function composeEksEnvironment(ctx: DevEnvironmentContext, plan: Plan): EnvironmentStatus {
  const policy = ctx.policy.environments.eks;
  const { flavor } = ctx.env.identity;
  const labels = environmentLabels(ctx);
  const tags = cloudLabels(ctx);
  const region = eksRegion(ctx, policy);
  const clusterName = eksClusterName(ctx);
  const common = { providerConfig: policy.providerConfig, labels };
  const net = policy.network;

  // Stage 1: network.
  let subnets:
    | { subnetIds: string[] }
    | { subnetIdSelector: { matchControllerRef: true; matchLabels: Record<string, string> } };
  let nodeSubnets: typeof subnets;
  const networkBlockers: Array<{ name: string; label: string }> = [];
  if (net.existing !== undefined) {
    subnets = { subnetIds: net.existing.subnetIds };
    nodeSubnets = subnets;
  } else {
    plan.add({
      name: RESOURCE.eksVpc,
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
    const vpcReady = plan.gate([{ name: RESOURCE.eksVpc, label: `VPC of ${clusterName}` }]);
    const inVpc = { vpcIdSelector: selectComponent(RESOURCE.eksVpc) };
    plan.addWhen(vpcReady, {
      name: RESOURCE.eksInternetGateway,
      body: managedResource(flavor, AWS.internetGateway, {
        ...common,
        forProvider: { region, ...inVpc, tags },
      }),
    });
    plan.addWhen(vpcReady, {
      name: RESOURCE.eksPublicRouteTable,
      body: managedResource(flavor, AWS.routeTable, { ...common, forProvider: { region, ...inVpc, tags } }),
    });
    plan.addWhen(
      plan.gate([
        { name: RESOURCE.eksInternetGateway, label: `internet gateway of ${clusterName}` },
        { name: RESOURCE.eksPublicRouteTable, label: `public route table of ${clusterName}` },
      ]),
      {
        name: RESOURCE.eksPublicRoute,
        body: managedResource(flavor, AWS.route, {
          ...common,
          forProvider: {
            region,
            destinationCidrBlock: '0.0.0.0/0',
            routeTableIdSelector: selectComponent(RESOURCE.eksPublicRouteTable),
            gatewayIdSelector: selectComponent(RESOURCE.eksInternetGateway),
          },
        }),
      },
    );
    net.availabilityZones.forEach((zone, i) => {
      const availabilityZone = `${region}${zone}`;
      for (const tier of ['public', 'private'] as const) {
        const key = RESOURCE.eksSubnet(tier, zone);
        plan.addWhen(vpcReady, {
          name: key,
          body: managedResource(flavor, AWS.subnet, {
            ...common,
            labels: { ...labels, [SUBNET_TIER_LABEL]: tier },
            forProvider: {
              region,
              ...inVpc,
              availabilityZone,
              cidrBlock: (tier === 'public' ? net.publicSubnetCidrs : net.privateSubnetCidrs)[i] ?? '',
              mapPublicIpOnLaunch: tier === 'public',
              tags: {
                ...tags,
                Name: `${clusterName}-${tier}-${zone}`,
                [tier === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1',
              },
            },
          }),
        });
        networkBlockers.push({ name: key, label: `${tier} subnet in ${availabilityZone}` });
      }
      plan.addWhen(
        plan.gate([
          { name: RESOURCE.eksSubnet('public', zone), label: `public subnet in ${availabilityZone}` },
          { name: RESOURCE.eksPublicRouteTable, label: `public route table of ${clusterName}` },
        ]),
        {
          name: RESOURCE.eksRouteTableAssociation(zone),
          body: managedResource(flavor, AWS.routeTableAssociation, {
            ...common,
            forProvider: {
              region,
              routeTableIdSelector: selectComponent(RESOURCE.eksPublicRouteTable),
              subnetIdSelector: selectComponent(RESOURCE.eksSubnet('public', zone)),
            },
          }),
        },
      );
    });
    const tierSelector = (tier: 'public' | 'private') => ({
      subnetIdSelector: { matchControllerRef: true as const, matchLabels: { [SUBNET_TIER_LABEL]: tier } },
    });
    // The control plane gets interfaces in the private subnets; nodes run where the policy says.
    subnets = tierSelector('private');
    nodeSubnets = tierSelector(net.nodeSubnets);
    networkBlockers.push({ name: RESOURCE.eksPublicRoute, label: `default route of ${clusterName}` });
  }

  // Stage 1: IAM roles.
  const role = (
    key: string,
    suffix: string,
    service: string,
    policies: string[],
    policyKey: (p: string) => string,
  ) => {
    const roleName = iamRoleName(ctx, key, suffix);
    plan.add({
      name: key,
      body: managedResource(flavor, AWS.role, {
        ...common,
        externalName: roleName,
        forProvider: { assumeRolePolicy: assumeRolePolicy(service), tags },
      }),
    });
    const roleReady = plan.gate([{ name: key, label: `IAM role ${roleName}` }]);
    for (const p of policies) {
      plan.addWhen(roleReady, {
        name: policyKey(p),
        body: managedResource(flavor, AWS.rolePolicyAttachment, {
          ...common,
          forProvider: { policyArn: `arn:aws:iam::aws:policy/${p}`, roleSelector: selectComponent(key) },
        }),
      });
    }
    return [
      { name: key, label: `IAM role ${roleName}` },
      ...policies.map((p) => ({ name: policyKey(p), label: `policy ${p} of ${roleName}` })),
    ];
  };
  const clusterRoleDeps = role(
    RESOURCE.eksClusterRole,
    'eks-cluster',
    'eks.amazonaws.com',
    CLUSTER_POLICIES,
    () => RESOURCE.eksClusterRolePolicy,
  );
  const nodeRoleDeps = role(
    RESOURCE.eksNodeRole,
    'eks-node',
    'ec2.amazonaws.com',
    NODE_POLICIES,
    RESOURCE.eksNodeRolePolicy,
  );

  // Stage 2: the cluster.
  plan.addWhen(plan.gate([...networkBlockers, ...clusterRoleDeps]), {
    name: RESOURCE.eksCluster,
    body: managedResource(flavor, AWS.cluster, {
      ...common,
      externalName: clusterName,
      forProvider: {
        region,
        version: ctx.env.spec.kubernetesVersion ?? policy.defaultKubernetesVersion,
        roleArnSelector: selectComponent(RESOURCE.eksClusterRole),
        vpcConfig: { ...subnets, endpointPublicAccess: true, endpointPrivateAccess: true },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
        tags,
      },
    }),
  });
  const clusterReady = plan.gate([{ name: RESOURCE.eksCluster, label: `EKS cluster ${clusterName}` }]);
  const inCluster = { region, clusterNameSelector: selectComponent(RESOURCE.eksCluster) };

  // Stage 3: nodes, kubeconfig, access.
  const size = policy.sizes[ctx.env.spec.size];
  plan.addWhen(
    plan.gate([{ name: RESOURCE.eksCluster, label: `EKS cluster ${clusterName}` }, ...nodeRoleDeps]),
    {
      name: RESOURCE.eksNodeGroup,
      body: managedResource(flavor, AWS.nodeGroup, {
        ...common,
        externalName: stableExternalName(ctx, RESOURCE.eksNodeGroup, 'devenv-nodes'),
        forProvider: {
          ...inCluster,
          nodeRoleArnSelector: selectComponent(RESOURCE.eksNodeRole),
          ...nodeSubnets,
          instanceTypes: size.instanceTypes,
          capacityType: size.capacityType ?? 'ON_DEMAND',
          ...(size.diskSize !== undefined ? { diskSize: size.diskSize } : {}),
          scalingConfig: {
            minSize: size.minNodes,
            maxSize: size.maxNodes,
            desiredSize: size.desiredNodes ?? Math.max(size.minNodes, 1),
          },
          tags,
        },
      }),
    },
  );
  const connectionSecret = `${dnsLabel(ctx.env.identity.name, 40)}-eks-kubeconfig`;
  const kubeconfig: SecretKeyRef = {
    name: connectionSecret,
    namespace: connectionSecretNamespace(ctx.env.identity),
    key: 'kubeconfig',
  };
  plan.addWhen(clusterReady, {
    name: RESOURCE.eksClusterAuth,
    body: managedResource(flavor, AWS.clusterAuth, {
      ...common,
      connectionSecret: { name: connectionSecret, legacyNamespace: kubeconfig.namespace },
      forProvider: inCluster,
    }),
  });
  for (const principal of adminPrincipals(ctx, policy)) {
    const entryKey = RESOURCE.eksAccessEntry(principal.key);
    plan.addWhen(clusterReady, {
      name: entryKey,
      body: managedResource(flavor, AWS.accessEntry, {
        ...common,
        forProvider: { ...inCluster, principalArn: principal.arn, type: 'STANDARD', tags },
      }),
    });
    plan.addWhen(plan.gate([{ name: entryKey, label: `access entry for ${principal.arn}` }]), {
      name: RESOURCE.eksAccessPolicy(principal.key),
      body: managedResource(flavor, AWS.accessPolicyAssociation, {
        ...common,
        forProvider: {
          ...inCluster,
          principalArn: principal.arn,
          policyArn: policy.clusterAdminPolicyArn,
          accessScope: { type: 'cluster' },
        },
      }),
    });
  }

  // Stage 4: inside the cluster.
  const inside = composeInsideCluster(ctx, plan, {
    kubeconfig,
    serving: plan.gate([
      { name: RESOURCE.eksCluster, label: `EKS cluster ${clusterName}` },
      { name: RESOURCE.eksNodeGroup, label: `node group of ${clusterName}` },
      { name: RESOURCE.eksClusterAuth, label: `kubeconfig of ${clusterName}` },
    ]),
    label: 'EKS cluster',
  });

  const endpoint = observedEksEndpoint(ctx);
  const network = observedEksNetwork(ctx);
  const subnetKeys =
    net.existing !== undefined
      ? []
      : net.availabilityZones.flatMap((zone) => [
          RESOURCE.eksSubnet('public', zone),
          RESOURCE.eksSubnet('private', zone),
        ]);
  const accessKeys = adminPrincipals(ctx, policy).flatMap((p) => [
    RESOURCE.eksAccessEntry(p.key),
    RESOURCE.eksAccessPolicy(p.key),
  ]);
  return {
    ...(endpoint !== undefined ? { server: endpoint.server } : {}),
    kubeconfigSecretRef: kubeconfig,
    tools: inside.tools,
    kubernetesProviderConfig: inside.kubernetesProviderConfig,
    region,
    ...(network !== undefined ? { network } : {}),
    argocd: cloudRegistrationTarget(
      plan,
      { name: RESOURCE.eksCluster, label: `EKS cluster ${clusterName}` },
      endpoint !== undefined ? { kind: 'eks', ...endpoint, clusterName } : undefined,
    ),
    teardown: [
      ...allUse(RESOURCE.eksVpc, [...subnetKeys, RESOURCE.eksInternetGateway, RESOURCE.eksPublicRouteTable]),
      ...subnetKeys.map((subnet) => ({ of: subnet, by: RESOURCE.eksCluster })),
      { of: RESOURCE.eksClusterRole, by: RESOURCE.eksCluster },
      { of: RESOURCE.eksClusterRolePolicy, by: RESOURCE.eksCluster },
      { of: RESOURCE.eksNodeRole, by: RESOURCE.eksNodeGroup },
      ...NODE_POLICIES.map((p) => ({ of: RESOURCE.eksNodeRolePolicy(p), by: RESOURCE.eksNodeGroup })),
      ...allUse(RESOURCE.eksCluster, [RESOURCE.eksNodeGroup, RESOURCE.eksClusterAuth, ...accessKeys]),
      // Tools need nodes and a kubeconfig to uninstall.
      ...allUse(RESOURCE.eksNodeGroup, inside.inside),
      ...allUse(RESOURCE.eksClusterAuth, inside.inside),
    ],
    cluster: RESOURCE.eksCluster,
  };
}
