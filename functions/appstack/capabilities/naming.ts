import { connectionSecretNamespace } from '../../shared/identity.js';
import { dnsLabel, shortHash } from '../../shared/names.js';
import { keptExternalName, type ObservedResources } from '../../shared/observed.js';
import type { ParsedAppStack } from '../spec.js';

/**
 * Composition-resource-names of what capabilities compose. Never rename one: that deletes it (and
 * a Redis with the app's state in it).
 */
export const CAPABILITY_RESOURCE = {
  /** The Redis: a Helm Release (in-cluster), a Memorystore Instance or an ElastiCache ReplicationGroup. */
  redis: 'redis',
  /** The Secret in the app's namespace holding the Redis password its components read. */
  redisPassword: 'redis-password',
  /** Memorystore: a ConfigMap with the server CA the Dapr sidecar must trust. */
  redisCa: 'redis-ca',
  redisSubnetGroup: 'redis-subnet-group',
  redisSecurityGroup: 'redis-security-group',
  redisIngress: 'redis-ingress',
  /** The Dapr Resiliency of the app's components. */
  resiliency: 'dapr-resiliency',
  /** What lets the app's pods read Secrets in their own namespace (the secretstore capability). */
  secretReaderRole: 'dapr-secret-reader-role',
  secretReaderBinding: 'dapr-secret-reader-binding',
} as const;

/** The Dapr Component of a capability. */
export function componentResource(name: string): string {
  return `dapr-component-${name}`;
}

/** Whether a composition-resource-name belongs to the app's capabilities. */
export function isCapabilityResource(name: string): boolean {
  return name === CAPABILITY_RESOURCE.redis || name.startsWith('redis-') || name.startsWith('dapr-');
}

/** The in-cluster Redis: its Helm release name and Service (Helm release names are at most 53). */
export function redisName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-redis`, 53, true);
}

/** The Secret in the app's namespace with the Redis password (key `password`). */
export function redisPasswordSecretName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-redis-password`, 63);
}

/** The ConfigMap in the app's namespace with Memorystore's server CA (key `ca.crt`). */
export function redisCaConfigMapName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-redis-ca`, 63);
}

/**
 * The Secret on the platform cluster (the XR's namespace; a legacy XR's claim namespace) between
 * the cloud and the environment: Memorystore's connection details (its AUTH string), or the
 * ElastiCache auth token mirrored from the environment. Never part of desired state.
 */
export function platformRedisSecret(app: ParsedAppStack): { name: string; namespace: string } {
  return {
    name: `${dnsLabel(app.identity.name, 40)}-redis`,
    namespace: connectionSecretNamespace(app.identity),
  };
}

/**
 * A Memorystore instance ID or ElastiCache replication group ID (the external name): at most 40
 * characters, a letter first, no "--", different for an AppStack deleted and created again (neither
 * cloud lets a name be reused at once). Kept once the Redis exists.
 */
export function cloudRedisName(app: ParsedAppStack, observed: ObservedResources): string {
  const { key, creationTimestamp } = app.identity;
  const proposed = `${dnsLabel(key, 33, true)}-${shortHash(`${key}/${creationTimestamp ?? ''}`, 6)}`;
  return keptExternalName(observed.get(CAPABILITY_RESOURCE.redis), proposed);
}

/** The Dapr Resiliency of the app's components. */
export function resiliencyName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-capabilities`, 63);
}

/** The Role and RoleBinding letting the app's pods read Secrets in their namespace. */
export function secretReaderName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-dapr-secret-reader`, 63);
}
