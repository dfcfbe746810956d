import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import {
  asObservedReady,
  compositionInput,
  desiredOf,
  readYaml,
  readYamlDocs,
  requestFor,
} from '../support/request.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';

const STATES = propertyRuns(100);
import { FIXED_NOW, simulate } from '../support/simulate.js';

/**
 * Over random observed states of an AppStack (random subsets of its resources present, ready or not)
 * and random states of its DevEnvironment (not fetched yet, missing, provisioning, ready), the
 * function never fails and never drops a resource that exists. Seeded, so failures reproduce.
 */

describe.each(['namespace', 'vcluster', 'gke', 'eks'])('random states of the %s AppStack', (type) => {
  const xr = readYaml(`examples/appstack/${type}/xr.yaml`);
  const environment = readYamlDocs(`examples/appstack/${type}/required/environment.yaml`)[0]!;
  const input = compositionInput('apis/appstack/composition.yaml');
  const rounds = simulate(xr, input, 10, { environment: [environment] });
  const universe = desiredOf(rounds[rounds.length - 1]!.response);
  const names = Object.keys(universe);
  const environments: Array<Record<string, JsonObject[]> | undefined> = [
    undefined,
    { environment: [] },
    { environment: [{ ...environment, status: { phase: 'Provisioning' } }] },
    { environment: [environment] },
  ];

  it(
    `keeps every observed resource over ${STATES} states`,
    () => {
      const next = random(propertySeed(names.length * 104729 + type.length));
      for (let i = 0; i < STATES; i++) {
        const present = names.filter(() => next() < 0.5);
        const observed = present.map((n) => asObservedReady(xr, n, universe[n]!, next() < 0.7));
        const required = environments[Math.floor(next() * environments.length)];
        const rsp = runFunction(requestFor(xr, { observed, input, ...(required ? { required } : {}) }), {
          now: () => FIXED_NOW,
        });
        const context = `state ${i}: ${required === undefined ? 'unfetched' : JSON.stringify(required.environment?.[0]?.status ?? 'missing').slice(0, 40)}; observed ${present.join(', ')}`;
        const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL)?.message;
        expect({ context, fatal }).toEqual({ context, fatal: undefined });
        const dropped = present.filter((n) => desiredOf(rsp)[n] === undefined);
        expect({ context, dropped }).toEqual({ context, dropped: [] });
      }
    },
    propertyTimeout(STATES),
  );
});
