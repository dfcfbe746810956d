import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import { minorOf, minorsBetween, type Minor } from '../../functions/shared/kubernetes-version.js';
import { getPath, getString, type JsonObject } from '../../functions/shared/objects.js';
import { compositionInput, desiredOf, readYaml, requestFor } from '../support/request.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

/**
 * Kubernetes versions over random walks (issue 20): an environment is created, then at each step
 * the developer may change spec.kubernetesVersion (to any minor, up, down or several ahead), the
 * platform may change what it offers and its default, and the providers may or may not have caught
 * up with what they were last asked for. Whatever happens:
 * - the control plane's version moves only to what spec.kubernetesVersion asks for (never because
 *   the policy changed; a request that had to wait, for an upgrade under way or for the platform
 *   to offer the version, goes ahead once it can);
 * - it never moves more than one minor version in a step, and never down;
 * - eks nodes never run ahead of the control plane, and never move down;
 * - an existing environment never gets a Fatal result for it.
 */
const STEPS = propertyRuns(60);
const MINORS = ['1.32', '1.33', '1.34', '1.35', '1.36', '1.37', '1.38'];

interface Kind {
  example: string;
  controlPlane: { name: string; spec: string[]; runs?: string[] };
  nodes?: { name: string; spec: string[]; runs: string[] };
}

const KINDS: Kind[] = [
  {
    example: 'examples/devenvironment/gke/xr.yaml',
    controlPlane: {
      name: 'gke-cluster',
      spec: ['spec', 'forProvider', 'minMasterVersion'],
      runs: ['status', 'atProvider', 'masterVersion'],
    },
  },
  {
    example: 'examples/devenvironment/eks/xr.yaml',
    controlPlane: {
      name: 'eks-cluster',
      spec: ['spec', 'forProvider', 'version'],
      runs: ['status', 'atProvider', 'version'],
    },
    nodes: {
      name: 'eks-nodegroup',
      spec: ['spec', 'forProvider', 'version'],
      runs: ['status', 'atProvider', 'version'],
    },
  },
  {
    example: 'examples/devenvironment/vcluster/xr.yaml',
    controlPlane: {
      name: 'vcluster',
      spec: ['spec', 'forProvider', 'values', 'controlPlane', 'distro', 'k8s', 'image', 'tag'],
    },
  },
];

function setPath(obj: JsonObject, path: string[], value: unknown): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const child = (obj[head] ?? {}) as JsonObject;
  return { ...obj, [head]: rest.length === 0 ? value : setPath(child, rest, value) };
}

function minor(version: string | undefined): Minor {
  const m = minorOf(version);
  if (m === undefined) throw new Error(`not a Kubernetes version: ${String(version)}`);
  return m;
}

/** A random offer: some of the minors, with a default among them. */
function randomPolicy(input: JsonObject, type: string, next: () => number): JsonObject {
  const offered = MINORS.filter(() => next() < 0.5);
  const list = offered.length > 0 ? offered : ['1.36'];
  const fallback = list[Math.floor(next() * list.length)] ?? '1.36';
  const environments = (input.environments ?? {}) as JsonObject;
  const current = (environments[type] ?? {}) as JsonObject;
  const versions =
    type === 'vcluster'
      ? { kubernetesVersions: Object.fromEntries(list.map((v) => [v, `v${v}.0`])) }
      : { kubernetesVersions: list };
  return {
    ...input,
    environments: {
      ...environments,
      [type]: { ...current, ...versions, defaultKubernetesVersion: fallback },
    },
  };
}

/** What the providers report: caught up with what they were asked for, or still on what they ran. */
function reportFrom(
  observed: JsonObject,
  path: string[] | undefined,
  caughtUp: boolean,
  asked: string,
): JsonObject {
  if (path === undefined) return observed;
  const before = getString(observed, path);
  return setPath(observed, path, caughtUp || before === undefined ? asked : before);
}

describe.each(KINDS)('Kubernetes versions of $example over random walks', (kind) => {
  const xr = readYaml(kind.example);
  const input = compositionInput('apis/devenvironment/composition.yaml');
  const type = String(getPath(xr, ['spec', 'type']));

  it(
    `never moves without a spec change, never more than one minor, never down (${STEPS} steps)`,
    () => {
      const next = random(propertySeed(2011));
      const rounds = simulate(xr, input);
      // The environment as the providers report it once it is Ready (the simulation's last round).
      let observed: Record<string, JsonObject> = Object.fromEntries(
        rounds[rounds.length - 1]!.observed.map((o) => [
          getString(o, ['metadata', 'annotations', 'crossplane.io/composition-resource-name']) ?? '',
          o,
        ]),
      );
      let spec = getString(xr, ['spec', 'kubernetesVersion']);
      let policy = input;
      let upgrades = 0;
      for (let step = 0; step < STEPS; step++) {
        const before = observed;
        const cpBefore = minor(getString(before[kind.controlPlane.name], kind.controlPlane.spec));
        const nodesBefore = kind.nodes
          ? minorOf(getString(before[kind.nodes.name], kind.nodes.spec))
          : undefined;
        const specBefore = spec;
        if (next() < 0.4) spec = MINORS[Math.floor(next() * MINORS.length)];
        if (next() < 0.3) policy = randomPolicy(input, type, next);
        const request = requestFor(
          {
            ...xr,
            spec: { ...(xr.spec as JsonObject), ...(spec !== undefined ? { kubernetesVersion: spec } : {}) },
          },
          { observed: before, input: policy },
        );
        const rsp = runFunction(request, { now: () => FIXED_NOW });
        const context = `step ${step}: spec ${String(specBefore)} -> ${String(spec)}, control plane asked ${cpBefore.major}.${cpBefore.minor}`;
        expect({
          context,
          fatal: rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message),
        }).toEqual({ context, fatal: [] });
        const desired = desiredOf(rsp);
        const cpAfter = minor(getString(desired[kind.controlPlane.name], kind.controlPlane.spec));
        const moved = minorsBetween(cpBefore, cpAfter);
        const towardSpec = moved === 1 && spec !== undefined && minorsBetween(cpAfter, minor(spec)) === 0;
        expect({ context, moved: moved === 0 || towardSpec }).toEqual({ context, moved: true });
        if (moved === 1) upgrades += 1;
        if (kind.nodes !== undefined) {
          const nodesAfter = minor(getString(desired[kind.nodes.name], kind.nodes.spec));
          expect({ context, behind: minorsBetween(nodesAfter, cpAfter) >= 0 }).toEqual({
            context,
            behind: true,
          });
          if (nodesBefore !== undefined)
            expect({ context, down: minorsBetween(nodesBefore, nodesAfter) >= 0 }).toEqual({
              context,
              down: true,
            });
        }
        // The providers apply what they were asked for, and report it, or not yet.
        observed = Object.fromEntries(
          Object.entries(desired).map(([name, body]) => {
            const was = before[name] ?? body;
            let now: JsonObject = { ...body, status: was.status ?? {} };
            const cp = kind.controlPlane;
            if (name === cp.name)
              now = reportFrom(now, cp.runs, next() < 0.6, getString(body, cp.spec) ?? '');
            if (kind.nodes !== undefined && name === kind.nodes.name) {
              now = reportFrom(now, kind.nodes.runs, next() < 0.6, getString(body, kind.nodes.spec) ?? '');
            }
            return [name, { ...now, metadata: was.metadata ?? body.metadata }];
          }),
        );
      }
      // The walk is not vacuous: some upgrades went through.
      expect(upgrades).toBeGreaterThan(0);
    },
    propertyTimeout(STEPS * 4),
  );
});
