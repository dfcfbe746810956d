import { InputError } from '../../shared/errors.js';
import { getString } from '../../shared/objects.js';
import type { RedisBackend, ResolvedPolicy } from '../../shared/policy/policy.js';
import type { AppContext } from '../app-context.js';
import type { CapabilitySpec, ParsedAppStack } from '../spec.js';
import { CAPABILITY_RESOURCE, componentResource } from './naming.js';

/** What runs an AppStack's Redis. */
export type RedisKind = 'redis' | 'memorystore' | 'elasticache';

/** What backs a capability, as status.capabilities[].backend reports it. */
export type CapabilityBackend = RedisKind | 'postgres' | 'kubernetes-secrets';

export interface PlannedCapability extends CapabilitySpec {
  backend: CapabilityBackend;
}

const REDIS_OF_POLICY: Record<RedisBackend, RedisKind> = {
  InCluster: 'redis',
  Memorystore: 'memorystore',
  ElastiCache: 'elasticache',
};

/** The Redis kind a composed Redis is, by its kind. */
const REDIS_OF_KIND: Record<string, RedisKind> = {
  Release: 'redis',
  Instance: 'memorystore',
  ReplicationGroup: 'elasticache',
};

/**
 * The Redis of this AppStack: the one it has (kept for life, whatever the policy says now), else
 * the policy's choice for the environment's type.
 */
export function redisKind(ctx: AppContext): RedisKind {
  const existing = REDIS_OF_KIND[getString(ctx.observed.get(CAPABILITY_RESOURCE.redis), 'kind') ?? ''];
  if (existing !== undefined) return existing;
  const { type, name } = ctx.environment;
  const backends: Record<string, RedisBackend> = ctx.policy.capabilities.redis.backends;
  const chosen = backends[type];
  if (chosen === undefined) {
    throw new InputError(
      'spec.capabilities',
      `DevEnvironment ${name} is of type "${type}", for which the platform policy names no Redis (input.capabilities.redis.backends)`,
    );
  }
  return REDIS_OF_POLICY[chosen];
}

/** A state store's backend as its existing component says, so a state store never moves. */
function existingStateBackend(ctx: AppContext, name: string): 'postgres' | 'redis' | undefined {
  const type = getString(ctx.observed.get(componentResource(name)), 'spec.forProvider.manifest.spec.type');
  if (type === 'state.postgresql') return 'postgres';
  if (type === 'state.redis') return 'redis';
  return undefined;
}

/**
 * Whether a new state store keeps its state in the app's PostgreSQL: where it has one and the policy
 * says so. scripts/local-components.mjs decides the same for `dapr run`.
 */
export function stateOnDatabase(policy: ResolvedPolicy, app: ParsedAppStack): boolean {
  return policy.capabilities.statestore.onDatabase && app.spec.database !== undefined;
}

/**
 * What backs each capability: state on the app's PostgreSQL where it has one and the policy says
 * so, else on Redis; pub/sub on Redis streams; secrets in the app's namespace. Decided when the
 * component is created and kept.
 */
export function planCapabilities(ctx: AppContext): PlannedCapability[] {
  const onDatabase = stateOnDatabase(ctx.policy, ctx.app);
  let redis: RedisKind | undefined;
  const onRedis = (): RedisKind => (redis ??= redisKind(ctx));
  return ctx.app.spec.capabilities.map((capability): PlannedCapability => {
    switch (capability.type) {
      case 'secretstore':
        return { ...capability, backend: 'kubernetes-secrets' };
      case 'pubsub':
        return { ...capability, backend: onRedis() };
      case 'statestore': {
        const existing = existingStateBackend(ctx, capability.name);
        const postgres = existing === 'postgres' || (existing === undefined && onDatabase);
        return { ...capability, backend: postgres ? 'postgres' : onRedis() };
      }
    }
  });
}
