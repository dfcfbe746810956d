import { InputError } from '../../functions/shared/errors.js';
import {
  checkTimeZone,
  lastChange,
  nextChange,
  parseWeekdays,
  type SleepSchedule,
} from '../../functions/shared/sleep-schedule.js';

/** Schedules in kube-green's terms, evaluated in their time zone, across weekends and DST. */
const OFFICE: SleepSchedule = {
  weekdays: '1-5',
  sleepAt: '20:00',
  wakeUpAt: '08:00',
  timeZone: 'Europe/Berlin',
};
const iso = (d: Date | undefined) => d?.toISOString();

describe('sleep schedule', () => {
  it.each([
    // 2026-11-23 is a Monday; Berlin is UTC+1 in November.
    {
      at: '2026-11-23T12:00:00Z',
      asleep: false,
      since: '2026-11-23T07:00:00.000Z',
      next: '2026-11-23T19:00:00.000Z',
    },
    {
      at: '2026-11-23T19:30:00Z',
      asleep: true,
      since: '2026-11-23T19:00:00.000Z',
      next: '2026-11-24T07:00:00.000Z',
    },
    // Friday night sleeps through the weekend: no event on Saturday or Sunday.
    {
      at: '2026-11-28T12:00:00Z',
      asleep: true,
      since: '2026-11-27T19:00:00.000Z',
      next: '2026-11-30T07:00:00.000Z',
    },
    {
      at: '2026-11-30T07:00:00Z',
      asleep: false,
      since: '2026-11-30T07:00:00.000Z',
      next: '2026-11-30T19:00:00.000Z',
    },
  ])('at $at it is asleep: $asleep, since $since, until $next', ({ at, asleep, since, next }) => {
    const last = lastChange(OFFICE, new Date(at));
    expect(last?.asleep).toBe(asleep);
    expect(iso(last?.at)).toBe(since);
    expect(iso(nextChange(OFFICE, new Date(at))?.at)).toBe(next);
  });

  it('follows daylight saving time: 20:00 in Berlin is 18:00 UTC in summer', () => {
    expect(iso(nextChange(OFFICE, new Date('2026-06-15T12:00:00Z'))?.at)).toBe('2026-06-15T18:00:00.000Z');
  });

  it('without wakeUpAt, sleeps and stays asleep', () => {
    const once: SleepSchedule = { weekdays: '*', sleepAt: '22:00' };
    expect(lastChange(once, new Date('2026-11-23T23:00:00Z'))?.asleep).toBe(true);
    expect(nextChange(once, new Date('2026-11-23T23:00:00Z'))?.asleep).toBe(true);
  });

  it.each(['1-5', '0,6', '*', '1-3,5', '7'])('reads weekdays %s', (field) => {
    expect(parseWeekdays(field, 'x').size).toBeGreaterThan(0);
  });

  it.each(['mon-fri', '5-1', '8', ''])('refuses weekdays %j, naming the field', (field) => {
    expect(() => parseWeekdays(field, 'spec.sleep.schedule.weekdays')).toThrow(InputError);
    expect(() => parseWeekdays(field, 'spec.sleep.schedule.weekdays')).toThrow(/cron notation/);
  });

  it('refuses an unknown time zone and a bad time, naming the field', () => {
    expect(() => checkTimeZone('Mars/Olympus', 'spec.sleep.schedule.timeZone')).toThrow(/IANA time zone/);
    expect(() => lastChange({ weekdays: '*', sleepAt: '25:00' }, new Date())).toThrow(
      'spec.sleep.schedule.sleepAt: must be a time of day as HH:MM',
    );
  });
});
