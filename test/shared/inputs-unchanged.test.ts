import { runFunction } from '../../functions/server/handler.js';
import { deepFreeze } from '../../functions/shared/objects.js';
import { exampleRequests } from '../support/example-requests.js';
import { FIXED_NOW } from '../support/simulate.js';

/**
 * Composed objects share the data they are built from: modelObject copies nothing, so a Release's
 * values may be the platform's defaults themselves (frozen where they are defined) or a part of the
 * developer's XR. Composing must therefore never change what it was given. In ES modules a write to a
 * frozen object throws, which the function turns into a Fatal result, so composing every example from
 * a frozen request and getting the same response proves nothing was written to it.
 */
const examples = exampleRequests().map((e) => [e.name, e.request] as const);
const options = { now: () => FIXED_NOW };

describe('composing leaves what it was given unchanged', () => {
  it.each(examples)('%s, from a frozen request', (_, request) => {
    const expected = runFunction(structuredClone(request), options);
    expect(runFunction(deepFreeze(structuredClone(request)), options)).toEqual(expected);
  });

  it('composes every example the same the second time (nothing shared between requests changed)', () => {
    const first = examples.map(([, request]) => runFunction(structuredClone(request), options));
    const second = examples.map(([, request]) => runFunction(structuredClone(request), options));
    expect(second).toEqual(first);
  });
});

describe('deepFreeze', () => {
  it('freezes every object and array inside, and returns what it was given', () => {
    const data = { a: { b: [{ c: 1 }] } };
    expect(deepFreeze(data)).toBe(data);
    expect([data, data.a, data.a.b, data.a.b[0]].every((o) => Object.isFrozen(o))).toBe(true);
    expect(() => {
      (data.a.b[0] as { c: number }).c = 2;
    }).toThrow(TypeError);
  });
});
