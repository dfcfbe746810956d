import type { JsonObject } from './objects.js';

/** A resource a composer wants to exist, keyed by its stable composition-resource-name. */
export interface ComposedResource {
  /** The composition-resource-name. Never changes for the life of the composite. */
  name: string;
  /** The full desired object (apiVersion, kind, metadata, spec). */
  body: JsonObject;
}

/** A condition the function reports on the composite (and its claim). */
export interface CompositeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** A result (event) for the composite. */
export interface CompositeEvent {
  severity: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Everything a composer decides, before it is written into a RunFunctionResponse. */
export interface Composition {
  resources: ComposedResource[];
  /** Fields for the composite's status (merged into desired XR status). */
  status: JsonObject;
  conditions: CompositeCondition[];
  events: CompositeEvent[];
  /** Whether every part of the composite is ready (the response TTL gets longer then). */
  ready: boolean;
  /** When the composite next changes on its own (a sleep, a wake, an expiry): called again by then. */
  nextChangeAt?: Date;
  /**
   * It waits for something Crossplane does not watch for it (a required resource, such as an
   * AppStack's DevEnvironment): called again within this many seconds, since no event will wake it.
   */
  recheckWithinSeconds?: number;
  /** Objects the composer needs Crossplane to fetch for it, by requirement name. Stable across calls. */
  requirements?: Record<string, RequiredResourceSelector>;
}

/** Which object to fetch: by name (in a namespace, for namespaced kinds). */
export interface RequiredResourceSelector {
  apiVersion: string;
  kind: string;
  matchName: string;
  namespace?: string;
}
