import { describe, expect, it } from '@jest/globals';
import {
  describeObserved,
  kubeGreenSpec,
  observedSleepInfo,
  sleepInfoManifest,
  type KubeGreenSpec,
  type NamespaceSleep,
  type ObservedSleepInfo,
} from '../../functions/shared/kube-green.js';
import { validateComposed } from '../support/models.js';

const SCHEDULE = { weekdays: '1-5', sleepAt: '20:00', wakeUpAt: '08:00', timeZone: 'Europe/Berlin' };
const EVERY_MINUTE_SLEEP = { weekdays: '*', sleepAt: '*:*' };
const SLEPT: ObservedSleepInfo = { operation: 'SLEEP', lastScheduleTime: '2026-11-20T19:00:10Z' };
const WOKE: ObservedSleepInfo = { operation: 'WAKE_UP', lastScheduleTime: '2026-11-23T07:00:10Z' };
// Friday 2026-11-20 19:00 UTC is 20:00 in Berlin: the schedule's sleep.
const SCHEDULED_SLEEP = '2026-11-20T19:00:00Z';
// Monday 2026-11-23 07:00 UTC is 08:00 in Berlin: its wake.
const SCHEDULED_WAKE = '2026-11-23T07:00:00Z';
const after = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

describe.each<{
  name: string;
  sleep: NamespaceSleep;
  observed?: ObservedSleepInfo;
  now: Date;
  want: KubeGreenSpec | undefined;
}>([
  {
    name: 'asleep by hand: sleeps every minute, so it sleeps now and stays asleep',
    sleep: { asleep: true, reason: 'Manual', since: '2026-11-21T12:00:00Z' },
    now: new Date('2026-11-21T12:00:00Z'),
    want: EVERY_MINUTE_SLEEP,
  },
  {
    name: 'expired and already asleep: keeps sleeping every minute',
    sleep: { asleep: true, reason: 'Expired', since: '2026-11-21T12:00:00Z', schedule: SCHEDULE },
    observed: SLEPT,
    now: new Date('2026-11-22T12:00:00Z'),
    want: EVERY_MINUTE_SLEEP,
  },
  {
    name: 'asleep by schedule, and kube-green put it to sleep: its schedule',
    sleep: { asleep: true, reason: 'Schedule', since: SCHEDULED_SLEEP, schedule: SCHEDULE },
    observed: SLEPT,
    now: after(SCHEDULED_SLEEP, 3600),
    want: SCHEDULE,
  },
  {
    name: 'asleep by schedule a moment ago: kube-green is trusted to act on its cron',
    sleep: { asleep: true, reason: 'Schedule', since: SCHEDULED_SLEEP, schedule: SCHEDULE },
    observed: WOKE,
    now: after(SCHEDULED_SLEEP, 30),
    want: SCHEDULE,
  },
  {
    name: 'asleep by a schedule kube-green missed (added mid-way): sleeps now, schedule once asleep',
    sleep: { asleep: true, reason: 'Schedule', since: SCHEDULED_SLEEP, schedule: SCHEDULE },
    now: after(SCHEDULED_SLEEP, 3600),
    want: EVERY_MINUTE_SLEEP,
  },
  {
    name: 'awake by schedule a moment ago: kube-green wakes it on its cron',
    sleep: { asleep: false, since: SCHEDULED_WAKE, schedule: SCHEDULE },
    observed: SLEPT,
    now: after(SCHEDULED_WAKE, 30),
    want: SCHEDULE,
  },
  {
    name: 'awake by schedule but still asleep long after: wakes now',
    sleep: { asleep: false, since: SCHEDULED_WAKE, schedule: SCHEDULE },
    observed: SLEPT,
    now: after(SCHEDULED_WAKE, 600),
    want: { weekdays: '*', sleepAt: '19:00', wakeUpAt: '*:*', timeZone: 'UTC' },
  },
  {
    name: 'woken by hand: wakes within a minute, its next sleep half a day away',
    sleep: { asleep: false, since: '2026-11-21T12:00:00Z' },
    observed: SLEPT,
    now: new Date('2026-11-21T12:05:00Z'),
    want: { weekdays: '*', sleepAt: '00:00', wakeUpAt: '*:*', timeZone: 'UTC' },
  },
  {
    name: 'woken by hand and kube-green woke it: no SleepInfo any more',
    sleep: { asleep: false, since: '2026-11-21T12:00:00Z' },
    observed: WOKE,
    now: new Date('2026-11-21T12:05:00Z'),
    want: undefined,
  },
  {
    name: 'never slept, no schedule: none',
    sleep: { asleep: false, since: '2026-11-21T12:00:00Z' },
    now: new Date('2026-11-21T12:05:00Z'),
    want: undefined,
  },
  {
    name: 'awake with a schedule, nothing done yet: its schedule',
    sleep: { asleep: false, since: '2026-11-21T12:00:00Z', schedule: SCHEDULE },
    now: new Date('2026-11-21T12:05:00Z'),
    want: SCHEDULE,
  },
  {
    name: 'a schedule without a wake time: sleeps on it and stays asleep',
    sleep: {
      asleep: true,
      reason: 'Schedule',
      since: SCHEDULED_SLEEP,
      schedule: { weekdays: '5', sleepAt: '20:00' },
    },
    observed: SLEPT,
    now: after(SCHEDULED_SLEEP, 3600),
    want: { weekdays: '5', sleepAt: '20:00' },
  },
])('$name', ({ sleep, observed, now, want }) => {
  it('gives the SleepInfo spec', () => expect(kubeGreenSpec(sleep, observed, now)).toEqual(want));
});

describe('the SleepInfo', () => {
  it('keeps its wake spec within the hour, so it is not rewritten every call', () => {
    const sleep = { asleep: false, since: '2026-11-21T12:00:00Z' };
    const first = kubeGreenSpec(sleep, SLEPT, new Date('2026-11-21T12:00:30Z'));
    expect(kubeGreenSpec(sleep, SLEPT, new Date('2026-11-21T12:59:00Z'))).toEqual(first);
  });

  it('validates against kube-green CRD and suspends CronJobs too', () => {
    const manifest = sleepInfoManifest('default', SCHEDULE, { team: 'search' });
    expect(manifest).toMatchObject({
      apiVersion: 'kube-green.com/v1alpha1',
      kind: 'SleepInfo',
      metadata: { name: 'devplatform-sleep', namespace: 'default' },
      spec: { ...SCHEDULE, suspendCronJobs: true },
    });
    validateComposed(manifest);
  });

  it('reads what kube-green last did from the Object that holds it', () => {
    const object = {
      status: {
        atProvider: {
          manifest: { status: { operation: 'SLEEP', lastScheduleTime: SLEPT.lastScheduleTime } },
        },
      },
    };
    expect(observedSleepInfo(object)).toEqual(SLEPT);
    expect(
      observedSleepInfo({ status: { atProvider: { manifest: { status: { operation: '' } } } } }),
    ).toEqual({});
    expect(observedSleepInfo(undefined)).toBeUndefined();
    expect(describeObserved(SLEPT)).toBe('kube-green put it to sleep at 2026-11-20T19:00:10Z');
    expect(describeObserved(WOKE)).toBe('kube-green woke it at 2026-11-23T07:00:10Z');
    expect(describeObserved({})).toBe('kube-green has not acted yet');
  });
});
