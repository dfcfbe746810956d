import { isoSeconds } from '../shared/duration.js';
import type { CompositeCondition } from '../shared/composed.js';
import type { ResourceGraph } from '../shared/graph/graph.js';
import type { DevEnvironmentContext } from './context.js';
import type { ToolStatus } from './tools.js';

/** EnvironmentReady: ready, or what the environment waits for, in the reader's terms. */
export function environmentCondition(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  ready: boolean,
): CompositeCondition {
  return ready
    ? {
        type: 'EnvironmentReady',
        status: 'True',
        reason: 'Available',
        message:
          ctx.sleep?.state.asleep === true
            ? `${ctx.env.spec.type} environment is ready, and asleep (${ctx.sleep.state.reason ?? 'Manual'})`
            : `${ctx.env.spec.type} environment is ready`,
      }
    : { type: 'EnvironmentReady', status: 'False', reason: 'Creating', message: graph.progressMessage() };
}

/** ToolsReady: every requested tool ready, or which are not yet. */
export function toolsCondition(tools: ToolStatus[]): CompositeCondition {
  const pending = tools.filter((t) => !t.ready).map((t) => t.name);
  if (pending.length > 0) {
    return {
      type: 'ToolsReady',
      status: 'False',
      reason: 'Installing',
      message: `not ready yet: ${pending.join(', ')}`,
    };
  }
  return {
    type: 'ToolsReady',
    status: 'True',
    reason: 'Available',
    message: tools.length === 0 ? 'no tools requested' : 'all tools are ready',
  };
}

/** When the environment's spec.ttl runs out, from its creation; undefined without a ttl. */
export function expiresAt(ctx: DevEnvironmentContext): string | undefined {
  const { ttlSeconds } = ctx.env.spec;
  const created = ctx.env.identity.creationTimestamp;
  if (ttlSeconds === undefined || created === undefined) return undefined;
  const start = Date.parse(created);
  if (Number.isNaN(start)) return undefined;
  return isoSeconds(start + ttlSeconds * 1000);
}

/** Expired, once the ttl has run out. */
export function expiryConditions(expiry: string | undefined, now: Date): CompositeCondition[] {
  if (expiry === undefined || Date.parse(expiry) > now.getTime()) return [];
  return [
    {
      type: 'Expired',
      status: 'True',
      reason: 'TTLElapsed',
      message: `the environment's ttl ran out at ${expiry}; delete it or raise spec.ttl`,
    },
  ];
}
