import { InputError } from './errors.js';

/**
 * A sleep schedule in kube-green's terms (SleepInfo: weekdays, sleepAt, wakeUpAt, timeZone): on each
 * of the weekdays the environment goes to sleep at sleepAt and wakes at wakeUpAt, local time. As in
 * kube-green, a day outside weekdays has no event, so "1-5", 20:00, 08:00 sleeps from Friday 20:00
 * to Monday 08:00; without wakeUpAt it sleeps at sleepAt and stays asleep.
 */
export interface SleepSchedule {
  weekdays: string;
  sleepAt: string;
  wakeUpAt?: string;
  timeZone?: string;
}

/** One scheduled change. */
export interface ScheduledChange {
  asleep: boolean;
  at: Date;
}

const WEEKDAY_NUMBER: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The days of a cron day-of-week field ("1-5", "0,6", "*", "1-3,5"; 0 and 7 are Sunday). */
export function parseWeekdays(field: string, path: string): Set<number> {
  if (field.trim() === '*') return new Set([0, 1, 2, 3, 4, 5, 6]);
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^\s*([0-7])(?:-([0-7]))?\s*$/.exec(part);
    const from = Number(match?.[1]);
    const to = match?.[2] !== undefined ? Number(match[2]) : from;
    if (match === null || to < from) {
      throw new InputError(
        path,
        `must be days of the week in cron notation, such as "1-5" or "0,6", got "${field}"`,
      );
    }
    for (let day = from; day <= to; day++) days.add(day % 7);
  }
  return days;
}

/** "HH:MM" as minutes after midnight. */
export function parseClock(value: string, path: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (match === null)
    throw new InputError(path, `must be a time of day as HH:MM, such as "20:00", got "${value}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether the IANA time zone is known to the runtime (Node.js ships the full ICU data). */
export function checkTimeZone(zone: string, path: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new InputError(path, `must be an IANA time zone such as "Europe/Berlin" or "UTC", got "${zone}"`);
  }
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

/**
 * One formatter per time zone, kept: making one costs about as much as a hundred uses, and a
 * schedule's changes take dozens of uses per call. At most one per IANA zone (about 600).
 */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = FORMATTERS.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    FORMATTERS.set(zone, format);
  }
  return format;
}

function localParts(format: Intl.DateTimeFormat, at: Date): LocalDate & { minutes: number } {
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAY_NUMBER[parts.weekday ?? ''] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant a local time of a local date happens in the zone (DST gaps move it forward). */
function instantOf(format: Intl.DateTimeFormat, date: LocalDate, minutes: number): Date {
  const wanted = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = localParts(format, new Date(guess));
    const seen = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes);
    if (seen === wanted) break;
    guess += wanted - seen;
  }
  return new Date(guess);
}

/** Every scheduled change on the local days from `start` days before `at` to `end` days after. */
function changesAround(schedule: SleepSchedule, at: Date, start: number, end: number): ScheduledChange[] {
  const format = formatter(schedule.timeZone ?? 'UTC');
  const days = parseWeekdays(schedule.weekdays, 'spec.sleep.schedule.weekdays');
  const sleepAt = parseClock(schedule.sleepAt, 'spec.sleep.schedule.sleepAt');
  const wakeUpAt =
    schedule.wakeUpAt !== undefined
      ? parseClock(schedule.wakeUpAt, 'spec.sleep.schedule.wakeUpAt')
      : undefined;
  const changes: ScheduledChange[] = [];
  const today = localParts(format, at);
  for (let offset = start; offset <= end; offset++) {
    // Calendar days, not 24-hour steps: a day with a DST change is 23 or 25 hours long.
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const date = {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      weekday: day.getUTCDay(),
    };
    if (!days.has(date.weekday)) continue;
    changes.push({ asleep: true, at: instantOf(format, date, sleepAt) });
    if (wakeUpAt !== undefined) changes.push({ asleep: false, at: instantOf(format, date, wakeUpAt) });
  }
  return changes.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The last scheduled change at or before `at` (within the week before), or undefined if none. */
export function lastChange(schedule: SleepSchedule, at: Date): ScheduledChange | undefined {
  return changesAround(schedule, at, -8, 1)
    .filter((c) => c.at.getTime() <= at.getTime())
    .at(-1);
}

/** The next scheduled change after `at` (within the week after), or undefined if none. */
export function nextChange(schedule: SleepSchedule, at: Date): ScheduledChange | undefined {
  return changesAround(schedule, at, -1, 8).find((c) => c.at.getTime() > at.getTime());
}
