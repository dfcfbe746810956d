import type { CompositeCondition, Composition } from '../shared/composed.js';
import type { Flavor } from '../shared/flavor.js';
import type { JsonObject } from '../shared/objects.js';
import type { ObservedResources } from '../shared/observed.js';
import { ResourceGraph } from '../shared/graph/graph.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import type { DevEnvironmentContext } from './context.js';
import { composeNamespaceEnvironment } from './namespace-environment.js';
import { parseDevEnvironment, type EnvironmentType } from './spec.js';
import { composeArgocdRegistration } from './argocd-registration.js';
import { composeEksEnvironment, eksAccessWarnings } from './eks/index.js';
import { composeGkeEnvironment } from './gke/index.js';
import { environmentLabels } from './naming.js';
import type { EnvironmentStatus } from './status.js';
import { composeVclusterEnvironment } from './vcluster-environment.js';

const COMPOSERS: Record<
  EnvironmentType,
  (ctx: DevEnvironmentContext, graph: ResourceGraph) => EnvironmentStatus
> = {
  namespace: composeNamespaceEnvironment,
  vcluster: composeVclusterEnvironment,
  gke: composeGkeEnvironment,
  eks: composeEksEnvironment,
};

export interface DevEnvironmentInput {
  flavor: Flavor;
  /** The observed composite resource. */
  xr: JsonObject;
  policy: ResolvedPolicy;
  observed: ObservedResources;
  now: Date;
}

function expiresAt(ctx: DevEnvironmentContext): string | undefined {
  const { ttlSeconds } = ctx.env.spec;
  const created = ctx.env.identity.creationTimestamp;
  if (ttlSeconds === undefined || created === undefined) return undefined;
  const start = Date.parse(created);
  if (Number.isNaN(start)) return undefined;
  return new Date(start + ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Composes a DevEnvironment: validates it, composes the resources of its type in stages, and says in
 * status and conditions what exists and what is being waited on. Pure: the same input gives the
 * same output.
 */
export function composeDevEnvironment(input: DevEnvironmentInput): Composition {
  const env = parseDevEnvironment(input.flavor, input.xr, input.policy);
  const ctx: DevEnvironmentContext = { env, policy: input.policy, observed: input.observed, now: input.now };
  const graph = new ResourceGraph(input.observed);
  const environment: EnvironmentStatus = COMPOSERS[env.spec.type](ctx, graph);
  const registration = composeArgocdRegistration(ctx, graph, environment.argocd);
  graph.composeDeletionOrder(env.identity.flavor, environmentLabels(ctx));

  const waitingFor = graph.waitingFor();
  const notReady = graph.notReady();
  const ready = waitingFor.length === 0 && notReady.length === 0;
  const anyObserved = graph.list().some((r) => graph.wasObserved(r.name));
  const phase = ready ? 'Ready' : anyObserved ? 'Provisioning' : 'Pending';
  const toolsReady = environment.tools.every((t) => t.ready);

  const conditions: CompositeCondition[] = [
    ready
      ? {
          type: 'EnvironmentReady',
          status: 'True',
          reason: 'Available',
          message: `${env.spec.type} environment is ready`,
        }
      : {
          type: 'EnvironmentReady',
          status: 'False',
          reason: 'Creating',
          message: graph.progressMessage(),
        },
    toolsReady
      ? {
          type: 'ToolsReady',
          status: 'True',
          reason: 'Available',
          message: environment.tools.length === 0 ? 'no tools requested' : 'all tools are ready',
        }
      : {
          type: 'ToolsReady',
          status: 'False',
          reason: 'Installing',
          message: `not ready yet: ${environment.tools
            .filter((t) => !t.ready)
            .map((t) => t.name)
            .join(', ')}`,
        },
  ];

  const expiry = expiresAt(ctx);
  if (expiry !== undefined && Date.parse(expiry) <= input.now.getTime()) {
    conditions.push({
      type: 'Expired',
      status: 'True',
      reason: 'TTLElapsed',
      message: `the environment's ttl ran out at ${expiry}; delete it or raise spec.ttl`,
    });
  }

  const status: JsonObject = {
    phase,
    ...(environment.namespace !== undefined ? { namespace: environment.namespace } : {}),
    tools: environment.tools,
    ...(environment.server !== undefined ? { server: environment.server } : {}),
    ...(environment.kubeconfigSecretRef !== undefined
      ? { kubeconfigSecretRef: environment.kubeconfigSecretRef }
      : {}),
    ...(expiry !== undefined ? { expiresAt: expiry } : {}),
    ...(environment.region !== undefined ? { region: environment.region } : {}),
    ...(environment.kubernetesProviderConfig !== undefined
      ? { kubernetesProviderConfigRef: environment.kubernetesProviderConfig }
      : {}),
    ...(environment.network !== undefined ? { network: environment.network } : {}),
    ...(registration !== undefined
      ? { argocdClusterName: registration.argocdClusterName, argocdProject: registration.argocdProject }
      : {}),
  };
  return { resources: graph.list(), status, conditions, events: eksAccessWarnings(ctx), ready };
}
