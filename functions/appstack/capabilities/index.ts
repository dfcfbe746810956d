import { InputError } from '../../shared/errors.js';
import type { Need } from '../../shared/graph/graph.js';
import { requireTools, toolNeeds, type AppContext, type InEnvironmentContext } from '../app-context.js';
import { inNamespace } from '../credentials.js';
import { composeComponent, composeResiliency, type ComponentSources } from './components.js';
import { composeElastiCache } from './elasticache.js';
import { composeMemorystore } from './memorystore.js';
import { componentResource } from './naming.js';
import type { PlannedCapability, RedisKind } from './plan.js';
import type { ComposedRedis, RedisTarget } from './redis.js';
import { composeInClusterRedis } from './redis-in-cluster.js';

export { planCapabilities, type PlannedCapability } from './plan.js';
export { isCapabilityResource } from './naming.js';

/** What the capabilities wait for in the environment: Dapr, and what makes Redis passwords. */
export interface CapabilityTools {
  dapr: Need[];
  redis: Need[];
}

/** status.capabilities[] */
export interface CapabilityStatus {
  name: string;
  type: string;
  backend: string;
  ready: boolean;
}

const REDIS_BACKENDS: readonly string[] = ['redis', 'memorystore', 'elasticache'] satisfies RedisKind[];

function redisOf(plan: PlannedCapability[]): RedisKind | undefined {
  const backend = plan.find((c) => REDIS_BACKENDS.includes(c.backend))?.backend;
  return backend as RedisKind | undefined;
}

/**
 * The tools capabilities need in the environment, refused with what to add when it lacks them:
 * Dapr (the host's, for namespace environments, where the policy says the host runs it), and
 * External Secrets where a Redis password is generated inside the environment.
 */
export function capabilityTools(ctx: AppContext, plan: PlannedCapability[]): CapabilityTools {
  if (plan.length === 0) return { dapr: [], redis: [] };
  const { environment, policy } = ctx;
  if (environment.type === 'namespace') {
    if (!policy.capabilities.dapr.onHost) {
      throw new InputError(
        'spec.capabilities',
        `DevEnvironment ${environment.name} is a namespace environment and the platform's host cluster does not run Dapr (policy capabilities.dapr.onHost is false); use a vcluster, gke or eks environment with the ${policy.capabilities.dapr.tool} tool`,
      );
    }
    return { dapr: [], redis: [] };
  }
  const redis = redisOf(plan);
  const generatesPassword = redis === 'redis' || redis === 'elasticache';
  const needed = [
    policy.capabilities.dapr.tool,
    ...(generatesPassword ? policy.capabilities.redis.tools : []),
  ];
  requireTools(ctx, 'spec.capabilities', needed, "the app's capabilities");
  return {
    dapr: toolNeeds(ctx, [policy.capabilities.dapr.tool], 'Dapr, which loads the component'),
    redis: generatesPassword ? toolNeeds(ctx, policy.capabilities.redis.tools, 'the Redis password') : [],
  };
}

/** The app's Redis, by what runs it. */
function composeRedis(kind: RedisKind, target: RedisTarget): ComposedRedis {
  const { environment } = target.ctx;
  const network = environment.network;
  if (kind === 'redis') return composeInClusterRedis(target);
  if (kind === 'memorystore' && network?.cloud === 'gcp') return composeMemorystore(target, network);
  if (kind === 'elasticache' && network?.cloud === 'aws') return composeElastiCache(target, network);
  throw new InputError(
    'spec.environmentRef.name',
    `DevEnvironment ${environment.name} does not report the ${kind === 'memorystore' ? 'GCP network' : 'AWS VPC'} its ${kind} Redis goes into (status.network); it was composed by an older function-devplatform`,
  );
}

export interface ComposedCapabilities {
  /** What the Application needs before it starts: each component and the resiliency. */
  needs: Need[];
  status: CapabilityStatus[];
  redis?: ComposedRedis;
}

/**
 * The app's capabilities in its namespace: the Redis they share (if any backs them), one Dapr
 * Component each, and the Dapr Resiliency for them.
 */
export function composeCapabilities(
  ctx: InEnvironmentContext,
  plan: PlannedCapability[],
  tools: CapabilityTools,
  namespaceNeeds: Need[],
  database: Need[] | undefined,
): ComposedCapabilities {
  if (plan.length === 0) return { needs: [], status: [] };
  const kind = redisOf(plan);
  const redis =
    kind === undefined ? undefined : composeRedis(kind, { ctx, namespaceNeeds, tools: tools.redis });
  const sources: ComponentSources = {
    ...(redis !== undefined ? { redis } : {}),
    ...(database !== undefined ? { database } : {}),
  };
  const components = plan.map((c) => composeComponent(ctx, c, sources, namespaceNeeds, tools.dapr));
  const resiliency = composeResiliency(ctx, plan, [...inNamespace(namespaceNeeds), ...tools.dapr]);
  const backendReady = (c: PlannedCapability): boolean => {
    const needs =
      c.backend === 'postgres'
        ? (database ?? [])
        : REDIS_BACKENDS.includes(c.backend)
          ? (redis?.needs ?? [])
          : [];
    return needs.every((n) => ctx.graph.isReady(n.on));
  };
  return {
    needs: [...components, resiliency],
    status: plan.map((c) => ({
      name: c.name,
      type: c.type,
      backend: c.backend,
      ready: ctx.graph.isReady(componentResource(c.name)) && backendReady(c),
    })),
    ...(redis !== undefined ? { redis } : {}),
  };
}
