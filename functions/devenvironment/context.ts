import type { SleepPlan } from './sleep.js';
import type { JsonObject } from '../shared/objects.js';
import type { VersionPlan } from './kubernetes-version.js';
import type { ObservedResources } from '../shared/observed.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import type { ParsedDevEnvironment } from './spec.js';

/** Everything a DevEnvironment composer reads. Composers are pure functions of it. */
export interface DevEnvironmentContext {
  env: ParsedDevEnvironment;
  policy: ResolvedPolicy;
  observed: ObservedResources;
  now: Date;
  /** What the XR reports in its status now (its observed status), for facts the clock cannot date. */
  reported?: JsonObject;
  /** Whether the environment sleeps now (sleep.ts), where sleep concerns it. */
  sleep?: SleepPlan;
  /** The Kubernetes version to run (vcluster, gke and eks environments), decided from what runs. */
  kubernetes?: VersionPlan;
}

/** The version plan of an environment with a cluster of its own; a bug to ask for it otherwise. */
export function kubernetesPlan(ctx: DevEnvironmentContext): VersionPlan {
  if (ctx.kubernetes === undefined)
    throw new Error(`${ctx.env.spec.type} environments have no Kubernetes version plan`);
  return ctx.kubernetes;
}
