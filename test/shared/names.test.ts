import { dnsLabel, shortHash } from '../../functions/shared/names.js';

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
