import type { Need } from '../../shared/graph/graph.js';
import { getPath, getString } from '../../shared/objects.js';
import { AWS } from '../../shared/resources/aws.js';
import { managedResource, selectComponent } from '../../shared/resources/managed.js';
import { platformSecretKeyRef } from '../../shared/resources/provider-config-ref.js';
import { IN_ENVIRONMENT, type InEnvironmentContext } from '../app-context.js';
import { composeGeneratedPassword, inNamespace } from '../credentials.js';
import type { EnvironmentNetwork } from '../environment.js';
import { appStackTags, composeSecurityGroup } from '../security-group.js';
import {
  CAPABILITY_RESOURCE,
  cloudRedisName,
  platformRedisSecret,
  redisPasswordSecretName,
} from './naming.js';
import { REDIS_PORT, type ComposedRedis, type RedisTarget } from './redis.js';

type AwsNetwork = Extract<EnvironmentNetwork, { cloud: 'aws' }>;

/**
 * ElastiCache for Redis OSS (eks environments), in the environment's VPC: a cache subnet group over
 * the cluster's subnets, a security group open on 6379 to the cluster security group only, and the
 * replication group, encrypted at rest and in transit (Amazon's public CA: the sidecar verifies it
 * as it is), with an auth token generated inside the environment and mirrored to the platform for
 * the provider, like RDS passwords.
 */
export function composeElastiCache(target: RedisTarget, network: AwsNetwork): ComposedRedis {
  const { ctx, namespaceNeeds, tools } = target;
  const secretName = redisPasswordSecretName(ctx.app);
  composeGeneratedPassword(ctx, {
    resource: CAPABILITY_RESOURCE.redisPassword,
    what: `the Redis auth token ${secretName}`,
    secretName,
    needs: [...inNamespace(namespaceNeeds), ...tools],
    mirrorTo: platformRedisSecret(ctx.app),
  });
  const placement = composePlacement(ctx, network);
  const name = composeReplicationGroup(ctx, [
    ...placement,
    { on: CAPABILITY_RESOURCE.redisPassword, for: 'the auth token', anyDeletionOrder: 'read only to set it' },
    IN_ENVIRONMENT,
  ]);
  const observed = ctx.graph.observedResource(CAPABILITY_RESOURCE.redis);
  const host = getString(observed, 'status.atProvider.primaryEndpointAddress');
  const port = getPath(observed, 'status.atProvider.port');
  return {
    ...(host !== undefined && host !== ''
      ? { address: `${host}:${typeof port === 'number' && port > 0 ? port : REDIS_PORT}` }
      : {}),
    tls: true,
    password: { name: secretName, key: 'password' },
    needs: [
      { on: CAPABILITY_RESOURCE.redis, for: `ElastiCache replication group ${name}` },
      {
        on: CAPABILITY_RESOURCE.redisIngress,
        for: 'the rule that lets it reach Redis',
        anyDeletionOrder: 'read when the sidecar starts',
      },
      {
        on: CAPABILITY_RESOURCE.redisPassword,
        for: 'the auth token',
        anyDeletionOrder: 'read when the sidecar starts',
      },
    ],
    whileAsleep:
      'ElastiCache keeps running, and is billed, while the environment sleeps: it cannot be stopped',
  };
}

/** The subnet group and the security group; AWS refuses to delete either while Redis uses it. */
function composePlacement(ctx: InEnvironmentContext, network: AwsNetwork): Need[] {
  ctx.graph.add({
    name: CAPABILITY_RESOURCE.redisSubnetGroup,
    what: 'Redis subnet group',
    needs: [IN_ENVIRONMENT],
    body: managedResource(ctx.app.identity.flavor, AWS.cacheSubnetGroup, {
      providerConfig: ctx.policy.environments.eks.providerConfig,
      labels: ctx.labels,
      forProvider: {
        region: ctx.environment.region ?? '',
        subnetIds: network.subnetIds,
        description: `Redis of AppStack ${ctx.app.identity.key} in DevEnvironment ${ctx.environment.name}`,
        tags: appStackTags(ctx),
      },
    }),
  });
  const guard = composeSecurityGroup(ctx, network, [IN_ENVIRONMENT], {
    group: CAPABILITY_RESOURCE.redisSecurityGroup,
    rule: CAPABILITY_RESOURCE.redisIngress,
    what: 'Redis',
    service: 'Redis',
    port: REDIS_PORT,
  });
  return [{ on: CAPABILITY_RESOURCE.redisSubnetGroup, for: 'the subnets it is placed in' }, guard];
}

function composeReplicationGroup(ctx: InEnvironmentContext, needs: Need[]): string {
  const flavor = ctx.app.identity.flavor;
  const name = cloudRedisName(ctx.app, ctx.observed);
  const cache = ctx.policy.capabilities.redis.elastiCache;
  const replicated = cache.replicas > 0;
  ctx.graph.add({
    name: CAPABILITY_RESOURCE.redis,
    what: `ElastiCache replication group ${name}`,
    needs,
    body: managedResource(flavor, AWS.replicationGroup, {
      providerConfig: ctx.policy.environments.eks.providerConfig,
      labels: ctx.labels,
      externalName: name,
      forProvider: {
        region: ctx.environment.region ?? '',
        description: `Redis of AppStack ${ctx.app.identity.key}`,
        engine: 'redis',
        engineVersion: cache.engineVersion,
        nodeType: cache.nodeType,
        numCacheClusters: 1 + cache.replicas,
        automaticFailoverEnabled: replicated,
        multiAzEnabled: replicated,
        port: REDIS_PORT,
        subnetGroupNameSelector: selectComponent(CAPABILITY_RESOURCE.redisSubnetGroup),
        securityGroupIdSelector: selectComponent(CAPABILITY_RESOURCE.redisSecurityGroup),
        atRestEncryptionEnabled: 'true',
        transitEncryptionEnabled: true,
        authTokenSecretRef: platformSecretKeyRef(flavor, {
          ...platformRedisSecret(ctx.app),
          key: 'password',
        }),
        applyImmediately: true,
        tags: appStackTags(ctx),
      },
    }),
  });
  return name;
}
