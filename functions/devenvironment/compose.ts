import type { CompositeCondition, CompositeEvent, Composition } from '../shared/composed.js';
import type { Flavor } from '../shared/flavor.js';
import { isObject, type JsonObject } from '../shared/objects.js';
import type { ObservedResources } from '../shared/observed.js';
import { ResourceGraph } from '../shared/graph/graph.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import type { DevEnvironmentContext } from './context.js';
import { planKubernetesVersion, type VersionPlan } from './kubernetes-version.js';
import { environmentProvisioning } from './provisioning.js';
import { planSleep } from './sleep.js';
import { composeNamespaceEnvironment } from './namespace-environment.js';
import { parseDevEnvironment, type EnvironmentType } from './spec.js';
import { composeArgocdRegistration, type Registration } from './argocd-registration.js';
import { environmentCondition, expiresAt, expiryConditions, toolsCondition } from './conditions.js';
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

/** status: what the environment is and where to reach it, as far as it is known yet. */
function environmentStatus(
  phase: string,
  environment: EnvironmentStatus,
  registration: Registration | undefined,
  expiry: string | undefined,
): JsonObject {
  const optional = (key: string, value: unknown) => (value !== undefined ? { [key]: value } : {});
  return {
    phase,
    ...optional('namespace', environment.namespace),
    tools: environment.tools,
    ...optional('server', environment.server),
    ...optional('kubeconfigSecretRef', environment.kubeconfigSecretRef),
    ...optional('expiresAt', expiry),
    ...optional('region', environment.region),
    ...optional('kubernetesProviderConfigRef', environment.kubernetesProviderConfig),
    ...optional('network', environment.network),
    ...optional('argocdClusterName', registration?.argocdClusterName),
    ...optional('argocdProject', registration?.argocdProject),
  };
}

/**
 * Everything the composers read: the parsed spec, the policy, what is observed, the time, what the
 * XR reports, the Kubernetes version to run and whether to sleep.
 */
function devEnvironmentContext(input: DevEnvironmentInput): DevEnvironmentContext {
  const env = parseDevEnvironment(input.flavor, input.xr, input.policy, input.observed);
  const reported = isObject(input.xr.status) ? input.xr.status : {};
  const base: DevEnvironmentContext = {
    env,
    policy: input.policy,
    observed: input.observed,
    now: input.now,
    reported,
  };
  const withVersion: DevEnvironmentContext =
    env.spec.type === 'namespace' ? base : { ...base, kubernetes: planKubernetesVersion(base) };
  const sleep = planSleep(withVersion, expiresAt(withVersion));
  return sleep === undefined ? withVersion : { ...withVersion, sleep };
}

/** The next change of the environment's own: a scheduled sleep or wake, or its expiry. */
function nextChangeAt(ctx: DevEnvironmentContext, expiry: string | undefined): { nextChangeAt?: Date } {
  const times = [ctx.sleep?.nextChange, expiry]
    .map((t) => (t !== undefined ? Date.parse(t) : NaN))
    .filter((t) => !Number.isNaN(t) && t > ctx.now.getTime());
  return times.length > 0 ? { nextChangeAt: new Date(Math.min(...times)) } : {};
}

/** status.kubernetesVersion (what runs) and status.upgrade (while one is under way). */
function versionStatus(plan: VersionPlan | undefined): JsonObject {
  if (plan === undefined) return {};
  return {
    ...(plan.runs !== undefined ? { kubernetesVersion: plan.runs } : {}),
    ...(plan.upgrade !== undefined ? { upgrade: plan.upgrade } : {}),
  };
}

/** Warnings about the version: one that is no longer supported or offered, and a refused change. */
function versionEvents(plan: VersionPlan | undefined): CompositeEvent[] {
  if (plan === undefined) return [];
  const refused = plan.condition.reason === 'UpgradeRefused';
  return [
    ...plan.warnings,
    ...(refused
      ? [{ severity: 'Warning' as const, reason: 'UpgradeRefused', message: plan.condition.message }]
      : []),
  ];
}

/**
 * Composes a DevEnvironment: validates it, composes the resources of its type in stages, and says in
 * status and conditions what exists and what is being waited on. Pure: the same input gives the
 * same output.
 */
export function composeDevEnvironment(input: DevEnvironmentInput): Composition {
  const ctx = devEnvironmentContext(input);
  const env = ctx.env;
  const graph = new ResourceGraph(input.observed);
  const environment: EnvironmentStatus = COMPOSERS[env.spec.type](ctx, graph);
  const registration = composeArgocdRegistration(ctx, graph, environment.argocd);
  graph.composeDeletionOrder(env.identity.flavor, environmentLabels(ctx));

  const ready = graph.waitingFor().length === 0 && graph.notReady().length === 0;
  const anyObserved = graph.list().some((r) => graph.wasObserved(r.name));
  const asleep = ctx.sleep?.state.asleep === true;
  const phase = asleep ? 'Asleep' : ready ? 'Ready' : anyObserved ? 'Provisioning' : 'Pending';
  const expiry = expiresAt(ctx);
  const conditions: CompositeCondition[] = [
    environmentCondition(ctx, graph, ready),
    toolsCondition(environment.tools),
    ...(ctx.kubernetes !== undefined ? [ctx.kubernetes.condition] : []),
    ...(ctx.sleep !== undefined ? [ctx.sleep.condition] : []),
    ...expiryConditions(expiry, input.now),
  ];
  return {
    resources: graph.list(),
    status: {
      ...environmentStatus(phase, environment, registration, expiry),
      ...versionStatus(ctx.kubernetes),
      ...(ctx.sleep !== undefined ? { sleep: ctx.sleep.state } : {}),
      provisioning: environmentProvisioning(ctx, graph, ready),
    },
    conditions,
    events: [...eksAccessWarnings(ctx), ...versionEvents(ctx.kubernetes)],
    ready,
    ...nextChangeAt(ctx, expiry),
  };
}
