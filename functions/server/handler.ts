import {
  fatal,
  fromObject,
  Ready,
  requireResource,
  RunFunctionResponse,
  Severity,
  Status,
  Target,
  to,
  type RunFunctionRequest,
} from '@crossplane-org/function-sdk-typescript';
import { appStackKinds } from '../appstack/index.js';
import { devEnvironmentKinds } from '../devenvironment/index.js';
import type { CompositeCondition, Composition } from '../shared/composed.js';
import type { CompositeKind } from '../shared/composites.js';
import { InputError, InputErrors, PolicyErrors } from '../shared/errors.js';
import { isObject, type JsonObject } from '../shared/objects.js';
import { conditionOf, isObservedReady } from '../shared/observed.js';
import { resolvePolicy } from '../shared/policy/policy.js';
import { retainObserved } from '../shared/retain.js';

/** Every composite kind this function serves. */
export const COMPOSITE_KINDS: readonly CompositeKind[] = [...devEnvironmentKinds, ...appStackKinds];

/** How soon Crossplane calls again: soon while something is being waited on, rarely once ready. */
export const TTL_WAITING_SECONDS = 30;
export const TTL_READY_SECONDS = 600;
/**
 * How soon Crossplane calls again while its circuit breaker holds back this XR's watch events
 * (docs/performance.md): it then sees one event every 30 s, so what the providers report would wait
 * for that; the TTL brings the next call sooner. The breaker stays open 5 minutes at most after it
 * last opened, so this costs at most 60 calls each time.
 */
export const TTL_WATCHES_THROTTLED_SECONDS = 5;

export interface HandlerOptions {
  now?: () => Date;
}

const STATUS: Record<CompositeCondition['status'], Status> = {
  True: Status.STATUS_CONDITION_TRUE,
  False: Status.STATUS_CONDITION_FALSE,
  Unknown: Status.STATUS_CONDITION_UNKNOWN,
};

/** The composite kind this function serves for an XR, if it serves it. */
export function findKind(xr: JsonObject): CompositeKind | undefined {
  return COMPOSITE_KINDS.find((k) => k.apiVersion === xr.apiVersion && k.kind === xr.kind);
}

function observedResources(req: RunFunctionRequest): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const [name, r] of Object.entries(req.observed?.resources ?? {})) {
    if (isObject(r.resource)) out.set(name, r.resource);
  }
  return out;
}

function requiredResources(req: RunFunctionRequest): Map<string, JsonObject[]> {
  const out = new Map<string, JsonObject[]>();
  const fetched = { ...(req.extraResources ?? {}), ...(req.requiredResources ?? {}) };
  for (const [name, resources] of Object.entries(fetched)) {
    out.set(
      name,
      (resources.items ?? []).map((i) => i.resource).filter((r): r is JsonObject => isObject(r)),
    );
  }
  return out;
}

function ttl(seconds: number) {
  return { seconds, nanos: 0 };
}

/**
 * Whether Crossplane's XR circuit breaker is holding back the composite's watch events: it says so in
 * the XR's Responsive condition (reason WatchCircuitOpen, Crossplane v2.1 and later), which it sets
 * before calling the function.
 */
export function watchesThrottled(xr: JsonObject): boolean {
  return conditionOf(xr, 'Responsive')?.reason === 'WatchCircuitOpen';
}

/**
 * How soon Crossplane calls again: sooner while waiting than once ready, soon whatever the state
 * while its circuit breaker drops the watch events that would call sooner, within the composer's
 * recheck while it waits for something no watch reports (an AppStack's DevEnvironment), and never
 * later than the composite's next change of its own (a scheduled sleep or wake, an expiry), so it
 * happens on time.
 */
export function responseTtl(composition: Composition, now: Date, throttled = false): number {
  const usual = Math.min(
    throttled ? TTL_WATCHES_THROTTLED_SECONDS : composition.ready ? TTL_READY_SECONDS : TTL_WAITING_SECONDS,
    composition.recheckWithinSeconds ?? Infinity,
  );
  if (composition.nextChangeAt === undefined) return usual;
  const until = Math.ceil((composition.nextChangeAt.getTime() - now.getTime()) / 1000);
  return Math.min(usual, Math.max(until, 1));
}

/** Writes a composition into the response: desired resources with readiness, XR status, conditions, events. */
function writeComposition(
  rsp: RunFunctionResponse,
  composition: Composition,
  observed: Map<string, JsonObject>,
  now: Date,
  throttled: boolean,
): void {
  // The SDK's to() hands the response the request's own desired state: add to a copy of it.
  const previous = rsp.desired ?? { composite: undefined, resources: {} };
  const desired = { ...previous, resources: { ...previous.resources } };
  rsp.desired = desired;
  for (const { name, body } of composition.resources) {
    const ready = isObservedReady(observed.get(name)) ? Ready.READY_TRUE : Ready.READY_FALSE;
    desired.resources[name] = fromObject(body, undefined, ready);
  }
  const composite = desired.composite?.resource ?? {};
  const status = isObject(composite.status) ? composite.status : {};
  desired.composite = {
    resource: { ...composite, status: { ...status, ...composition.status } },
    connectionDetails: desired.composite?.connectionDetails ?? {},
    // Crossplane derives the XR's Ready from the composed resources' readiness, and an XR that
    // composes nothing yet (an AppStack waiting for its environment) would count as Ready. While the
    // composer waits for anything, say so; once it does not, leave it to the composed resources.
    ready: composition.ready ? Ready.READY_UNSPECIFIED : Ready.READY_FALSE,
  };
  rsp.conditions = [
    ...rsp.conditions,
    ...composition.conditions.map((c) => ({
      type: c.type,
      status: STATUS[c.status],
      reason: c.reason,
      message: c.message,
      target: Target.TARGET_COMPOSITE_AND_CLAIM,
    })),
  ];
  rsp.results = [
    ...rsp.results,
    ...composition.events.map((e) => ({
      severity: e.severity === 'Warning' ? Severity.SEVERITY_WARNING : Severity.SEVERITY_NORMAL,
      message: e.message,
      reason: e.reason,
      target: Target.TARGET_COMPOSITE_AND_CLAIM,
    })),
  ];
  rsp.meta = {
    ...(rsp.meta ?? { tag: '' }),
    ttl: ttl(responseTtl(composition, now, throttled)),
  };
  for (const [name, selector] of Object.entries(composition.requirements ?? {})) {
    requireResource(rsp, name, selector);
  }
}

/** The Composition that called the function, as the XR names it (v2 and legacy). */
function compositionName(xr: JsonObject): string | undefined {
  const spec = isObject(xr.spec) ? xr.spec : {};
  const crossplane = isObject(spec.crossplane) ? spec.crossplane : spec;
  const ref = isObject(crossplane.compositionRef) ? crossplane.compositionRef : undefined;
  return typeof ref?.name === 'string' ? ref.name : undefined;
}

/**
 * A broken Policy is the platform team's to fix: a Fatal result and a PolicyValid=False condition
 * that say so and name the Composition, so the developer is not sent to change their XR.
 */
function rejectPolicy(rsp: RunFunctionResponse, xr: JsonObject, error: PolicyErrors): RunFunctionResponse {
  const name = compositionName(xr);
  const which = name === undefined ? 'its Composition' : `Composition "${name}"`;
  const message =
    `the Composition's function input (Policy) is invalid; the platform team must fix ${which}: ` +
    error.message;
  return rejectInput(rsp, message, { type: 'PolicyValid', reason: 'InvalidPolicy' });
}

/**
 * A Fatal result naming what is wrong, and a condition on the XR saying the same (SpecValid for the
 * developer's input unless told otherwise). Nothing is composed.
 */
function rejectInput(
  rsp: RunFunctionResponse,
  message: string,
  condition: { type: string; reason: string } = { type: 'SpecValid', reason: 'InvalidInput' },
): RunFunctionResponse {
  fatal(rsp, message);
  rsp.conditions = [
    ...rsp.conditions,
    {
      ...condition,
      status: Status.STATUS_CONDITION_FALSE,
      message,
      target: Target.TARGET_COMPOSITE_AND_CLAIM,
    },
  ];
  return rsp;
}

/**
 * Handles one RunFunctionRequest: request → validated spec → pure composer → response. Bad input
 * gives a Fatal result naming the field; nothing is half-rendered. Never throws.
 */
export function runFunction(req: RunFunctionRequest, options: HandlerOptions = {}): RunFunctionResponse {
  const rsp = to(req, ttl(TTL_WAITING_SECONDS));
  const xr = req.observed?.composite?.resource;
  if (!isObject(xr)) return rejectInput(rsp, 'the request has no observed composite resource');
  const kind = findKind(xr);
  if (kind === undefined) {
    const served = COMPOSITE_KINDS.map((k) => `${k.apiVersion} ${k.kind}`).join(', ');
    return rejectInput(
      rsp,
      `function-devplatform composes ${served}; got ${String(xr.apiVersion)} ${String(xr.kind)}`,
    );
  }
  try {
    const policy = resolvePolicy(isObject(req.input) ? req.input : undefined);
    const observed = observedResources(req);
    const now = options.now?.() ?? new Date();
    const composition = kind.compose({
      flavor: kind.flavor,
      xr,
      policy,
      observed,
      required: requiredResources(req),
      now,
    });
    // Resources an earlier pipeline step desires are that step's to keep or drop.
    const desiredByOthers = new Set(Object.keys(req.desired?.resources ?? {}));
    const keep = retainObserved(
      composition,
      observed,
      (name) => desiredByOthers.has(name) || kind.isDeliberateRemoval(name),
    );
    writeComposition(rsp, keep, observed, now, watchesThrottled(xr));
    return rsp;
  } catch (error) {
    if (error instanceof PolicyErrors) return rejectPolicy(rsp, xr, error);
    if (error instanceof InputError || error instanceof InputErrors) {
      return rejectInput(rsp, `invalid ${kind.kind}: ${error.message}`);
    }
    const message = error instanceof Error ? error.message : String(error);
    const fresh = to(req, ttl(TTL_WAITING_SECONDS));
    fatal(fresh, `internal error composing ${kind.kind}: ${message}`);
    return fresh;
  }
}

/** The reply to a request that cannot be decoded: a Fatal result saying why, tagged when the tag was readable. */
export function rejectUndecodable(reason: string, tag: string): RunFunctionResponse {
  const rsp = RunFunctionResponse.fromPartial({ meta: { tag, ttl: ttl(TTL_WAITING_SECONDS) } });
  return fatal(rsp, `function-devplatform cannot read the RunFunctionRequest: ${reason}`);
}
