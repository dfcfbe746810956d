import { isoSeconds } from './duration.js';
import { getPath, isObject, type JsonObject } from './objects.js';
import { isObservedReady } from './observed.js';

/** One stage of provisioning and when it was first seen ready. */
export interface ProvisioningStage {
  name: string;
  readyAt: string;
}

/** status.provisioning: when each stage, and the whole, was first ready, and the seconds it took. */
export interface Provisioning {
  readyAt?: string;
  seconds?: number;
  stages: ProvisioningStage[];
}

/**
 * A stage: its name and the resources (composition-resource-names) it is made of, or, for a stage
 * outside the composite (an AppStack's environment), when it was ready, if it is.
 */
export type StageDefinition = { name: string; resources: string[] } | { name: string; readyAt?: number };

/** When an observed resource became ready: its Ready condition's time, or its creation for kinds without one. */
export function readySince(observed: JsonObject | undefined): number | undefined {
  if (!isObservedReady(observed)) return undefined;
  const conditions = getPath(observed, 'status.conditions');
  const ready = Array.isArray(conditions)
    ? conditions.find((c) => isObject(c) && c.type === 'Ready' && c.status === 'True')
    : undefined;
  const at = isObject(ready) ? ready.lastTransitionTime : getPath(observed, 'metadata.creationTimestamp');
  const time = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isFinite(time) ? time : undefined;
}

/** When the last of the resources became ready; undefined while any is not (or there are none). */
function lastReady(
  resources: string[],
  observed: (name: string) => JsonObject | undefined,
): number | undefined {
  const times = resources.map((name) => readySince(observed(name)));
  if (times.length === 0 || times.some((t) => t === undefined)) return undefined;
  return Math.max(...(times as number[]));
}

/** What the composite reported before, so that nothing recorded is ever rewritten. */
function reportedProvisioning(reported: JsonObject | undefined): Provisioning {
  const p = getPath(reported, 'provisioning');
  const stages = isObject(p) && Array.isArray(p.stages) ? p.stages : [];
  return {
    ...(isObject(p) && typeof p.readyAt === 'string' ? { readyAt: p.readyAt } : {}),
    ...(isObject(p) && typeof p.seconds === 'number' ? { seconds: p.seconds } : {}),
    stages: stages.filter(
      (s): s is ProvisioningStage =>
        isObject(s) && typeof s.name === 'string' && typeof s.readyAt === 'string',
    ),
  };
}

/**
 * status.provisioning, from observed state (issue 22): a stage is ready once every resource it is
 * made of is observed ready, at the time the last of them became ready (their Ready conditions'
 * times, which the providers set, not the time the function happened to run); the whole is ready
 * with the composite, when its last stage was. What was recorded once is kept as it was, and once
 * the whole was ready nothing more is added: it records how the composite was provisioned.
 */
export function provisioning(options: {
  stages: StageDefinition[];
  observed: (name: string) => JsonObject | undefined;
  reported: JsonObject | undefined;
  created: string | undefined;
  ready: boolean;
}): Provisioning {
  const before = reportedProvisioning(options.reported);
  if (before.readyAt !== undefined) return before;
  const stages = [...before.stages];
  for (const stage of options.stages) {
    if (stages.some((s) => s.name === stage.name)) continue;
    const at = 'resources' in stage ? lastReady(stage.resources, options.observed) : stage.readyAt;
    if (at !== undefined) stages.push({ name: stage.name, readyAt: isoSeconds(at) });
  }
  // In provisioning order, whatever order they became ready in.
  const order = (name: string) => {
    const i = options.stages.findIndex((s) => s.name === name);
    return i < 0 ? options.stages.length : i;
  };
  stages.sort((a, b) => order(a.name) - order(b.name));
  const complete = options.ready && options.stages.every((s) => stages.some((x) => x.name === s.name));
  if (!complete || stages.length === 0) return { stages };
  const readyAt = Math.max(...stages.map((s) => Date.parse(s.readyAt)));
  const created = options.created !== undefined ? Date.parse(options.created) : Number.NaN;
  return {
    readyAt: isoSeconds(readyAt),
    ...(Number.isFinite(created) ? { seconds: Math.max(0, Math.round((readyAt - created) / 1000)) } : {}),
    stages,
  };
}
