import type { Need } from '../shared/graph/graph.js';
import { dnsLabel } from '../shared/names.js';
import { AWS } from '../shared/resources/aws.js';
import { managedResource, selectComponent } from '../shared/resources/managed.js';
import type { AppContext } from './app-context.js';
import type { EnvironmentNetwork } from './environment.js';

type AwsNetwork = Extract<EnvironmentNetwork, { cloud: 'aws' }>;

/** A service in the environment's VPC that only the environment's cluster may reach. */
export interface GuardedService {
  /** Composition-resource-names of the group and its rule. */
  group: string;
  rule: string;
  /** For conditions: "database", "Redis". */
  what: string;
  /** For AWS descriptions: "PostgreSQL", "Redis". */
  service: string;
  port: number;
}

/** The tags every AWS resource of an AppStack carries. */
export function appStackTags(ctx: AppContext): Record<string, string> {
  return { 'devplatform-appstack': dnsLabel(ctx.app.identity.key, 63) };
}

/**
 * A security group in the environment's VPC, open on the service's port to the cluster security
 * group only (the control plane and managed nodes carry it). Returns what the service needs of it:
 * AWS refuses to delete a group a service uses.
 */
export function composeSecurityGroup(
  ctx: AppContext,
  network: AwsNetwork,
  needs: Need[],
  guarded: GuardedService,
): Need {
  const flavor = ctx.app.identity.flavor;
  const region = ctx.environment.region ?? '';
  const common = { providerConfig: ctx.policy.environments.eks.providerConfig, labels: ctx.labels };
  ctx.graph.add({
    name: guarded.group,
    what: `${guarded.what} security group`,
    needs,
    body: managedResource(flavor, AWS.securityGroup, {
      ...common,
      forProvider: {
        region,
        vpcId: network.vpcId,
        description: `${guarded.service} of AppStack ${ctx.app.identity.key}, from the cluster of DevEnvironment ${ctx.environment.name}`,
        tags: appStackTags(ctx),
      },
    }),
  });
  ctx.graph.add({
    name: guarded.rule,
    what: `${guarded.what} security group rule`,
    needs: [
      {
        on: guarded.group,
        for: 'the group the rule is in',
        anyDeletionOrder: 'deleting a security group deletes its rules',
      },
    ],
    body: managedResource(flavor, AWS.securityGroupIngressRule, {
      ...common,
      forProvider: {
        region,
        securityGroupIdSelector: selectComponent(guarded.group),
        ipProtocol: 'tcp',
        fromPort: guarded.port,
        toPort: guarded.port,
        referencedSecurityGroupId: network.clusterSecurityGroupId,
        description: `${guarded.service} from the environment cluster`,
        tags: appStackTags(ctx),
      },
    }),
  });
  return { on: guarded.group, for: 'the security group that guards it' };
}
