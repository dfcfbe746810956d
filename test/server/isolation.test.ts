import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { exampleRequests } from '../support/example-requests.js';
import { call, startInProcess } from '../support/grpc.js';
import { random } from '../support/random.js';
import { FIXED_NOW } from '../support/simulate.js';

/**
 * No shared mutable state between requests: every example at every observed stage, hundreds of
 * requests in flight at once in a shuffled order, each answered exactly as it is answered alone.
 */
describe('concurrent requests', () => {
  let server: Awaited<ReturnType<typeof startInProcess>>;
  const cases = exampleRequests();

  beforeAll(async () => {
    // The clock is an input like the request: fixed, so an answer depends on the request alone.
    server = await startInProcess({ fixedTime: FIXED_NOW });
  });

  afterAll(() => server.stop());

  it('covers every example stage', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('answers each of 400 shuffled concurrent requests as it answers that request alone', async () => {
    const alone: RunFunctionResponse[] = [];
    for (const { request } of cases) alone.push(await call(server.client, request));

    const next = random(6);
    const order = Array.from({ length: 400 }, () => Math.floor(next() * cases.length));
    const together = await Promise.all(order.map((i) => call(server.client, cases[i]!.request)));

    const differing = order.filter((caseIndex, i) => {
      try {
        expect(together[i]).toEqual(alone[caseIndex]);
        return false;
      } catch {
        return true;
      }
    });
    expect(differing.map((i) => cases[i]!.name)).toEqual([]);
  }, 120_000);
});
