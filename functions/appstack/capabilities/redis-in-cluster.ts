import type { ProviderConfigRef } from '../../shared/flavor.js';
import type { Need } from '../../shared/graph/graph.js';
import { deepMerge, type JsonObject } from '../../shared/objects.js';
import { helmRelease } from '../../shared/resources/helm.js';
import { IN_ENVIRONMENT, type InEnvironmentContext } from '../app-context.js';
import { composeGeneratedPassword, inNamespace } from '../credentials.js';
import { CAPABILITY_RESOURCE, redisName, redisPasswordSecretName } from './naming.js';
import { REDIS_PORT, type ComposedRedis, type RedisTarget } from './redis.js';

/**
 * The helm ProviderConfig that installs into the environment: the host's for a namespace
 * environment; otherwise the environment's own, which the DevEnvironment names like its kubernetes
 * ProviderConfig (functions/devenvironment/environment-cluster.ts composes both from one name).
 */
function helmProviderConfig(ctx: InEnvironmentContext): ProviderConfigRef {
  return ctx.environment.type === 'namespace'
    ? ctx.policy.hostCluster.helmProviderConfig
    : ctx.providerConfig;
}

/**
 * The chart values: the platform's own, under what the function decides: the Service named after
 * the release, ACL auth with the generated password for the default user, and a volume.
 */
function redisValues(ctx: InEnvironmentContext, name: string): JsonObject {
  const inCluster = ctx.policy.capabilities.redis.inCluster;
  return deepMerge(inCluster.values, {
    fullnameOverride: name,
    auth: {
      enabled: true,
      usersExistingSecret: redisPasswordSecretName(ctx.app),
      aclUsers: { default: { permissions: '~* &* +@all', passwordKey: 'password' } },
    },
    dataStorage: { enabled: true, requestedSize: inCluster.storage },
  });
}

/**
 * In-cluster Redis (namespace and vcluster environments, and where the policy says so): the
 * Valkey chart in the app's namespace, with a password generated there first. It runs as a
 * Deployment, so it sleeps with the app's namespace.
 */
export function composeInClusterRedis({ ctx, namespaceNeeds, tools }: RedisTarget): ComposedRedis {
  const name = redisName(ctx.app);
  const secretName = redisPasswordSecretName(ctx.app);
  composeGeneratedPassword(ctx, {
    resource: CAPABILITY_RESOURCE.redisPassword,
    what: `the Redis password ${secretName}`,
    secretName,
    needs: [...inNamespace(namespaceNeeds), ...tools],
  });
  const password: Need = {
    on: CAPABILITY_RESOURCE.redisPassword,
    for: 'the password it is started with',
    anyDeletionOrder: 'the password Secret outlives its ExternalSecret',
  };
  ctx.graph.add({
    name: CAPABILITY_RESOURCE.redis,
    what: `Redis ${name}`,
    needs: [password, ...inNamespace(namespaceNeeds), IN_ENVIRONMENT],
    body: helmRelease(ctx.app.identity.flavor, {
      releaseName: name,
      chart: ctx.policy.capabilities.redis.inCluster.chart,
      namespace: ctx.namespace,
      values: redisValues(ctx, name),
      providerConfig: helmProviderConfig(ctx),
      labels: ctx.labels,
    }),
  });
  return {
    address: `${name}.${ctx.namespace}.svc:${REDIS_PORT}`,
    tls: false,
    password: { name: secretName, key: 'password' },
    needs: [
      { on: CAPABILITY_RESOURCE.redis, for: 'the Redis it connects to' },
      { ...password, for: 'the Redis password' },
    ],
    whileAsleep: 'the in-cluster Redis sleeps with the app (kube-green scales it down) and keeps its data',
  };
}
