import type { ComposedResource } from '../composed.js';
import type { Flavor } from '../flavor.js';
import { getPath, isObject, type JsonObject } from '../objects.js';
import { isObservedReady, notReadyReason, type ObservedResources } from '../observed.js';
import { COMPONENT_LABEL, componentLabelValue } from '../resources/managed.js';
import { usage, type UsageParty } from '../resources/usage.js';
import type { Declaration, DeletionEdge, Need, OutsideResource } from './declaration.js';
import { deletionOrder } from './deletion-order.js';

export type { Declaration, DeletionEdge, Need, OutsideResource } from './declaration.js';

/** The label Crossplane's Usage controller puts on what a Usage keeps. */
export const IN_USE_LABEL = 'crossplane.io/in-use';

/** Names of the Usages that order deletion start with this. */
export const USAGE_PREFIX = 'usage-';

/** The composition-resource-name of the Usage that keeps `of` while `by` exists. Never change it. */
export function usageName(of: string, by: string): string {
  return `${USAGE_PREFIX}${by}-uses-${of}`;
}

/**
 * The resources of one composite and what each needs, declared once (kubernetes-sigs/kro's
 * pkg/graph is the model). A resource is composed once everything it needs is observed ready, and
 * always when it was already observed: a resource once created is never dropped because something
 * it needs stops being ready (a flapping Release must not delete the tools installed through it).
 * What is not composed yet says what it waits for; `composeDeletionOrder` turns the same needs into
 * the Usages that order deletion.
 */
export class ResourceGraph {
  private readonly declarations = new Map<string, Declaration>();
  private readonly composed = new Map<string, ComposedResource>();
  private readonly outsiders = new Map<string, OutsideResource>();
  private readonly waits = new Map<string, { text: string; strong: boolean }>();
  private readonly bookkeeping = new Set<string>();

  constructor(private readonly observed: ObservedResources) {}

  /** Declares something outside the composite that its resources may need. */
  outside(name: string, resource: OutsideResource): void {
    this.claimName(name);
    this.outsiders.set(name, resource);
  }

  /** Whether something outside the composite was declared under that name. */
  hasOutside(name: string): boolean {
    return this.outsiders.has(name);
  }

  /**
   * Declares a resource and composes it when what it needs is ready or it already exists. Returns
   * whether it was composed. When it was not, what it waits for is recorded for the conditions, if
   * that is composed or outside (anything else waits itself, on something recorded already).
   */
  add(declaration: Declaration): boolean {
    this.claimName(declaration.name);
    this.declarations.set(declaration.name, declaration);
    const unmet = this.unmetNeeds(declaration);
    if (unmet.length === 0 || this.wasObserved(declaration.name)) {
      this.compose(declaration);
      return true;
    }
    for (const { need, state } of unmet) this.recordWait(declaration, need, state);
    return false;
  }

  /** Whether the observed resource (or the outside resource) of that name exists and is ready. */
  isReady(name: string): boolean {
    const outside = this.outsiders.get(name);
    if (outside !== undefined) return outside.notReady === undefined;
    return isObservedReady(this.observed.get(name));
  }

  /** The observed resource of that name, to read what its provider reports. */
  observedResource(name: string): JsonObject | undefined {
    return this.observed.get(name);
  }

  wasObserved(name: string): boolean {
    return this.observed.has(name);
  }

  has(name: string): boolean {
    return this.composed.has(name);
  }

  /** The body of a composed resource, if it was composed. */
  get(name: string): ComposedResource | undefined {
    return this.composed.get(name);
  }

  /** Every resource declared, composed or still waiting, in the order declared. */
  declared(): string[] {
    return [...this.declarations.keys()];
  }

  /** The resources composed so far, in the order they were composed. */
  list(): ComposedResource[] {
    return [...this.composed.values()];
  }

  /** What the composite waits for before it can compose more, one entry per resource waited for. */
  waitingFor(): string[] {
    return [...this.waits.values()].map((wait) => wait.text);
  }

  /** Names of composed resources that are not ready yet. */
  notReady(): string[] {
    return this.list()
      .map((r) => r.name)
      .filter((name) => !this.isReady(name));
  }

  /** For a condition while the composite is not ready: what it waits for, or else what is not ready. */
  progressMessage(): string {
    if (this.waits.size > 0) return `waiting for: ${this.waitingFor().join('; ')}`;
    const pending = this.notReady();
    const usages = pending.filter((name) => this.bookkeeping.has(name)).length;
    const named = pending.filter((name) => !this.bookkeeping.has(name)).map((name) => this.what(name));
    const order = usages > 0 ? [`the deletion order (${usages} Usage${usages === 1 ? '' : 's'})`] : [];
    return `not ready yet: ${[...named, ...order].join(', ')}`;
  }

  /**
   * The deletion order that follows from the needs of what is composed (or, `declared`, of
   * everything declared: what will be kept once all of it is composed).
   */
  deletionOrder(declared = false): DeletionEdge[] {
    return deletionOrder({
      declarations: this.declarations,
      outside: this.outsiders,
      isComposed: (name) => this.composed.has(name) || (declared && this.declarations.has(name)),
    });
  }

  /**
   * Composes a Usage (replayDeletion) for each edge of the deletion order, so that a resource goes
   * only once everything that needs it is gone: tools before their cluster, node pools before
   * clusters, clusters before their network, an app before its database. A Usage is composed once
   * both its resources are, so it exists well before anything is deleted.
   */
  composeDeletionOrder(flavor: Flavor, labels: Record<string, string>): void {
    for (const { of, by } of this.deletionOrder()) {
      const name = usageName(of, by);
      this.claimName(name);
      this.compose({
        name,
        what: `deletion order of ${this.what(of)}`,
        body: usage(flavor, {
          // The using end is never named from observed state: it is created in the same reconcile as
          // its Usage, and naming it once observed would cost the Usage controller's write it saves.
          of: this.party(of, true),
          by: this.party(by, false),
          reason: `${this.what(by)} uses ${this.what(of)}`,
          labels,
          ...this.usageObjectName(name, of, by),
        }),
      });
      this.bookkeeping.add(name);
    }
    for (const { of } of this.deletionOrder(true)) this.markInUse(of);
  }

  /**
   * Labels a composed resource that a Usage keeps, or will keep once what needs it is composed, as
   * Crossplane's Usage controller would (`crossplane.io/in-use`, which sends its deletes to the Usage
   * webhook; without a Usage the webhook lets them through). From its creation on, so neither the
   * controller nor a later apply has to write it: one watch event fewer for Crossplane's circuit
   * breaker (docs/performance.md).
   */
  private markInUse(name: string): void {
    const resource = this.composed.get(name);
    if (resource !== undefined)
      this.composed.set(name, { ...resource, body: withLabel(resource.body, IN_USE_LABEL, 'true') });
  }

  /** The name the outside resource asks for, for a Usage not observed yet (one observed keeps its own). */
  private usageObjectName(usage: string, of: string, by: string): { objectName?: string } {
    const name = this.outsiders.get(of)?.usageObjectName;
    return name !== undefined && !this.observed.has(usage) ? { objectName: name(by) } : {};
  }

  /** A Usage's end: outside by name; composed by its component label, and by name once observed if `named`. */
  private party(name: string, named: boolean): UsageParty {
    const outside = this.outsiders.get(name)?.party;
    if (outside !== undefined) return outside;
    const body = this.composed.get(name)?.body ?? {};
    const observedName = named ? getPath(this.observed.get(name), 'metadata.name') : undefined;
    return {
      apiVersion: String(body.apiVersion),
      kind: String(body.kind),
      component: name,
      ...(typeof observedName === 'string' ? { observedName } : {}),
    };
  }

  private what(name: string): string {
    return this.declarations.get(name)?.what ?? this.outsiders.get(name)?.what ?? name;
  }

  /**
   * Records that `declaration` waits for `need`, if what it needs is composed or outside. One entry
   * per resource waited for, naming the first resource that needs it to stay (a need in any deletion
   * order is a weaker reason, so a later strong one replaces it).
   */
  private recordWait(declaration: Declaration, need: Need, state: string): void {
    if (!(this.composed.has(need.on) || this.outsiders.has(need.on))) return;
    const strong = need.anyDeletionOrder === undefined;
    const recorded = this.waits.get(need.on);
    if (recorded !== undefined && (recorded.strong || !strong)) return;
    const text = `${this.what(need.on)} (${state}), needed by ${declaration.what} for ${need.for}`;
    this.waits.set(need.on, { text, strong });
  }

  private unmetNeeds(declaration: Declaration): Array<{ need: Need; state: string }> {
    return (declaration.needs ?? []).flatMap((need) => {
      const state = this.stateOf(need);
      return state === undefined ? [] : [{ need, state }];
    });
  }

  /** Why a need is not met, or undefined when it is. */
  private stateOf(need: Need): string | undefined {
    const outside = this.outsiders.get(need.on);
    if (outside !== undefined) return outside.notReady;
    const observed = this.observed.get(need.on);
    if (!isObservedReady(observed)) return notReadyReason(observed);
    return need.until?.(observed);
  }

  private claimName(name: string): void {
    if (this.declarations.has(name) || this.outsiders.has(name) || this.composed.has(name)) {
      throw new Error(`composed resource name ${name} used twice`);
    }
  }

  /** Adds the resource, labelled with its name (COMPONENT_LABEL) for selectors and Usages. */
  private compose(resource: Declaration): void {
    const body = withLabel(resource.body, COMPONENT_LABEL, componentLabelValue(resource.name));
    this.composed.set(resource.name, { name: resource.name, body });
  }
}

/** A copy of `body` with one more label. */
function withLabel(body: JsonObject, key: string, value: string): JsonObject {
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  return { ...body, metadata: { ...metadata, labels: { ...labels, [key]: value } } };
}
