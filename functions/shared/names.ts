import { createHash } from 'node:crypto';

/** A short, stable fingerprint of a string: the first `length` hex digits of its SHA-256. */
export function shortHash(value: string, length = 8): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/** What the cleaning below leaves unchanged: alphanumeric runs joined by single dashes. */
const ALREADY_A_LABEL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A DNS-1123 label (lowercase alphanumerics and '-', starting and ending alphanumeric) of at most
 * `max` characters, derived deterministically from `value`. When the cleaned value is too long it is
 * cut and suffixed with a hash of the whole value, so two long names never collide by truncation.
 * With `startWithLetter`, a leading digit is prefixed (Helm release names, GKE cluster names).
 */
export function dnsLabel(value: string, max = 63, startWithLetter = false): string {
  // Most names are labels already (and this runs for every composed name on every request).
  if (value.length <= max && ALREADY_A_LABEL.test(value) && !(startWithLetter && !/^[a-z]/.test(value))) {
    return value;
  }
  let cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (cleaned === '') cleaned = 'x';
  if (startWithLetter && !/^[a-z]/.test(cleaned)) cleaned = `x-${cleaned}`;
  if (cleaned.length <= max) return cleaned;
  const suffix = shortHash(value);
  const head = cleaned.slice(0, max - suffix.length - 1).replace(/-+$/, '');
  return `${head}-${suffix}`;
}
