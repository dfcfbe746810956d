import type { DevEnvironmentContext } from '../../functions/devenvironment/context.js';
import { decideSleep } from '../../functions/devenvironment/sleep.js';
import {
  kubeGreenSpec,
  type KubeGreenSpec,
  type ObservedSleepInfo,
} from '../../functions/shared/kube-green.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { parseWeekdays, type SleepSchedule } from '../../functions/shared/sleep-schedule.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';
import { devEnvironmentContext } from '../support/stage.js';

/**
 * The function's SleepInfo against a model of kube-green, over random four-day spans (issue 20). The model
 * stands in for kube-green v0.7.1 (internal/controller/sleepinfo): each minute it runs its current
 * operation if that operation's cron matches the minute (the sleep after a wake, the wake after a
 * sleep when wakeUpAt is set, else the sleep again), in the SleepInfo's time zone; a minute it missed
 * is not caught up; deleting the SleepInfo deletes the replicas it saved. It cannot catch what the
 * model leaves out: kube-green's sub-minute timing, its webhook, or workloads it does not handle.
 *
 * A team switches spec.sleep.asleep and a schedule on and off at random hours; the function is
 * called every one to six minutes with what kube-green last reported. Whatever happens:
 * - the SleepInfo never goes while it holds a sleep (no replicas lost);
 * - once the decided state has held for 15 minutes, the workloads are in it.
 */
// Each run is four days of minutes, about twelve times another property's run: a twelfth as many.
const RUNS = Math.ceil(propertyRuns(100) / 12);
const START = Date.parse('2026-11-20T00:00:00Z');
const MINUTE = 60_000;
const DAYS = 4;
const EXAMPLE = 'examples/devenvironment/namespace/xr.yaml';
const SCHEDULES: SleepSchedule[] = [
  { weekdays: '1-5', sleepAt: '20:00', wakeUpAt: '08:00', timeZone: 'Europe/Berlin' },
  { weekdays: '*', sleepAt: '19:30', wakeUpAt: '07:15', timeZone: 'America/New_York' },
  { weekdays: '0,6', sleepAt: '00:00' },
];

/** kube-green as the property sees it: what runs, and what it saved to restore. */
interface KubeGreen {
  spec?: KubeGreenSpec;
  lastOperation?: 'SLEEP' | 'WAKE_UP';
  lastScheduleTime?: string;
  workloadsAsleep: boolean;
  savedReplicas: boolean;
}

const FORMATS = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = new Map<string, Set<number>>();
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function localParts(at: Date, timeZone: string): { day: number; hhmm: string } {
  let format = FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    FORMATS.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: DAY_NAMES.indexOf(get('weekday')), hhmm: `${get('hour')}:${get('minute')}` };
}

/** Whether a kube-green time ("HH:MM" or "*:*") on `weekdays` matches the minute `at`. */
function cronMatches(spec: KubeGreenSpec, time: string, at: Date): boolean {
  const { day, hhmm } = localParts(at, spec.timeZone ?? 'UTC');
  let days = WEEKDAYS.get(spec.weekdays);
  if (days === undefined) {
    days = parseWeekdays(spec.weekdays, 'weekdays');
    WEEKDAYS.set(spec.weekdays, days);
  }
  if (!days.has(day)) return false;
  return time === '*:*' || time === hhmm;
}

/** One minute of kube-green. */
function kubeGreenMinute(kg: KubeGreen, at: Date): void {
  if (kg.spec === undefined) return;
  const wakes = kg.lastOperation === 'SLEEP' && kg.spec.wakeUpAt !== undefined;
  const time = wakes ? (kg.spec.wakeUpAt ?? '') : kg.spec.sleepAt;
  if (!cronMatches(kg.spec, time, at)) return;
  if (wakes) {
    kg.workloadsAsleep = false;
  } else if (!kg.workloadsAsleep) {
    kg.workloadsAsleep = true;
    kg.savedReplicas = true;
  }
  kg.lastOperation = wakes ? 'WAKE_UP' : 'SLEEP';
  kg.lastScheduleTime = at.toISOString();
}

function observedOf(kg: KubeGreen): ObservedSleepInfo | undefined {
  if (kg.spec === undefined) return undefined;
  return {
    ...(kg.lastOperation !== undefined ? { operation: kg.lastOperation } : {}),
    ...(kg.lastScheduleTime !== undefined ? { lastScheduleTime: kg.lastScheduleTime } : {}),
  };
}

/** What the team asks at random hours: asleep by hand or not, a schedule or not. */
function randomTimeline(next: () => number): Array<{ at: number; sleep: JsonObject }> {
  const changes: Array<{ at: number; sleep: JsonObject }> = [];
  for (
    let at = START;
    at < START + DAYS * 24 * 60 * MINUTE;
    at += Math.floor((1 + next() * 14) * 60 * MINUTE)
  ) {
    const schedule = next() < 0.6 ? SCHEDULES[Math.floor(next() * SCHEDULES.length)] : undefined;
    changes.push({
      at: at + Math.floor(next() * 60) * MINUTE,
      sleep: { asleep: next() < 0.3, ...(schedule !== undefined ? { schedule } : {}) },
    });
  }
  return changes;
}

describe('the SleepInfo against a model of kube-green', () => {
  const base = devEnvironmentContext(EXAMPLE, new Map());

  it(
    `never loses replicas and converges within 15 minutes (${RUNS} random four-day spans)`,
    () => {
      const next = random(propertySeed(2020));
      for (let run = 0; run < RUNS; run++) {
        const timeline = randomTimeline(next);
        const kg: KubeGreen = { workloadsAsleep: false, savedReplicas: false };
        let reported: JsonObject | undefined;
        let nextCall = START;
        for (let t = START; t < START + DAYS * 24 * 60 * MINUTE; t += MINUTE) {
          const now = new Date(t);
          const change = [...timeline].reverse().find((c) => c.at <= t);
          const sleep = change?.sleep;
          if (t >= nextCall) {
            const ctx: DevEnvironmentContext = {
              ...base,
              now,
              env: {
                ...base.env,
                spec: {
                  ...base.env.spec,
                  ttlSeconds: undefined,
                  ...(sleep ? { sleep: sleep as never } : {}),
                },
              },
              ...(reported !== undefined ? { reported } : {}),
            };
            const state = decideSleep(ctx, undefined);
            reported = { sleep: state as unknown as JsonObject };
            const schedule = ctx.env.spec.sleep?.schedule;
            const spec = kubeGreenSpec({ ...state, ...(schedule ? { schedule } : {}) }, observedOf(kg), now);
            const context = `run ${run} at ${now.toISOString()} sleep ${JSON.stringify(sleep)}`;
            if (spec === undefined && kg.spec !== undefined) {
              expect({ context, losesReplicas: kg.workloadsAsleep }).toEqual({
                context,
                losesReplicas: false,
              });
              kg.lastOperation = undefined;
              kg.lastScheduleTime = undefined;
            }
            kg.spec = spec;
            // The state last changed when the team last asked, or on its schedule (since).
            const changed = Math.max(change?.at ?? START, Date.parse(state.since ?? ''));
            if (t - changed >= 15 * MINUTE) {
              expect({ context, asleep: kg.workloadsAsleep }).toEqual({ context, asleep: state.asleep });
            }
            nextCall = t + Math.floor(1 + next() * 6) * MINUTE;
          }
          kubeGreenMinute(kg, now);
        }
      }
    },
    propertyTimeout(RUNS * 2000),
  );
});
