import { SleepInfo } from '../models/crds/kube-green.com/v1alpha1/SleepInfo.js';
import { isoSeconds } from './duration.js';
import { getString, type JsonObject } from './objects.js';
import { modelObject } from './resources/model-object.js';
import type { SleepSchedule } from './sleep-schedule.js';

/**
 * Sleep for namespaces, through kube-green's SleepInfo (kube-green.dev, v0.7.1). kube-green scales a
 * namespace's Deployments and StatefulSets to zero at `sleepAt` and restores them at `wakeUpAt`, both
 * cron times, keeping the replicas to restore in a Secret the SleepInfo owns. What it does, read in
 * internal/controller/sleepinfo at v0.7.1, and what that means here:
 * - It acts only within a minute or so of a cron time (schedule.go, getNextSchedule); a time it missed
 *   waits for the next one. So "asleep now" is a sleep every minute, and a wake the schedule's cron
 *   missed (a schedule added or an asleep flag cleared mid-way) is a wake every minute, kept only until
 *   the SleepInfo reports that it woke.
 * - A repeated sleep keeps what it saved: a workload already at zero gives an empty restore patch, and
 *   the saved one stays (jsonpatch.go, Sleep). So sleeping every minute loses no replicas, and also
 *   puts back to sleep what someone (or Argo CD) scales up meanwhile.
 * - Its Secret is owned by the SleepInfo: deleting a SleepInfo that still holds a sleep loses the
 *   replicas to restore. So a SleepInfo goes only once it reports a wake, or never slept.
 */
export const SLEEP_INFO_NAME = 'devplatform-sleep';

/** The sleep a SleepInfo carries out: asleep or not now, why, since when, and on which schedule. */
export interface NamespaceSleep {
  asleep: boolean;
  reason?: 'Manual' | 'Schedule' | 'Expired';
  /** When the state began: for Schedule, the scheduled time itself. */
  since?: string;
  schedule?: SleepSchedule;
}

/** What an existing SleepInfo last did, from its status. */
export interface ObservedSleepInfo {
  operation?: string;
  lastScheduleTime?: string;
}

export type KubeGreenSpec = Pick<SleepSchedule, 'weekdays' | 'sleepAt' | 'wakeUpAt' | 'timeZone'>;

/** How long after a scheduled time kube-green is trusted to act on it before the function steps in. */
const KUBE_GREEN_GRACE_MS = 2 * 60_000;

const EVERY_MINUTE_SLEEP: KubeGreenSpec = { weekdays: '*', sleepAt: '*:*' };

/**
 * Wakes within a minute. kube-green applies one weekdays to both times, so the wake runs every day;
 * the sleep that follows it is set eleven to twelve hours ahead (the UTC hour twelve hours from now),
 * long after the SleepInfo goes or turns back into the schedule. It changes at most once an hour
 * while the wake is pending, which takes a minute or two.
 */
function wakeNow(now: Date): KubeGreenSpec {
  const hour = String((now.getUTCHours() + 12) % 24).padStart(2, '0');
  return { weekdays: '*', sleepAt: `${hour}:00`, wakeUpAt: '*:*', timeZone: 'UTC' };
}

function scheduled(schedule: SleepSchedule): KubeGreenSpec {
  return {
    weekdays: schedule.weekdays,
    sleepAt: schedule.sleepAt,
    ...(schedule.wakeUpAt !== undefined ? { wakeUpAt: schedule.wakeUpAt } : {}),
    ...(schedule.timeZone !== undefined ? { timeZone: schedule.timeZone } : {}),
  };
}

/** Whether kube-green still has time to act on the scheduled change at `since` by itself. */
function withinGrace(sleep: NamespaceSleep, now: Date): boolean {
  if (sleep.reason !== 'Schedule' && !(sleep.asleep === false && sleep.schedule !== undefined)) return false;
  const since = sleep.since !== undefined ? Date.parse(sleep.since) : Number.NaN;
  return Number.isFinite(since) && now.getTime() - since < KUBE_GREEN_GRACE_MS;
}

/**
 * The SleepInfo spec for a namespace's sleep, or undefined when none is needed (and an existing one
 * may go). Pure in its arguments: the same sleep, observation and time give the same spec.
 */
export function kubeGreenSpec(
  sleep: NamespaceSleep,
  observed: ObservedSleepInfo | undefined,
  now: Date,
): KubeGreenSpec | undefined {
  const slept = observed?.operation === 'SLEEP';
  const trustSchedule = sleep.schedule !== undefined && withinGrace(sleep, now);
  if (sleep.asleep) {
    if (sleep.reason !== 'Schedule' || sleep.schedule === undefined) return EVERY_MINUTE_SLEEP;
    return slept || trustSchedule ? scheduled(sleep.schedule) : EVERY_MINUTE_SLEEP;
  }
  if (slept && !trustSchedule) return wakeNow(now);
  return sleep.schedule !== undefined ? scheduled(sleep.schedule) : undefined;
}

/** What an observed provider-kubernetes Object holding a SleepInfo reports of it. */
export function observedSleepInfo(object: JsonObject | undefined): ObservedSleepInfo | undefined {
  if (object === undefined) return undefined;
  const operation = getString(object, 'status.atProvider.manifest.status.operation');
  const lastScheduleTime = getString(object, 'status.atProvider.manifest.status.lastScheduleTime');
  return {
    ...(operation !== undefined && operation !== '' ? { operation } : {}),
    ...(lastScheduleTime !== undefined ? { lastScheduleTime } : {}),
  };
}

/** The SleepInfo manifest: Deployments and StatefulSets of the namespace, CronJobs suspended too. */
export function sleepInfoManifest(
  namespace: string,
  spec: KubeGreenSpec,
  labels: Record<string, string>,
): JsonObject {
  return modelObject(SleepInfo, {
    metadata: { name: SLEEP_INFO_NAME, namespace, labels },
    spec: { ...spec, suspendCronJobs: true },
  });
}

/** The SleepInfo's last operation in words, for conditions: "put to sleep at T", "woke at T". */
export function describeObserved(observed: ObservedSleepInfo | undefined): string {
  if (observed?.operation === undefined) return 'kube-green has not acted yet';
  const at =
    observed.lastScheduleTime !== undefined ? ` at ${isoSeconds(Date.parse(observed.lastScheduleTime))}` : '';
  return observed.operation === 'SLEEP' ? `kube-green put it to sleep${at}` : `kube-green woke it${at}`;
}
