import { runFunction } from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import {
  asObservedReady,
  compositionInput,
  desiredOf,
  readYaml,
  requestFor,
  statusOf,
} from '../support/request.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

/**
 * Namespace and vcluster environments sleep through kube-green (issue 20): the function composes a
 * SleepInfo and reads back what kube-green last did. Here kube-green is played by hand (its status
 * written into the observed Object); what kube-green itself does is not run, and the schedule maths
 * it follows is tested in test/shared/kube-green.test.ts.
 */
const NOW = { now: () => FIXED_NOW };
const V2 = compositionInput('apis/devenvironment/composition.yaml');
const manifest = (o: JsonObject | undefined) =>
  (o?.spec as { forProvider: { manifest: JsonObject } }).forProvider.manifest;

function settled(xr: JsonObject, input: JsonObject = V2): Record<string, JsonObject> {
  const rounds = simulate(xr, input);
  return desiredOf(rounds[rounds.length - 1]!.response);
}

/** The composed resources as observed, the SleepInfo reporting kube-green's last operation. */
function observedWith(xr: JsonObject, desired: Record<string, JsonObject>, operation?: string): JsonObject[] {
  return Object.entries(desired).map(([name, body]) => {
    const object = asObservedReady(xr, name, body);
    if (name !== 'sleepinfo' || operation === undefined) return object;
    const status = { operation, lastScheduleTime: '2026-11-21T11:59:30Z' };
    return {
      ...object,
      status: { ...(object.status as JsonObject), atProvider: { manifest: { ...manifest(body), status } } },
    };
  });
}

const withSleep = (xr: JsonObject, sleep: JsonObject) => ({
  ...xr,
  spec: { ...(xr.spec as JsonObject), sleep },
});
const asleepCondition = (rsp: ReturnType<typeof runFunction>) =>
  rsp.conditions.find((c) => c.type === 'Asleep');

describe('a vcluster environment asleep', () => {
  const xr = readYaml('examples/devenvironment/vcluster-asleep/xr.yaml');
  const desired = settled(xr);

  it('installs kube-green in the vcluster and, once it is ready, a SleepInfo sleeping every minute', () => {
    expect(desired['tool-kube-green']).toBeDefined();
    expect(manifest(desired.sleepinfo)).toMatchObject({
      kind: 'SleepInfo',
      metadata: { name: 'devplatform-sleep', namespace: 'default' },
      spec: { weekdays: '*', sleepAt: '*:*' },
    });
    expect(desired['usage-sleepinfo-uses-tool-kube-green']).toBeDefined();
  });

  it('reports what kube-green did', () => {
    const rsp = runFunction(requestFor(xr, { input: V2, observed: observedWith(xr, desired, 'SLEEP') }), NOW);
    expect(statusOf(rsp)).toMatchObject({ phase: 'Asleep', sleep: { asleep: true, reason: 'Manual' } });
    expect(asleepCondition(rsp)?.message).toMatch(/kube-green put it to sleep at 2026-11-21T11:59:30Z/);
  });

  it('wakes: a wake every minute until kube-green reports it, then no SleepInfo; kube-green stays', () => {
    const awake = withSleep(xr, { asleep: false });
    const waking = desiredOf(
      runFunction(requestFor(awake, { input: V2, observed: observedWith(xr, desired, 'SLEEP') }), NOW),
    );
    expect(manifest(waking.sleepinfo)).toMatchObject({ spec: { wakeUpAt: '*:*', timeZone: 'UTC' } });
    const woken = runFunction(
      requestFor(awake, { input: V2, observed: observedWith(xr, desired, 'WAKE_UP') }),
      NOW,
    );
    const names = Object.keys(desiredOf(woken));
    expect(names.filter((n) => n.includes('sleepinfo'))).toEqual([]);
    expect(names).toContain('tool-kube-green');
    expect(woken.results).not.toContainEqual(expect.objectContaining({ reason: 'ResourceRetained' }));
    expect(statusOf(woken)).toMatchObject({ phase: 'Ready', sleep: { asleep: false } });
  });

  it('cannot sleep where the platform offers no kube-green, and says so', () => {
    const input = { ...V2, lifecycle: { kubeGreen: { tool: '' } } };
    const rsp = runFunction(requestFor(xr, { input }), NOW);
    expect(Object.keys(desiredOf(rsp))).not.toContain('tool-kube-green');
    expect(asleepCondition(rsp)).toMatchObject({ reason: 'NotAvailable' });
    expect(asleepCondition(rsp)?.message).toMatch(/lifecycle\.kubeGreen\.tool is empty/);
  });
});

describe('a namespace environment asleep on its schedule', () => {
  const xr = readYaml('examples/devenvironment/namespace-asleep/xr.yaml');
  const desired = settled(xr);

  it('sleeps now through the host kube-green (it missed Friday 19:00), then follows the schedule', () => {
    expect(manifest(desired.sleepinfo)).toMatchObject({
      metadata: { namespace: 'team-payments-billing-dev' },
      spec: { weekdays: '*', sleepAt: '*:*' },
    });
    const rsp = runFunction(requestFor(xr, { input: V2, observed: observedWith(xr, desired, 'SLEEP') }), NOW);
    expect(manifest(desiredOf(rsp).sleepinfo)).toMatchObject({
      spec: { weekdays: '1-5', sleepAt: '19:00', wakeUpAt: '07:00', timeZone: 'America/New_York' },
    });
    expect(statusOf(rsp)).toMatchObject({
      phase: 'Asleep',
      sleep: { asleep: true, reason: 'Schedule', nextChange: '2026-11-23T12:00:00Z' },
    });
  });

  it('keeps running where the host has no kube-green, and says so', () => {
    const input = { ...V2, lifecycle: { kubeGreen: { onHost: false } } };
    const rsp = runFunction(requestFor(xr, { input }), NOW);
    expect(Object.keys(desiredOf(rsp))).not.toContain('sleepinfo');
    expect(asleepCondition(rsp)?.message).toMatch(/the host cluster runs no kube-green/);
  });
});
