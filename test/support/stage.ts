import type { DevEnvironmentContext } from '../../functions/devenvironment/context.js';
import { planKubernetesVersion } from '../../functions/devenvironment/kubernetes-version.js';
import { parseDevEnvironment } from '../../functions/devenvironment/spec.js';
import { ResourceGraph } from '../../functions/shared/graph/graph.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { resolvePolicy } from '../../functions/shared/policy/policy.js';
import { compositionInput, readYaml } from './request.js';
import { FIXED_NOW } from './simulate.js';

/**
 * One composer run on a fixed context, without gRPC: what the composer added to the graph, the
 * deletion order that follows, and what the graph says it waits for. `ready` names the resources
 * observed Ready (as bare objects: enough for the graph, which reads only their conditions).
 */
export interface StageRun {
  composed: string[];
  edges: string[];
  waits: string[];
}

export const readyObject = (): JsonObject => ({
  apiVersion: 'example.org/v1',
  kind: 'Observed',
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

export function devEnvironmentContext(
  example: string,
  observed: ReadonlyMap<string, JsonObject>,
  composition = 'apis/devenvironment/composition.yaml',
): DevEnvironmentContext {
  const policy = resolvePolicy(compositionInput(composition));
  const env = parseDevEnvironment('namespaced', readYaml(example), policy, observed);
  const base: DevEnvironmentContext = { env, policy, observed, now: FIXED_NOW };
  return env.spec.type === 'namespace' ? base : { ...base, kubernetes: planKubernetesVersion(base) };
}

export function runStage(
  example: string,
  ready: readonly string[],
  compose: (ctx: DevEnvironmentContext, graph: ResourceGraph) => unknown,
): StageRun {
  const observed = new Map(ready.map((name) => [name, readyObject()]));
  const graph = new ResourceGraph(observed);
  compose(devEnvironmentContext(example, observed), graph);
  return {
    composed: graph.list().map((r) => r.name),
    edges: graph.deletionOrder().map(({ of, by }) => `${by} keeps ${of}`),
    waits: graph.waitingFor(),
  };
}
