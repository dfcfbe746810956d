import type { Composition } from './composed.js';
import type { Flavor } from './flavor.js';
import type { JsonObject } from './objects.js';
import type { ObservedResources } from './observed.js';
import type { ResolvedPolicy } from './policy/policy.js';

/** What every composite kind's composer receives. */
export interface ComposeInput {
  flavor: Flavor;
  xr: JsonObject;
  policy: ResolvedPolicy;
  observed: ObservedResources;
  /** Other objects the composer asked for (Composition.requirements), by requirement name. */
  required: RequiredResources;
  now: Date;
}

/** Objects Crossplane fetched for the function's requirements: absent until it has asked once. */
export type RequiredResources = ReadonlyMap<string, JsonObject[]>;

/** A composite kind this function serves, in one flavour. */
export interface CompositeKind {
  apiVersion: string;
  kind: string;
  flavor: Flavor;
  compose: (input: ComposeInput) => Composition;
  /** Whether dropping this composed resource from desired state is a deliberate deletion. */
  isDeliberateRemoval: (name: string) => boolean;
}
