import { parseDuration } from '../../functions/shared/duration.js';
import { InputError } from '../../functions/shared/errors.js';

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
