import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import { getPath, type JsonObject } from '../../functions/shared/objects.js';
import { compositionInput, desiredOf, readYaml, requestFor, statusOf } from '../support/request.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';
import { simulate } from '../support/simulate.js';

/**
 * Sleep through the whole function over random times and specs (issue 20): a gke and an eks
 * environment, created and ready, asked at random moments over three weeks, with or without a
 * schedule, asleep by hand or not, with or without a ttl. Whatever the moment:
 * - the nodes are at zero exactly when the status says asleep (and the phase is Asleep);
 * - the next change it reports is in the future, and Crossplane is asked back no later than then;
 * - nothing observed is dropped and nothing is Fatal.
 */
const RUNS = propertyRuns(100);
const START = Date.parse('2026-11-21T00:00:00Z');
const SPAN = 21 * 24 * 60 * 60 * 1000;

const CASES = [
  {
    example: 'examples/devenvironment/gke/xr.yaml',
    nodes: 'gke-nodepool',
    zero: (fp: JsonObject) => fp.nodeCount === 0 && fp.autoscaling === undefined,
  },
  {
    example: 'examples/devenvironment/eks/xr.yaml',
    nodes: 'eks-nodegroup',
    zero: (fp: JsonObject) => (fp.scalingConfig as JsonObject | undefined)?.desiredSize === 0,
  },
];

function randomSleep(next: () => number): JsonObject {
  const schedule = {
    weekdays: next() < 0.5 ? '1-5' : '*',
    sleepAt: '20:00',
    wakeUpAt: '08:00',
    timeZone: 'Europe/Berlin',
  };
  return {
    ...(next() < 0.3 ? { asleep: true } : {}),
    ...(next() < 0.7 ? { schedule } : {}),
  };
}

describe.each(CASES)('sleep of $example at random moments', ({ example, nodes, zero }) => {
  const xr = readYaml(example);
  const input = compositionInput('apis/devenvironment/composition.yaml');
  const rounds = simulate(xr, input);
  const observed = rounds[rounds.length - 1]!.observed;
  const observedNames = observed.map((o) =>
    String(getPath(o, ['metadata', 'annotations', 'crossplane.io/composition-resource-name'])),
  );

  it(
    `keeps nodes, status and the next call in step (${RUNS} moments)`,
    () => {
      const next = random(propertySeed(2022));
      for (let i = 0; i < RUNS; i++) {
        const now = new Date(START + Math.floor(next() * SPAN));
        const spec = {
          ...(xr.spec as JsonObject),
          sleep: randomSleep(next),
          ...(next() < 0.5 ? { ttl: '10d' } : {}),
        };
        const rsp = runFunction(requestFor({ ...xr, spec }, { observed, input }), { now: () => now });
        const context = `${now.toISOString()} ${JSON.stringify(spec.sleep)} ttl ${String(spec.ttl)}`;
        const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);
        expect({ context, fatal }).toEqual({ context, fatal: [] });
        const desired = desiredOf(rsp);
        const dropped = observedNames.filter((name) => desired[name] === undefined);
        expect({ context, dropped }).toEqual({ context, dropped: [] });
        const status = statusOf(rsp);
        const asleep = getPath(status, 'sleep.asleep') === true;
        const forProvider = getPath(desired[nodes], 'spec.forProvider') as JsonObject;
        expect({ context, asleep, zero: zero(forProvider), phase: status.phase === 'Asleep' }).toEqual({
          context,
          asleep,
          zero: asleep,
          phase: asleep,
        });
        const change = getPath(status, 'sleep.nextChange');
        if (typeof change === 'string') {
          const until = (Date.parse(change) - now.getTime()) / 1000;
          expect({ context, future: until > 0 }).toEqual({ context, future: true });
          expect({
            context,
            onTime: Number(rsp.meta?.ttl?.seconds ?? 0) <= Math.max(Math.ceil(until), 1),
          }).toEqual({
            context,
            onTime: true,
          });
        }
      }
    },
    propertyTimeout(RUNS * 4),
  );
});
