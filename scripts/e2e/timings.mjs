// Time to Ready, and what Crossplane's XR circuit breaker sees, for each composite of the e2e.
//
// Crossplane v2.2.1 puts a token bucket in front of each XR's watches (internal/circuit): every watch
// event of the XR itself or of one of its composed resources takes a token (an update takes two:
// controller-runtime calls the map function with the old and the new object), the bucket holds 100
// and refills one a second; when it is empty the breaker opens for five minutes, the XR says
// `Responsive=False, WatchCircuitOpen`, and it sees one event every 30 s. This module watches the same
// objects Crossplane does, books every event to the composite it wakes and to who caused it (told apart
// by what changed), replays Crossplane's bucket over them, and records when each composite was
// submitted, last reported on by a provider and first Ready.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conditionOf } from './kube.mjs';

/** Crossplane's defaults (cmd/crossplane/core/core.go): --circuit-breaker-burst and -refill-rate. */
export const BURST = 100;
export const REFILL_PER_SECOND = 1;

const isUsage = (kind) => /Usage$/.test(kind);
const json = (v) => JSON.stringify(v ?? null);
const changed = (prev, next, pick) => json(pick(prev)) !== json(pick(next));
/** The keys whose values differ between two objects, sorted. */
const changedKeys = (a = {}, b = {}) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => json(a[k]) !== json(b[k])).sort();
const withoutInUse = (o) => {
  const { 'crossplane.io/in-use': _, ...rest } = o?.metadata?.labels ?? {};
  return rest;
};

/**
 * Who caused a watch event of a composed resource, from what changed between the two versions:
 * `<who>: <what>`. The order matters where one write changes several things.
 */
export function composedEventSource(type, prev, next) {
  if (type === 'ADDED') return 'Crossplane: creates it (function desired state)';
  if (type === 'DELETED') return 'deleted';
  if (prev === undefined) return 'unknown (first seen as a change)';
  const kind = next.kind;
  if (isUsage(kind)) {
    if (changed(prev, next, (o) => o.status)) return 'Usage controller: Usage status';
    if (changed(prev, next, (o) => o.spec)) return 'Usage controller: resolves selectors';
    if (changed(prev, next, (o) => o.metadata.finalizers)) return 'Usage controller: Usage finalizer';
    if (changed(prev, next, (o) => o.metadata.ownerReferences)) return 'Usage controller: owner (the user)';
    if (changed(prev, next, (o) => o.metadata.annotations)) return 'Usage controller: details annotation';
    return 'Usage: other metadata';
  }
  if (changed(prev, next, (o) => o.metadata.labels?.['crossplane.io/in-use']))
    return 'Usage controller: in-use label on the used resource';
  if (changed(prev, next, (o) => o.metadata.finalizers)) return 'provider: finalizer';
  if (changed(prev, next, (o) => o.status)) return 'provider: status';
  if (changed(prev, next, (o) => o.spec) || changed(prev, next, withoutInUse))
    return 'Crossplane: updates it (function desired state)';
  if (changed(prev, next, (o) => o.metadata.annotations)) return 'Crossplane or provider: annotations';
  return 'other metadata';
}

/** Who caused a watch event of the composite itself. */
export function compositeEventSource(type, prev, next) {
  if (type === 'ADDED') return 'composite: submitted';
  if (type === 'DELETED' || prev === undefined) return 'composite: other';
  if (changed(prev, next, (o) => o.spec)) return 'Crossplane: composite spec (resource references)';
  if (changed(prev, next, (o) => o.status)) {
    const conditions = (next.status?.conditions ?? [])
      .filter((c) => json(c) !== json((prev.status?.conditions ?? []).find((p) => p.type === c.type)))
      .map((c) => c.type);
    const detail = changedKeys(prev.status, next.status).map((k) =>
      k === 'conditions' ? `conditions ${conditions.join('/')}` : k,
    );
    return `Crossplane: composite status (${detail.join(', ')})`;
  }
  return `Crossplane: composite metadata (${changedKeys(prev.metadata, next.metadata).join(', ')})`;
}

/** Tokens an event takes from the bucket: two for an update (old and new object), else one. */
export const tokensOf = (type) => (type === 'MODIFIED' ? 2 : 1);

/**
 * Replays Crossplane's token bucket (internal/circuit/token_bucket.go) over events `{at, tokens}` in
 * time order: when it would first have opened (ms, as `at`), or undefined. One token at a time, as
 * RecordEvent is called once per map function call.
 */
export function bucketOpensAt(events, burst = BURST, refillPerSecond = REFILL_PER_SECOND) {
  let tokens = burst;
  let last;
  for (const { at, tokens: n } of events) {
    for (let i = 0; i < n; i += 1) {
      if (last !== undefined) tokens = Math.min(burst, tokens + ((at - last) / 1000) * refillPerSecond);
      last = at;
      if (tokens >= 1) tokens -= 1;
      else return at;
    }
  }
  return undefined;
}

/** Events by source: `{source: {events, tokens}}`, most tokens first. */
export function bySource(events) {
  const out = {};
  for (const { source, tokens } of events) {
    out[source] ??= { events: 0, tokens: 0 };
    out[source].events += 1;
    out[source].tokens += tokens;
  }
  return Object.fromEntries(Object.entries(out).sort(([, a], [, b]) => b.tokens - a.tokens));
}

const seconds = (ms) => Math.round(ms / 100) / 10;

/**
 * The watch-fed record of every composite, by the XR's uid: a composed resource counts for the XR of
 * its controller reference (names alone mix up a preview's AppStack and DevEnvironment, which share
 * one).
 */
export class Timeline {
  constructor(kube) {
    this.kube = kube;
    this.watches = [];
    this.last = new Map(); // uid -> object, to tell what an update changed
    this.composites = new Map(); // XR uid -> record
  }

  record(uid) {
    if (!this.composites.has(uid))
      this.composites.set(uid, { events: [], reports: [], readyAt: undefined, open: undefined });
    return this.composites.get(uid);
  }

  /** Starts watching the composite kinds and the composed kinds (apiVersion and kind pairs). */
  async start({ compositeKinds, composedKinds }) {
    for (const [apiVersion, kind] of compositeKinds)
      this.watches.push(await this.kube.watch(apiVersion, kind, {}, (t, o) => this.onComposite(t, o)));
    for (const [apiVersion, kind] of composedKinds)
      this.watches.push(
        await this.kube.watch(apiVersion, kind, { labelSelector: 'crossplane.io/composite' }, (t, o) =>
          this.onComposed(t, o),
        ),
      );
  }

  stop() {
    for (const w of this.watches) w.stop();
  }

  remember(type, object) {
    const prev = this.last.get(object.metadata.uid);
    if (type === 'DELETED') this.last.delete(object.metadata.uid);
    else this.last.set(object.metadata.uid, object);
    return prev;
  }

  onComposite(type, object) {
    const prev = this.remember(type, object);
    const r = this.record(object.metadata.uid);
    const at = Date.now();
    // Crossplane lets a deleted object's events through without counting them (circuit/mapfunc.go).
    if (object.metadata.deletionTimestamp === undefined)
      r.events.push({ at, tokens: tokensOf(type), source: compositeEventSource(type, prev, object) });
    if (r.readyAt === undefined && conditionOf(object, 'Ready')?.status === 'True') r.readyAt = at;
    const responsive = conditionOf(object, 'Responsive');
    if (r.open === undefined && responsive?.reason === 'WatchCircuitOpen')
      r.open = { at, message: responsive.message };
  }

  onComposed(type, object) {
    const prev = this.remember(type, object);
    const owner = object.metadata.ownerReferences?.find((ref) => ref.controller === true)?.uid;
    if (owner === undefined || object.metadata.deletionTimestamp !== undefined) return;
    const r = this.record(owner);
    const at = Date.now();
    const source = composedEventSource(type, prev, object);
    const component = object.metadata.annotations?.['crossplane.io/composition-resource-name'];
    r.events.push({ at, tokens: tokensOf(type), source, kind: object.kind, component });
    // What the (stand-in) providers report is what the composite waits for.
    if (source === 'provider: status') r.reports.push(at);
  }

  /**
   * The figures of one composite, submitted at `submittedAt` (ms): the contract of timings.json, and
   * the watch events that led there (everything until it was first Ready).
   */
  figures(xrUid, submittedAt, partOf) {
    const r = this.record(xrUid);
    const until = r.readyAt ?? Date.now();
    const events = r.events.filter((e) => e.at <= until);
    const reports = r.reports.filter((at) => at <= until);
    const lastReport = reports.length > 0 ? Math.max(...reports) : undefined;
    const predicted = bucketOpensAt(events);
    return {
      timing: {
        toReadySeconds: r.readyAt === undefined ? null : seconds(r.readyAt - submittedAt),
        afterProvidersSeconds:
          r.readyAt === undefined || lastReport === undefined ? null : seconds(r.readyAt - lastReport),
        circuitBreakerOpened: r.open !== undefined,
      },
      events: {
        firstProviderReportSeconds: reports.length > 0 ? seconds(Math.min(...reports) - submittedAt) : null,
        lastProviderReportSeconds: lastReport === undefined ? null : seconds(lastReport - submittedAt),
        breakerOpenedSeconds: r.open === undefined ? null : seconds(r.open.at - submittedAt),
        breakerMessage: r.open?.message ?? null,
        bucketWouldOpenSeconds: predicted === undefined ? null : seconds(predicted - submittedAt),
        watchEventsUntilReady: events.length,
        tokensUntilReady: events.reduce((n, e) => n + e.tokens, 0),
        bySource: bySource(events),
        ...(partOf === undefined ? {} : { splitByStage: splitReplay(events, partOf) }),
      },
    };
  }
}

/**
 * A replay, not a run: how the same composed-resource events would fall on Crossplane's breaker were
 * the composite split into one nested composite per part (`partOf(component)`), each with its own
 * bucket. Per part: tokens, and when its bucket would open (s after the first event), or null. What
 * it leaves out: the nested composites' own status writes, and the parent's events from them.
 */
export function splitReplay(events, partOf) {
  const parts = {};
  for (const e of events) {
    if (e.component === undefined) continue;
    (parts[partOf(e.component)] ??= []).push(e);
  }
  const start = events[0]?.at ?? 0;
  return Object.fromEntries(
    Object.entries(parts).map(([part, list]) => {
      const opens = bucketOpensAt(list);
      return [
        part,
        {
          tokens: list.reduce((n, e) => n + e.tokens, 0),
          bucketWouldOpenSeconds: opens === undefined ? null : seconds(opens - start),
        },
      ];
    }),
  );
}

/** One line per example for the log: the timings and the three largest sources of events. */
export function timingLine(example, { timing, events }) {
  const top = Object.entries(events.bySource)
    .slice(0, 3)
    .map(([source, { tokens }]) => `${source} ${tokens}`)
    .join(', ');
  const breaker = timing.circuitBreakerOpened
    ? `circuit breaker opened at ${events.breakerOpenedSeconds} s (${events.breakerMessage})`
    : 'circuit breaker never opened';
  return (
    `TIMING ${example}: Ready ${timing.toReadySeconds} s after submission, ` +
    `${timing.afterProvidersSeconds} s after the last provider report (at ${events.lastProviderReportSeconds} s); ` +
    `${breaker}; ${events.tokensUntilReady} tokens of watch events until Ready, most from: ${top}`
  );
}

/** Writes _output/e2e/timings.json (the contract) and watch-events.json (where the events came from). */
export function writeTimings(dir, figuresByExample) {
  mkdirSync(dir, { recursive: true });
  const timings = Object.fromEntries(Object.entries(figuresByExample).map(([k, v]) => [k, v.timing]));
  const events = Object.fromEntries(Object.entries(figuresByExample).map(([k, v]) => [k, v.events]));
  writeFileSync(join(dir, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  writeFileSync(join(dir, 'watch-events.json'), `${JSON.stringify(events, null, 2)}\n`);
}
