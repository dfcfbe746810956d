import type { ResourceGraph } from '../shared/graph/graph.js';
import { USAGE_PREFIX } from '../shared/graph/graph.js';
import { provisioning, type Provisioning, type StageDefinition } from '../shared/provisioning.js';
import type { DevEnvironmentContext } from './context.js';
import { RESOURCE } from './naming.js';

/**
 * The stages of a DevEnvironment, in the order it is provisioned, and which composed resources make
 * each: the first rule that matches a composition-resource-name wins. Usages (the deletion order)
 * and the SleepInfo (sleep, later) are not part of provisioning.
 */
const STAGES: Array<[string, RegExp]> = [
  [
    'Network',
    /^(gke-(network|subnetwork|private-services)|eks-(vpc|internet-gateway|public-route|subnet|routetable))/,
  ],
  ['Identity', /^(gke-node-(serviceaccount|role)|eks-(cluster-role|node-role))/],
  ['ControlPlane', /^(vcluster|gke-cluster|eks-cluster)$/],
  ['Nodes', /^(gke-nodepool|eks-nodegroup)$/],
  ['Access', /^(providerconfig-|cluster-admin-binding|eks-clusterauth|eks-access)/],
  ['Tools', /^tool-/],
  ['Registration', /^argocd-/],
  ['Namespace', /./],
];
const ORDER = ['Namespace', ...STAGES.map(([name]) => name).filter((name) => name !== 'Namespace')];

/** The stage a composed resource belongs to, by its composition-resource-name. */
export function stageOf(name: string): string {
  return STAGES.find(([, pattern]) => pattern.test(name))?.[0] ?? 'Namespace';
}

/** The environment's stages, from every resource declared (composed or still waiting). */
export function environmentStages(graph: ResourceGraph): StageDefinition[] {
  const names = graph.declared().filter((n) => !n.startsWith(USAGE_PREFIX) && n !== RESOURCE.sleepInfo);
  return ORDER.map((stage) => ({ name: stage, resources: names.filter((n) => stageOf(n) === stage) })).filter(
    (s) => s.resources.length > 0,
  );
}

/** status.provisioning of a DevEnvironment. */
export function environmentProvisioning(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  ready: boolean,
): Provisioning {
  return provisioning({
    stages: environmentStages(graph),
    observed: (name) => graph.observedResource(name),
    reported: ctx.reported,
    created: ctx.env.identity.creationTimestamp,
    ready,
  });
}
