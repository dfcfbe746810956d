import { dnsLabel, shortHash } from '../../functions/shared/names.js';
import { propertyRuns, propertySeed, random } from '../support/random.js';

/** dnsLabel as first written, without the fast path for values that are labels already. */
function cleanedLabel(value: string, max = 63, startWithLetter = false): string {
  let cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (cleaned === '') cleaned = 'x';
  if (startWithLetter && !/^[a-z]/.test(cleaned)) cleaned = `x-${cleaned}`;
  if (cleaned.length <= max) return cleaned;
  const suffix = shortHash(value);
  return `${cleaned.slice(0, max - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}

describe('dnsLabel', () => {
  it('keeps a valid short label unchanged', () => {
    expect(dnsLabel('team-a-env')).toBe('team-a-env');
  });
  it('cleans characters a label cannot hold', () => {
    expect(dnsLabel('Team_A.env--x-')).toBe('team-a-env-x');
  });
  it('shortens long values with a hash of the whole value, so two never collide', () => {
    const a = dnsLabel(`${'a'.repeat(70)}-one`, 63);
    const b = dnsLabel(`${'a'.repeat(70)}-two`, 63);
    expect(a).toHaveLength(63);
    expect(b).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
  it('starts with a letter when asked', () => {
    expect(dnsLabel('42-env', 53, true)).toBe('x-42-env');
  });
  const runs = propertyRuns(2000);
  it(`gives what the full cleaning gives, fast path or not (${runs} random values)`, () => {
    const rand = random(propertySeed(4242));
    for (let i = 0; i < runs; i++) {
      // Half from label characters only, so the fast path is taken often.
      const alphabet = i % 2 === 0 ? 'abz09-' : 'abz09-A_.-- ü';
      const value = Array.from({ length: Math.floor(rand() * 80) }, () =>
        alphabet.charAt(Math.floor(rand() * alphabet.length)),
      ).join('');
      const max = [20, 53, 63][i % 3]!;
      const startWithLetter = rand() < 0.5;
      expect([value, dnsLabel(value, max, startWithLetter)]).toEqual([
        value,
        cleanedLabel(value, max, startWithLetter),
      ]);
    }
  });
  it('is deterministic', () => {
    expect(dnsLabel('x'.repeat(100), 40)).toBe(dnsLabel('x'.repeat(100), 40));
    expect(shortHash('abc')).toBe('ba7816bf');
  });
});
