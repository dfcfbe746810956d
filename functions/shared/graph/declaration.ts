import type { ComposedResource } from '../composed.js';
import type { JsonObject } from '../objects.js';
import type { UsageParty } from '../resources/usage.js';

/**
 * One edge of a composite's dependency graph, declared once by the resource that has it. From it
 * come the creation order (the resource waits until what it needs is ready), the "waiting for"
 * message, and the deletion order (what it needs is kept by a Usage while it exists).
 */
export interface Need {
  /** What is needed: a composition-resource-name, or a resource declared with `graph.outside`. */
  on: string;
  /** What the resource needs it for, in its reader's terms: "the network it is carved from". */
  for: string;
  /**
   * Readiness beyond the Ready condition, such as an endpoint the provider has to report: what is
   * still missing, or undefined once there is nothing.
   */
  until?: (observed: JsonObject | undefined) => string | undefined;
  /**
   * Set, with the reason, when deleting them in any order is safe; otherwise what is needed is kept
   * (a deletion-order Usage) for as long as the resource exists.
   */
  anyDeletionOrder?: string;
}

/** A composed resource with what the graph needs to know about it. */
export interface Declaration extends ComposedResource {
  /** What it is, for a person reading a condition: "GKE cluster devenv-team-a". */
  what: string;
  needs?: readonly Need[];
  /**
   * Set, with the reason, for resources that need no Usage of their own: a provider keeps its
   * ProviderConfigs while anything uses them. Whatever needs such a resource then needs, for
   * deletion, what it needs.
   */
  keptByProvider?: string;
}

/** A resource outside the composite that its resources need: another composite, or its parts. */
export interface OutsideResource {
  what: string;
  /** Undefined when ready; otherwise why not, for the "waiting for" message. */
  notReady?: string;
  /** How a Usage names it, when what needs it must keep it while it exists. */
  party?: UsageParty;
  /**
   * The object name of a new Usage keeping it while `by` exists. Crossplane's webhook quotes a
   * Usage's name when it refuses a delete, so a name that says who uses it tells the person deleting
   * why (for example, which AppStack uses the DevEnvironment). A Usage that exists keeps its name.
   */
  usageObjectName?: (by: string) => string;
}

/** `by` needs `of`: `of` may be deleted only once `by` is gone. */
export interface DeletionEdge {
  of: string;
  by: string;
}
