import { InputError } from './errors.js';

const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };

/** A time as Kubernetes writes it in status: RFC 3339 in UTC, to the second. */
export function isoSeconds(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Parses a duration such as "72h", "90m", "1h30m" or "7d" into seconds.
 * `field` names the field in error messages.
 */
export function parseDuration(value: string, field: string): number {
  const expected = 'a duration such as "72h", "90m", "1h30m" or "7d" (units d, h, m, s)';
  if (!/^(\d+[dhms])+$/.test(value)) throw new InputError(field, `expected ${expected}, got "${value}"`);
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)([dhms])/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  if (seconds <= 0 || !Number.isSafeInteger(seconds) || seconds > 10 * 365 * 86400) {
    throw new InputError(field, `expected ${expected} between 1s and 10 years, got "${value}"`);
  }
  return seconds;
}
