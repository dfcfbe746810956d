import type { ProviderConfigRef } from '../shared/flavor.js';
import type { Need, ResourceGraph } from '../shared/graph/graph.js';
import {
  kubeGreenSpec,
  observedSleepInfo,
  sleepInfoManifest,
  type NamespaceSleep,
  type ObservedSleepInfo,
} from '../shared/kube-green.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import type { DevEnvironmentContext } from './context.js';
import { environmentLabels, RESOURCE } from './naming.js';

/** Where a namespace or vcluster environment's workloads sleep: a namespace, reached how, after what. */
export interface WorkloadSleepTarget {
  namespace: string;
  providerConfig: ProviderConfigRef;
  /** What the SleepInfo needs: the namespace, or a way into the vcluster and kube-green in it. */
  needs: Need[];
}

/** The environment's sleep as kube-green carries it out for a namespace, from the sleep plan. */
export function namespaceSleep(ctx: DevEnvironmentContext): NamespaceSleep {
  const state = ctx.sleep?.state ?? { asleep: false };
  const schedule = ctx.env.spec.sleep?.schedule;
  return {
    asleep: state.asleep,
    ...(state.reason !== undefined ? { reason: state.reason } : {}),
    ...(state.since !== undefined ? { since: state.since } : {}),
    ...(schedule !== undefined ? { schedule } : {}),
  };
}

/** What the environment's own SleepInfo last did, if it has one. */
export function observedWorkloadSleep(ctx: DevEnvironmentContext): ObservedSleepInfo | undefined {
  return observedSleepInfo(ctx.observed.get(RESOURCE.sleepInfo));
}

/**
 * The SleepInfo that puts the environment's workloads to sleep and wakes them (functions/shared/
 * kube-green.ts says how), while one is needed. Leaving it out removes it (a deliberate removal, see
 * index.ts), which kubeGreenSpec allows only once it woke or never slept.
 */
export function composeWorkloadSleep(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  target: WorkloadSleepTarget,
): void {
  const spec = kubeGreenSpec(namespaceSleep(ctx), observedWorkloadSleep(ctx), ctx.now);
  if (spec === undefined) return;
  graph.add({
    name: RESOURCE.sleepInfo,
    what: `kube-green's SleepInfo in ${target.namespace}`,
    needs: target.needs,
    body: kubernetesObject(ctx.env.identity.flavor, {
      manifest: sleepInfoManifest(target.namespace, spec, environmentLabels(ctx)),
      providerConfig: target.providerConfig,
      labels: environmentLabels(ctx),
    }),
  });
}
