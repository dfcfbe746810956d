import { getPath, isObject, type JsonObject } from './objects.js';

/** A status condition as Kubernetes objects carry them. */
export interface ObservedCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The observed composed resources of a composite, by composition-resource-name. */
export type ObservedResources = ReadonlyMap<string, JsonObject>;

/** Kinds with no Ready condition of their own: they count as ready once they exist. */
const READY_WHEN_OBSERVED = new Set(['ProviderConfig', 'ClusterProviderConfig', 'Usage', 'ClusterUsage']);

export function conditionOf(obj: JsonObject | undefined, type: string): ObservedCondition | undefined {
  const conditions = getPath(obj, 'status.conditions');
  if (!Array.isArray(conditions)) return undefined;
  for (const c of conditions) {
    if (isObject(c) && c.type === type && typeof c.status === 'string') {
      return {
        type,
        status: c.status,
        ...(typeof c.reason === 'string' ? { reason: c.reason } : {}),
        ...(typeof c.message === 'string' ? { message: c.message } : {}),
      };
    }
  }
  return undefined;
}

/**
 * The cloud name of a stateful resource: the one it was created with (its observed external name)
 * or, before it exists, `proposed`. A later change of naming or policy never renames, so never
 * recreates, a cluster, network or database.
 */
export function keptExternalName(observed: JsonObject | undefined, proposed: string): string {
  const kept = getPath(observed, ['metadata', 'annotations', 'crossplane.io/external-name']);
  return typeof kept === 'string' && kept !== '' ? kept : proposed;
}

/** Whether an observed resource is ready: Ready=True, or merely existing for kinds without one. */
export function isObservedReady(obj: JsonObject | undefined): boolean {
  if (obj === undefined) return false;
  if (typeof obj.kind === 'string' && READY_WHEN_OBSERVED.has(obj.kind)) return true;
  return conditionOf(obj, 'Ready')?.status === 'True';
}

/** Why an observed resource is not ready, from its conditions, for status messages. */
export function notReadyReason(obj: JsonObject | undefined): string {
  if (obj === undefined) return 'not created yet';
  const synced = conditionOf(obj, 'Synced');
  if (synced?.status === 'False') return `not synced: ${synced.message ?? synced.reason ?? 'unknown error'}`;
  const ready = conditionOf(obj, 'Ready');
  if (ready === undefined) return 'no Ready condition yet';
  return ready.message ?? ready.reason ?? `Ready=${ready.status}`;
}
