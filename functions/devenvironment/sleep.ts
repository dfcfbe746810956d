import { isoSeconds } from '../shared/duration.js';
import type { CompositeCondition } from '../shared/composed.js';
import { getPath } from '../shared/objects.js';
import { lastChange, nextChange } from '../shared/sleep-schedule.js';
import { describeObserved } from '../shared/kube-green.js';
import type { DevEnvironmentContext } from './context.js';
import { RESOURCE } from './naming.js';
import { observedWorkloadSleep } from './workload-sleep.js';

export type SleepReason = 'Manual' | 'Schedule' | 'Expired';

/** status.sleep: whether the environment sleeps, why, since when, and when that next changes. */
export interface SleepState {
  asleep: boolean;
  reason?: SleepReason;
  since?: string;
  nextChange?: string;
}

/** What the XR reported last time, to keep `since` for states the clock alone cannot date. */
function reportedSleep(ctx: DevEnvironmentContext): { asleep?: unknown; reason?: unknown; since?: unknown } {
  const reported = getPath(ctx.reported, 'sleep');
  return typeof reported === 'object' && reported !== null ? reported : {};
}

/** The state without its dates: expiry wins, then spec.sleep.asleep, then the schedule. */
function decide(
  ctx: DevEnvironmentContext,
  expired: boolean,
): { asleep: boolean; reason?: SleepReason; at?: Date } {
  if (expired && ctx.policy.lifecycle.onExpiry === 'Sleep') return { asleep: true, reason: 'Expired' };
  const sleep = ctx.env.spec.sleep;
  if (sleep?.asleep === true) return { asleep: true, reason: 'Manual' };
  if (sleep?.schedule === undefined) return { asleep: false };
  const last = lastChange(sleep.schedule, ctx.now);
  if (last === undefined || !last.asleep)
    return { asleep: false, ...(last !== undefined ? { at: last.at } : {}) };
  return { asleep: true, reason: 'Schedule', at: last.at };
}

/** When the state next changes on its own: the schedule's next change, or the expiry that puts it to sleep. */
function nextChangeOf(
  ctx: DevEnvironmentContext,
  state: { asleep: boolean; reason?: SleepReason },
  expiry?: string,
): string | undefined {
  if (state.reason === 'Expired' || state.reason === 'Manual') return undefined;
  const schedule = ctx.env.spec.sleep?.schedule;
  const scheduled = schedule !== undefined ? nextChange(schedule, ctx.now)?.at.getTime() : undefined;
  const expires =
    !state.asleep && expiry !== undefined && ctx.policy.lifecycle.onExpiry === 'Sleep'
      ? Date.parse(expiry)
      : undefined;
  const next = [scheduled, expires].filter((t): t is number => t !== undefined && t > ctx.now.getTime());
  return next.length > 0 ? isoSeconds(Math.min(...next)) : undefined;
}

/**
 * Whether the environment sleeps now (issue 20): expired (when the policy says Sleep), asleep by
 * spec.sleep.asleep, or by its schedule; pure in ctx.now, so the same time gives the same answer.
 */
export function decideSleep(ctx: DevEnvironmentContext, expiry: string | undefined): SleepState {
  const expired = expiry !== undefined && Date.parse(expiry) <= ctx.now.getTime();
  const state = decide(ctx, expired);
  const reported = reportedSleep(ctx);
  const unchanged = reported.asleep === state.asleep && reported.reason === state.reason;
  const neverReported = reported.asleep === undefined;
  const created = ctx.env.identity.creationTimestamp;
  const since =
    state.reason === 'Expired' && expiry !== undefined
      ? expiry
      : state.at !== undefined
        ? isoSeconds(state.at)
        : unchanged && typeof reported.since === 'string'
          ? reported.since
          : !state.asleep && neverReported && created !== undefined
            ? created
            : isoSeconds(ctx.now);
  const next = nextChangeOf(ctx, state, expiry);
  return {
    asleep: state.asleep,
    ...(state.reason !== undefined ? { reason: state.reason } : {}),
    since,
    ...(next !== undefined ? { nextChange: next } : {}),
  };
}

/** How an environment sleeps, or why it cannot. */
type SleepMechanism = { available: true; how: string } | { available: false; why: string };

/**
 * gke and eks scale their nodes to zero; namespace and vcluster environments scale their workloads
 * to zero through kube-green (the host's, or the one the function installs in the vcluster).
 */
function sleepMechanism(ctx: DevEnvironmentContext): SleepMechanism {
  const { kubeGreen } = ctx.policy.lifecycle;
  switch (ctx.env.spec.type) {
    case 'gke':
    case 'eks':
      return { available: true, how: 'node pools scaled to zero, nothing stateful deleted' };
    case 'namespace':
      return kubeGreen.onHost
        ? {
            available: true,
            how: `workloads scaled to zero by kube-green; ${describeObserved(observedWorkloadSleep(ctx))}`,
          }
        : {
            available: false,
            why: "the host cluster runs no kube-green (the policy's lifecycle.kubeGreen.onHost is false)",
          };
    case 'vcluster':
      return kubeGreen.tool !== ''
        ? {
            available: true,
            how: `workloads in its default namespace and its apps' namespaces scaled to zero by kube-green; ${describeObserved(observedWorkloadSleep(ctx))}`,
          }
        : {
            available: false,
            why: "the platform offers no kube-green (the policy's lifecycle.kubeGreen.tool is empty)",
          };
  }
}

/**
 * Whether kube-green carries out the environment's sleep now: a namespace or vcluster environment
 * that sleep concerns, where the platform gives it a kube-green (the one place that decides it; the
 * composers of the SleepInfo and of the kube-green tool ask here).
 */
export function sleepsThroughKubeGreen(ctx: DevEnvironmentContext): boolean {
  const type = ctx.env.spec.type;
  return (
    ctx.sleep !== undefined && (type === 'namespace' || type === 'vcluster') && sleepMechanism(ctx).available
  );
}

/**
 * Whether sleep concerns the environment: it has spec.sleep, a ttl that puts it to sleep (where it
 * can sleep; elsewhere expiry is reported by the Expired condition alone), or a SleepInfo still to
 * wake its workloads.
 */
export function sleepConcerns(ctx: DevEnvironmentContext): boolean {
  if (ctx.env.spec.sleep !== undefined || ctx.observed.has(RESOURCE.sleepInfo)) return true;
  const sleepsOnExpiry = ctx.env.spec.ttlSeconds !== undefined && ctx.policy.lifecycle.onExpiry === 'Sleep';
  return sleepsOnExpiry && sleepMechanism(ctx).available;
}

/** The sleep the environment carries out: the decision, where it can sleep; otherwise awake. */
export function effectiveSleep(ctx: DevEnvironmentContext, decided: SleepState): SleepState {
  if (!decided.asleep || sleepMechanism(ctx).available) return decided;
  return { asleep: false, since: decided.since ?? isoSeconds(ctx.now) };
}

/** The Asleep condition: asleep and why, awake and until when, or why it cannot sleep. */
export function sleepCondition(ctx: DevEnvironmentContext, decided: SleepState): CompositeCondition {
  const next =
    decided.nextChange !== undefined
      ? `; ${decided.asleep ? 'wakes' : 'goes to sleep'} at ${decided.nextChange}`
      : '';
  const mechanism = sleepMechanism(ctx);
  if (!mechanism.available) {
    const should = decided.asleep
      ? `should sleep now (${decided.reason ?? 'Manual'})`
      : `would sleep${next.replace('; goes to sleep', '')}`;
    return {
      type: 'Asleep',
      status: 'False',
      reason: 'NotAvailable',
      message: `spec.sleep: the environment ${should}, but ${mechanism.why}; it keeps running`,
    };
  }
  if (!decided.asleep) return { type: 'Asleep', status: 'False', reason: 'Awake', message: `awake${next}` };
  const wake =
    decided.reason === 'Expired'
      ? '; raise spec.ttl to wake it'
      : decided.reason === 'Manual'
        ? '; set spec.sleep.asleep to false to wake it'
        : next;
  return {
    type: 'Asleep',
    status: 'True',
    reason: decided.reason ?? 'Manual',
    message: `asleep since ${decided.since ?? ''} (${mechanism.how})${wake}`,
  };
}

/**
 * The environment's sleep, where sleep concerns it: the state it carries out (status.sleep, and what
 * the composers act on), its Asleep condition, and when it next changes on its own (the decided
 * schedule or expiry, which the response TTL reaches). Like the version plan, decided once per call.
 */
export interface SleepPlan {
  state: SleepState;
  condition: CompositeCondition;
  nextChange?: string;
}

export function planSleep(ctx: DevEnvironmentContext, expiry: string | undefined): SleepPlan | undefined {
  if (!sleepConcerns(ctx)) return undefined;
  const decided = decideSleep(ctx, expiry);
  return {
    state: effectiveSleep(ctx, decided),
    condition: sleepCondition(ctx, decided),
    ...(decided.nextChange !== undefined ? { nextChange: decided.nextChange } : {}),
  };
}
