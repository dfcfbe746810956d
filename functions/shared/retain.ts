import type { CompositeEvent, Composition } from './composed.js';
import { isObject, type JsonObject } from './objects.js';
import type { ObservedResources } from './observed.js';

/** Only what a function may desire of a composed resource: no status, no server-set metadata. */
export function desirableCopy(observed: JsonObject): JsonObject {
  const metadata = isObject(observed.metadata) ? observed.metadata : {};
  const keep = ['name', 'namespace', 'labels', 'annotations'];
  return {
    apiVersion: observed.apiVersion,
    kind: observed.kind,
    metadata: Object.fromEntries(Object.entries(metadata).filter(([k]) => keep.includes(k))),
    ...(observed.spec !== undefined ? { spec: observed.spec } : {}),
  };
}

/**
 * The body of a resource made from something a provider reports (an address, a certificate): made
 * from it once it is known; while it is not, or no longer is, what exists is kept as it is rather
 * than blanked (and nothing is composed yet when nothing exists).
 */
export function madeOnceKnown<T>(
  known: T | undefined,
  make: (known: T) => JsonObject,
  observed: JsonObject | undefined,
): JsonObject {
  if (known !== undefined) return make(known);
  return observed !== undefined ? desirableCopy(observed) : {};
}

/**
 * The last line of defence against data loss: a composed resource that exists but that the composer
 * no longer produced is kept as it is (with a Warning), unless the composite kind says its removal
 * is deliberate (a tool taken out of spec.tools). A missing key in desired state means "delete".
 */
export function retainObserved(
  composition: Composition,
  observed: ObservedResources,
  isDeliberateRemoval: (name: string) => boolean,
): Composition {
  const composed = new Set(composition.resources.map((r) => r.name));
  const kept: Composition['resources'] = [];
  const events: CompositeEvent[] = [];
  for (const [name, resource] of observed) {
    if (composed.has(name) || isDeliberateRemoval(name)) continue;
    kept.push({ name, body: desirableCopy(resource) });
    events.push({
      severity: 'Warning',
      reason: 'ResourceRetained',
      message: `kept composed resource ${name}: it exists but this version of the function no longer composes it; delete it by hand if it is no longer wanted`,
    });
  }
  if (kept.length === 0) return composition;
  return {
    ...composition,
    resources: [...composition.resources, ...kept],
    events: [...composition.events, ...events],
  };
}
