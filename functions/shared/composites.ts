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
  now: Date;
}

/** A composite kind this function serves, in one flavour. */
export interface CompositeKind {
  apiVersion: string;
  kind: string;
  flavor: Flavor;
  compose: (input: ComposeInput) => Composition;
  /** Whether dropping this composed resource from desired state is a deliberate deletion. */
  isDeliberateRemoval: (name: string) => boolean;
}
