import type { ComposedResource } from './composed.js';
import { isObject, type JsonObject } from './objects.js';
import { COMPONENT_LABEL, componentLabelValue } from './resources/managed.js';
import { isObservedReady, notReadyReason, type ObservedResources } from './observed.js';

/** Whether the resources a stage depends on are ready, and if not, what is being waited on. */
export interface Gate {
  open: boolean;
  /**
   * What is not ready, for conditions, when the gate is closed: composed resources by name, or
   * conditions outside this composite (no name), such as a tool of another composite.
   */
  blockers: Array<{ name?: string; text: string }>;
}

/**
 * Collects the resources of one composite in stages gated on observed readiness.
 *
 * The rule that keeps environments safe: a resource behind a closed gate is still composed when it
 * was already observed, so a resource once created is never dropped from desired state because
 * something it depends on stops being ready (a flapping Release must not delete the tools installed
 * through it).
 */
export class Plan {
  private readonly resources = new Map<string, ComposedResource>();
  private readonly waits: string[] = [];

  constructor(private readonly observed: ObservedResources) {}

  /** Whether the observed resource of that name exists and is ready. */
  isReady(name: string): boolean {
    return isObservedReady(this.observed.get(name));
  }

  /** The observed resource of that name, to read what its provider reports. */
  observedResource(name: string): JsonObject | undefined {
    return this.observed.get(name);
  }

  wasObserved(name: string): boolean {
    return this.observed.has(name);
  }

  /** A gate open when every named resource is observed ready. `label` says what each one is. */
  gate(dependencies: Array<{ name: string; label: string }>): Gate {
    const blockers = dependencies
      .filter((d) => !this.isReady(d.name))
      .map((d) => ({ name: d.name, text: `${d.label} (${notReadyReason(this.observed.get(d.name))})` }));
    return { open: blockers.length === 0, blockers };
  }

  /** Adds a resource unconditionally, labelled with its name (COMPONENT_LABEL) for selectors. */
  add(resource: ComposedResource): void {
    if (this.resources.has(resource.name)) {
      throw new Error(`composed resource name ${resource.name} used twice`);
    }
    const metadata = isObject(resource.body.metadata) ? resource.body.metadata : {};
    const labels = isObject(metadata.labels) ? metadata.labels : {};
    const body = {
      ...resource.body,
      metadata: { ...metadata, labels: { ...labels, [COMPONENT_LABEL]: componentLabelValue(resource.name) } },
    };
    this.resources.set(resource.name, { name: resource.name, body });
  }

  /** The body of a composed resource, if it was added. */
  get(name: string): ComposedResource | undefined {
    return this.resources.get(name);
  }

  /**
   * Adds a resource when its gate is open or it already exists. Returns whether it was added. When
   * it was not, the blockers already composed, and those outside the composite, are recorded as what
   * the composite waits on (a blocker not composed yet is itself waiting on something recorded earlier).
   */
  addWhen(gate: Gate, resource: ComposedResource): boolean {
    if (gate.open || this.wasObserved(resource.name)) {
      this.add(resource);
      return true;
    }
    for (const { name, text } of gate.blockers) {
      const recordable = name === undefined || this.resources.has(name);
      if (recordable && !this.waits.includes(text)) this.waits.push(text);
    }
    return false;
  }

  has(name: string): boolean {
    return this.resources.has(name);
  }

  /** The resources composed so far, in the order they were added. */
  list(): ComposedResource[] {
    return [...this.resources.values()];
  }

  /** What the composite is waiting on before it can compose more. */
  waitingFor(): string[] {
    return [...this.waits];
  }

  /** Names of composed resources that are not ready yet. */
  notReady(): string[] {
    return this.list()
      .map((r) => r.name)
      .filter((name) => !this.isReady(name));
  }

  /**
   * For a condition while the composite is not ready: what it waits on, or else what is not ready
   * yet (`describe` words the names).
   */
  progressMessage(describe: (names: string[]) => string = (names) => names.join(', ')): string {
    return this.waits.length > 0
      ? `waiting for: ${this.waits.join('; ')}`
      : `not ready yet: ${describe(this.notReady())}`;
  }
}
