import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import { getPath, getString, type JsonObject } from '../../functions/shared/objects.js';
import { componentLabelValue } from '../../functions/shared/resources/managed.js';
import { asObservedReady, compositionInput, desiredOf, readYaml, requestFor } from '../support/request.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

/**
 * Properties over many random observed states (random subsets of an environment's composed
 * resources present, each ready or not), with the platform policy sometimes changing its defaults
 * in between:
 * - the function never crashes and never returns a Fatal result for a valid XR;
 * - it never drops a composed resource that is observed;
 * - stateful resources keep their names and regions.
 * The generator is seeded, so a failure is reproducible.
 */
const CASES = [
  ['examples/devenvironment/namespace/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['examples/devenvironment/vcluster/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['examples/devenvironment/gke/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['examples/devenvironment/eks/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['examples/claims/devenvironment/xr.yaml', 'apis/claims/devenvironment/composition.yaml'],
  ['examples/claims/devenvironment-gke/xr.yaml', 'apis/claims/devenvironment/composition.yaml'],
  ['examples/claims/devenvironment-eks/xr.yaml', 'apis/claims/devenvironment/composition.yaml'],
] as const;
const STATES_PER_CASE = propertyRuns(150);

/** Where each stateful resource keeps its name (and, for clusters and networks, its region). */
const STATEFUL: Record<string, string[]> = {
  namespace: ['spec.forProvider.manifest.metadata.name'],
  vcluster: ['metadata.annotations.crossplane\u0000io/external-name', 'spec.forProvider.namespace'],
  'gke-network': ['metadata.annotations.crossplane\u0000io/external-name'],
  'gke-subnetwork': ['metadata.annotations.crossplane\u0000io/external-name', 'spec.forProvider.region'],
  'gke-node-serviceaccount': ['metadata.annotations.crossplane\u0000io/external-name'],
  'gke-cluster': ['metadata.annotations.crossplane\u0000io/external-name', 'spec.forProvider.location'],
  'gke-nodepool': ['metadata.annotations.crossplane\u0000io/external-name', 'spec.forProvider.location'],
  'eks-vpc': ['spec.forProvider.region'],
  'eks-cluster': ['metadata.annotations.crossplane\u0000io/external-name', 'spec.forProvider.region'],
  'eks-nodegroup': ['metadata.annotations.crossplane\u0000io/external-name'],
  'eks-cluster-role': ['metadata.annotations.crossplane\u0000io/external-name'],
  'eks-node-role': ['metadata.annotations.crossplane\u0000io/external-name'],
};

function read(body: JsonObject | undefined, path: string): string | undefined {
  return getString(
    body,
    path.split('.').map((p) => p.replace('\u0000', '.')),
  );
}

/**
 * A deletion-order Usage whose user or used resource does not exist protects nothing: dropping it
 * loses nothing, and it comes back with the resources. Every other observed resource must stay.
 */
function isUsageOfAbsent(body: JsonObject | undefined, present: string[]): boolean {
  if (body?.kind !== 'Usage' && body?.kind !== 'ClusterUsage') return false;
  const component = (party: string) =>
    getString(body, ['spec', party, 'resourceSelector', 'matchLabels', 'devplatform.io/component']) ?? '';
  const presentLabels = present.map(componentLabelValue);
  return !presentLabels.includes(component('of')) || !presentLabels.includes(component('by'));
}

/** The same platform with other defaults: a new namespace prefix, regions and versions. */
function changedPolicy(input: JsonObject): JsonObject {
  const environments = (input.environments ?? {}) as JsonObject;
  return {
    ...input,
    hostCluster: { ...((input.hostCluster ?? {}) as JsonObject), namespacePrefix: 'dev-' },
    environments: {
      ...environments,
      gke: { ...((environments.gke ?? {}) as JsonObject), defaultRegion: 'us-east1' },
      eks: { ...((environments.eks ?? {}) as JsonObject), defaultRegion: 'us-west-2' },
    },
  };
}

describe.each(CASES)('random observed states of %s', (example, compositionPath) => {
  const xr = readYaml(example);
  const input = compositionInput(compositionPath);
  const rounds = simulate(xr, input);
  const universe = desiredOf(rounds[rounds.length - 1]!.response);
  const names = Object.keys(universe);

  it(
    `keeps every observed resource and every stateful name over ${STATES_PER_CASE} states`,
    () => {
      const next = random(propertySeed(names.length * 7919 + example.length));
      for (let i = 0; i < STATES_PER_CASE; i++) {
        const present = names.filter(() => next() < 0.5);
        const observed = present.map((n) => asObservedReady(xr, n, universe[n]!, next() < 0.7));
        const policy = next() < 0.5 ? changedPolicy(input) : input;
        const rsp = runFunction(requestFor(xr, { observed, input: policy }), { now: () => FIXED_NOW });
        const context = `state ${i}: observed ${present.join(', ')}`;

        const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
        expect({ context, fatal: fatal?.message }).toEqual({ context, fatal: undefined });

        const desired = desiredOf(rsp);
        const dropped = present.filter(
          (n) => desired[n] === undefined && !isUsageOfAbsent(universe[n], present),
        );
        expect({ context, dropped }).toEqual({ context, dropped: [] });

        for (const [key, paths] of Object.entries(STATEFUL)) {
          if (!present.includes(key)) continue;
          for (const path of paths) {
            expect({ context, key, path, value: read(desired[key], path) }).toEqual({
              context,
              key,
              path,
              value: read(universe[key], path),
            });
          }
        }
      }
    },
    propertyTimeout(STATES_PER_CASE),
  );

  it('has something stateful to check', () => {
    const checked = Object.keys(STATEFUL).filter((k) => universe[k] !== undefined);
    expect(checked.length).toBeGreaterThan(0);
    for (const key of checked) {
      for (const path of STATEFUL[key]!) expect(getPath(universe[key], path.split('.')[0]!)).toBeDefined();
    }
  });
});
