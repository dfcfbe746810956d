import { lastChange, nextChange, type SleepSchedule } from '../../functions/shared/sleep-schedule.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';

/**
 * Sleep schedules over random schedules, zones and times (a year, DST changes included): the state
 * holds from the last change until the next one, the next change is in the future, and at it the
 * state is what it says. So a sleep or wake happens exactly at its time, never between.
 */
const RUNS = propertyRuns(300);
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Sydney',
  'America/Santiago',
];
const START = Date.parse('2026-01-01T00:00:00Z');
const YEAR = 365 * 24 * 60 * 60 * 1000;

function randomSchedule(next: () => number): SleepSchedule {
  const clock = () =>
    `${String(Math.floor(next() * 24)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}`;
  const days = [0, 1, 2, 3, 4, 5, 6].filter(() => next() < 0.6);
  const weekdays = days.length === 0 ? '*' : days.join(',');
  const sleepAt = clock();
  let wakeUpAt: string | undefined = next() < 0.8 ? clock() : undefined;
  if (wakeUpAt === sleepAt) wakeUpAt = undefined;
  const timeZone = ZONES[Math.floor(next() * ZONES.length)];
  return {
    weekdays,
    sleepAt,
    ...(wakeUpAt !== undefined ? { wakeUpAt } : {}),
    ...(timeZone !== undefined ? { timeZone } : {}),
  };
}

describe('sleep schedules over random times', () => {
  it(
    `hold their state between changes and change exactly at them (${RUNS} cases)`,
    () => {
      const next = random(propertySeed(2020));
      for (let i = 0; i < RUNS; i++) {
        const schedule = randomSchedule(next);
        const at = new Date(START + Math.floor(next() * YEAR));
        const context = `${JSON.stringify(schedule)} at ${at.toISOString()}`;
        const last = lastChange(schedule, at);
        const upcoming = nextChange(schedule, at);
        expect({ context, hasNext: upcoming !== undefined }).toEqual({ context, hasNext: true });
        if (upcoming === undefined) continue;
        expect({ context, future: upcoming.at.getTime() > at.getTime() }).toEqual({ context, future: true });
        const justBefore = lastChange(schedule, new Date(upcoming.at.getTime() - 1));
        expect({ context, held: justBefore?.at.getTime() }).toEqual({ context, held: last?.at.getTime() });
        const atIt = lastChange(schedule, upcoming.at);
        expect({ context, changed: atIt?.at.getTime(), asleep: atIt?.asleep }).toEqual({
          context,
          changed: upcoming.at.getTime(),
          asleep: upcoming.asleep,
        });
      }
    },
    propertyTimeout(RUNS),
  );
});
