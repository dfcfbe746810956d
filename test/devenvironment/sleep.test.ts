import type { DevEnvironmentContext } from '../../functions/devenvironment/context.js';
import {
  decideSleep,
  effectiveSleep,
  sleepCondition,
  sleepConcerns,
} from '../../functions/devenvironment/sleep.js';
import type { DevEnvironmentSpec } from '../../functions/devenvironment/spec.js';
import { responseTtl } from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { devEnvironmentContext } from '../support/stage.js';

/**
 * Sleep decisions (issue 20) on a fixed clock: the render time, Saturday 2026-11-21 12:00 UTC. The
 * eks example was created 2026-11-20 09:00 with a ttl of 3d.
 */
const EKS = 'examples/devenvironment/eks/xr.yaml';
const VCLUSTER = 'examples/devenvironment/vcluster/xr.yaml';
const OFFICE = { weekdays: '1-5', sleepAt: '20:00', wakeUpAt: '08:00', timeZone: 'Europe/Berlin' };

function context(
  example: string,
  spec: Partial<DevEnvironmentSpec>,
  extra: { reported?: JsonObject; onExpiry?: 'Sleep' | 'Report'; now?: string } = {},
): DevEnvironmentContext {
  const base = devEnvironmentContext(example, new Map());
  return {
    ...base,
    env: { ...base.env, spec: { ...base.env.spec, ...spec } },
    policy: { ...base.policy, lifecycle: { ...base.policy.lifecycle, onExpiry: extra.onExpiry ?? 'Sleep' } },
    ...(extra.reported !== undefined ? { reported: extra.reported } : {}),
    ...(extra.now !== undefined ? { now: new Date(extra.now) } : {}),
  };
}

describe.each([
  {
    name: 'asleep by hand, since it was first seen asleep',
    ctx: context(EKS, { sleep: { asleep: true } }),
    expiry: undefined,
    want: { asleep: true, reason: 'Manual', since: '2026-11-21T12:00:00Z' },
  },
  {
    name: 'asleep by hand keeps the since it reported',
    ctx: context(
      EKS,
      { sleep: { asleep: true } },
      { reported: { sleep: { asleep: true, reason: 'Manual', since: '2026-11-20T18:00:00Z' } } },
    ),
    expiry: undefined,
    want: { asleep: true, reason: 'Manual', since: '2026-11-20T18:00:00Z' },
  },
  {
    name: 'asleep on schedule over the weekend, waking on Monday morning',
    ctx: context(EKS, { sleep: { asleep: false, schedule: OFFICE } }),
    expiry: undefined,
    want: {
      asleep: true,
      reason: 'Schedule',
      since: '2026-11-20T19:00:00Z',
      nextChange: '2026-11-23T07:00:00Z',
    },
  },
  {
    name: 'awake on schedule, going to sleep in the evening',
    ctx: context(EKS, { sleep: { asleep: false, schedule: OFFICE } }, { now: '2026-11-23T12:00:00Z' }),
    expiry: undefined,
    want: { asleep: false, since: '2026-11-23T07:00:00Z', nextChange: '2026-11-23T19:00:00Z' },
  },
  {
    name: 'awake until its ttl runs out, which puts it to sleep',
    ctx: context(EKS, {}),
    expiry: '2026-11-23T09:00:00Z',
    want: { asleep: false, since: '2026-11-20T09:00:00Z', nextChange: '2026-11-23T09:00:00Z' },
  },
  {
    name: 'expired: asleep with reason Expired, over a manual wake or a schedule',
    ctx: context(EKS, { sleep: { asleep: false, schedule: OFFICE } }),
    expiry: '2026-11-21T09:00:00Z',
    want: { asleep: true, reason: 'Expired', since: '2026-11-21T09:00:00Z' },
  },
  {
    name: 'expired, when the policy only reports expiry: awake',
    ctx: context(EKS, {}, { onExpiry: 'Report' }),
    expiry: '2026-11-21T09:00:00Z',
    want: { asleep: false, since: '2026-11-20T09:00:00Z' },
  },
])('$name', ({ ctx, expiry, want }) => {
  it('decides', () => expect(decideSleep(ctx, expiry)).toEqual(want));
});

describe('what the environment carries out', () => {
  it('sleeps only where the platform gives it a way; elsewhere it keeps running and says why', () => {
    const base = context(VCLUSTER, { sleep: { asleep: true } });
    const ctx = {
      ...base,
      policy: {
        ...base.policy,
        lifecycle: { ...base.policy.lifecycle, kubeGreen: { tool: '', onHost: true } },
      },
    };
    const decided = decideSleep(ctx, undefined);
    expect(effectiveSleep(ctx, decided).asleep).toBe(false);
    expect(sleepCondition(ctx, decided)).toEqual({
      type: 'Asleep',
      status: 'False',
      reason: 'NotAvailable',
      message:
        "spec.sleep: the environment should sleep now (Manual), but the platform offers no kube-green (the policy's lifecycle.kubeGreen.tool is empty); it keeps running",
    });
    expect(effectiveSleep(base, decideSleep(base, undefined)).asleep).toBe(true);
  });

  it('sleeps a vcluster or namespace environment through kube-green, saying what it last did', () => {
    const ctx = context(VCLUSTER, { sleep: { asleep: true } });
    expect(sleepCondition(ctx, decideSleep(ctx, undefined)).message).toMatch(
      /^asleep since .* \(workloads in its default namespace and its apps' namespaces scaled to zero by kube-green; kube-green has not acted yet\); set spec.sleep.asleep to false to wake it$/,
    );
  });

  it('concerns environments with spec.sleep, or a ttl that puts them to sleep', () => {
    expect(sleepConcerns(context(EKS, {}))).toBe(true);
    expect(sleepConcerns(context(EKS, {}, { onExpiry: 'Report' }))).toBe(false);
    expect(sleepConcerns(context(EKS, { ttlSeconds: undefined }))).toBe(false);
  });
});

describe('the response TTL', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const composition = { resources: [], status: {}, conditions: [], events: [], ready: true };
  it('brings the next call to the next change, within a second', () => {
    expect(responseTtl({ ...composition, nextChangeAt: new Date('2026-11-21T12:01:30Z') }, now)).toBe(90);
    expect(responseTtl({ ...composition, nextChangeAt: new Date('2026-11-21T12:00:00.200Z') }, now)).toBe(1);
  });
  it("never later than today's values", () => {
    expect(responseTtl({ ...composition, nextChangeAt: new Date('2026-11-23T07:00:00Z') }, now)).toBe(600);
    expect(responseTtl({ ...composition, ready: false }, now)).toBe(30);
  });
  it("comes every 5 s while Crossplane's circuit breaker drops the XR's watch events, ready or not", () => {
    expect(responseTtl({ ...composition, ready: false }, now, true)).toBe(5);
    expect(responseTtl(composition, now, true)).toBe(5);
    expect(responseTtl({ ...composition, nextChangeAt: new Date('2026-11-21T12:00:02Z') }, now, true)).toBe(
      2,
    );
  });
  it('comes within the recheck of what no watch reports', () => {
    expect(responseTtl({ ...composition, ready: false, recheckWithinSeconds: 10 }, now)).toBe(10);
    expect(responseTtl({ ...composition, ready: false, recheckWithinSeconds: 10 }, now, true)).toBe(5);
  });
});
