import { dnsLabel, shortHash } from '../../functions/shared/names.js';
import { parseDuration } from '../../functions/shared/duration.js';
import { InputError } from '../../functions/shared/errors.js';

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
  it('is deterministic', () => {
    expect(dnsLabel('x'.repeat(100), 40)).toBe(dnsLabel('x'.repeat(100), 40));
    expect(shortHash('abc')).toBe('ba7816bf');
  });
});

describe('parseDuration', () => {
  it.each([
    ['72h', 259200],
    ['90m', 5400],
    ['1h30m', 5400],
    ['7d', 604800],
    ['45s', 45],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text, 'spec.ttl')).toBe(seconds);
  });
  it.each(['', '3w', 'h', '10', '-1h', '0s'])('rejects %p naming the field', (text) => {
    expect(() => parseDuration(text, 'spec.ttl')).toThrow(InputError);
    expect(() => parseDuration(text, 'spec.ttl')).toThrow(/^spec\.ttl: /);
  });
});
