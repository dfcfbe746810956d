import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import type { Need } from '../../shared/graph/graph.js';
import { dnsLabel } from '../../shared/names.js';
import { getPath, getString } from '../../shared/objects.js';
import { GCP } from '../../shared/resources/gcp.js';
import { managedResource } from '../../shared/resources/managed.js';
import { modelObject } from '../../shared/resources/model-object.js';
import { madeOnceKnown } from '../../shared/retain.js';
import { IN_ENVIRONMENT, type InEnvironmentContext } from '../app-context.js';
import { inNamespace } from '../credentials.js';
import type { EnvironmentNetwork } from '../environment.js';
import {
  CAPABILITY_RESOURCE,
  cloudRedisName,
  platformRedisSecret,
  redisCaConfigMapName,
  redisPasswordSecretName,
} from './naming.js';
import type { ComposedRedis, RedisTarget } from './redis.js';

type GcpNetwork = Extract<EnvironmentNetwork, { cloud: 'gcp' }>;

/** provider-upjet-gcp publishes the instance's AUTH string (a sensitive attribute) under this key. */
const AUTH_STRING_KEY = 'attribute.auth_string';

/**
 * Memorystore for Redis (gke environments): reachable only through private services access in the
 * environment's network (which the gke environment sets up for Cloud SQL), AUTH on and TLS with
 * server authentication. Google generates the AUTH string; the provider writes it to the platform
 * Secret, and a provider-kubernetes Object copies it into the app's namespace (read from the
 * platform when the provider applies it, never in desired state). The server CA is public and is
 * delivered as a ConfigMap, for the Dapr sidecar to trust.
 */
export function composeMemorystore(target: RedisTarget, network: GcpNetwork): ComposedRedis {
  const { ctx } = target;
  const name = composeInstance(ctx, network);
  const instance: Need = {
    on: CAPABILITY_RESOURCE.redis,
    for: 'the instance whose AUTH string it carries',
    anyDeletionOrder: 'the AUTH string is read only to copy it',
  };
  composeDeliveredPassword(ctx, [instance, ...inNamespace(target.namespaceNeeds)]);
  const caConfigMap = composeServerCa(ctx, target.namespaceNeeds);
  const observed = ctx.graph.observedResource(CAPABILITY_RESOURCE.redis);
  const host = getString(observed, 'status.atProvider.host');
  const port = getPath(observed, 'status.atProvider.port');
  return {
    ...(host !== undefined && host !== '' && typeof port === 'number' ? { address: `${host}:${port}` } : {}),
    tls: true,
    password: { name: redisPasswordSecretName(ctx.app), key: 'password' },
    needs: [
      { on: CAPABILITY_RESOURCE.redis, for: `Memorystore instance ${name}` },
      {
        on: CAPABILITY_RESOURCE.redisPassword,
        for: 'the AUTH string',
        anyDeletionOrder: 'read when the sidecar starts',
      },
      {
        on: CAPABILITY_RESOURCE.redisCa,
        for: 'the server CA',
        anyDeletionOrder: 'read when the sidecar starts',
      },
    ],
    caConfigMap,
    whileAsleep:
      'Memorystore keeps running, and is billed, while the environment sleeps: it cannot be stopped',
  };
}

function composeInstance(ctx: InEnvironmentContext, network: GcpNetwork): string {
  const name = cloudRedisName(ctx.app, ctx.observed);
  const memorystore = ctx.policy.capabilities.redis.memorystore;
  ctx.graph.add({
    name: CAPABILITY_RESOURCE.redis,
    what: `Memorystore instance ${name}`,
    needs: [IN_ENVIRONMENT],
    body: managedResource(ctx.app.identity.flavor, GCP.redisInstance, {
      providerConfig: ctx.policy.environments.gke.providerConfig,
      labels: ctx.labels,
      externalName: name,
      connectionSecret: {
        name: platformRedisSecret(ctx.app).name,
        legacyNamespace: platformRedisSecret(ctx.app).namespace,
      },
      forProvider: {
        project: network.project,
        region: ctx.environment.region ?? '',
        tier: memorystore.tier,
        memorySizeGb: memorystore.memorySizeGb,
        redisVersion: memorystore.redisVersion,
        connectMode: 'PRIVATE_SERVICE_ACCESS',
        authorizedNetwork: network.network,
        authEnabled: true,
        transitEncryptionMode: 'SERVER_AUTHENTICATION',
        displayName: `AppStack ${ctx.app.identity.key}`.slice(0, 80),
        labels: { 'devplatform-appstack': dnsLabel(ctx.app.identity.key, 63) },
      },
    }),
  });
  return name;
}

/** The AUTH string, copied from the platform Secret into a Secret in the app's namespace. */
function composeDeliveredPassword(ctx: InEnvironmentContext, needs: Need[]): void {
  const name = redisPasswordSecretName(ctx.app);
  const from = platformRedisSecret(ctx.app);
  const manifest = modelObject(Secret, {
    metadata: { name, namespace: ctx.namespace, labels: ctx.labels },
    type: 'Opaque',
  });
  ctx.graph.add({
    name: CAPABILITY_RESOURCE.redisPassword,
    what: `Secret ${name}`,
    needs,
    body: ctx.object(manifest, {
      references: [
        {
          patchesFrom: {
            apiVersion: 'v1',
            kind: 'Secret',
            name: from.name,
            namespace: from.namespace,
            fieldPath: `data[${AUTH_STRING_KEY}]`,
          },
          toFieldPath: 'spec.forProvider.manifest.data.password',
        },
      ],
    }),
  });
}

/** The server CA as the instance reports it; kept as it is if the report goes away. */
function composeServerCa(ctx: InEnvironmentContext, namespaceNeeds: Need[]): string {
  const name = redisCaConfigMapName(ctx.app);
  const certs = getPath(
    ctx.graph.observedResource(CAPABILITY_RESOURCE.redis),
    'status.atProvider.serverCaCerts',
  );
  const reported = Array.isArray(certs) ? getString(certs[0], 'cert') : undefined;
  const cert = reported === '' ? undefined : reported;
  const body = madeOnceKnown(
    cert,
    (cert) =>
      ctx.object(
        modelObject(ConfigMap, {
          metadata: { name, namespace: ctx.namespace, labels: ctx.labels },
          data: { 'ca.crt': cert },
        }),
      ),
    ctx.graph.observedResource(CAPABILITY_RESOURCE.redisCa),
  );
  ctx.graph.add({
    name: CAPABILITY_RESOURCE.redisCa,
    what: `ConfigMap ${name}`,
    needs: [
      ...inNamespace(namespaceNeeds),
      {
        on: CAPABILITY_RESOURCE.redis,
        for: 'its server CA',
        until: () => (cert === undefined ? 'no server CA reported yet' : undefined),
        anyDeletionOrder: 'the CA is read only to copy it',
      },
    ],
    body,
  });
  return name;
}
