// Deletion in make e2e (issue 21): the stand-in providers delete as providers do, every example is
// deleted, and the order things went away is checked against the Usages the function composes.
//
// The stand-ins hold each managed resource they played with the provider finalizer, and release it a
// short while after its deletion began, as a provider does once the external resource is gone. The
// while is adversarial: a resource that uses others takes longer to go than what it uses (one
// E2E_DELETE_STEP_SECONDS more per level of use), so whatever a Usage does not hold back goes first,
// and a missing Usage shows up as an order violation instead of passing by luck. What this cannot
// catch: a real provider's own deletion (an API that refuses, a resource that lingers for minutes),
// and anything provider-kubernetes or provider-helm delete inside an environment's cluster.
import { clearInterval, setInterval } from 'node:timers';
import { KubeError, waitFor } from './kube.mjs';
import { hostManifest, PROVIDER_FINALIZER, playedKinds } from './composites.mjs';

/** The delay of a resource whose depth of use is not known (one dropped by a spec change). */
const STEP_MS = Number(process.env.E2E_DELETE_STEP_SECONDS ?? 1) * 1000;
const COMPONENT = 'devplatform.io/component';

/**
 * The deletion-order edges a golden response declares: for each Usage, the composed resource (by its
 * composition-resource-name) or outside object (by kind and name) it keeps, and the one that uses it.
 */
export function goldenEdges(golden) {
  const resources = (golden.response ?? golden).desired?.resources ?? {};
  const end = (e) =>
    e.resourceSelector?.matchLabels?.[COMPONENT] !== undefined
      ? { component: e.resourceSelector.matchLabels[COMPONENT] }
      : { kind: e.kind, name: e.resourceRef?.name };
  return Object.entries(resources)
    .filter(([, r]) => /Usage$/.test(r.resource?.kind ?? ''))
    .map(([usage, r]) => ({ usage, of: end(r.resource.spec.of), by: end(r.resource.spec.by) }));
}

/** How many levels of use stand below each component: 0 for one that uses nothing. */
export function useDepths(edges) {
  const uses = new Map();
  for (const { of, by } of edges) {
    if (by.component === undefined || of.component === undefined) continue;
    uses.set(by.component, [...(uses.get(by.component) ?? []), of.component]);
  }
  const depth = new Map();
  const visit = (name, seen = new Set()) => {
    if (depth.has(name)) return depth.get(name);
    if (seen.has(name)) throw new Error(`deletion-order cycle through ${name}`);
    seen.add(name);
    const d = Math.max(-1, ...(uses.get(name) ?? []).map((n) => visit(n, seen))) + 1;
    depth.set(name, d);
    return d;
  };
  for (const name of uses.keys()) visit(name);
  return depth;
}

/**
 * Edges whose used side went before the side using it: `{usage, of, by, ofGone, byGone}`, one per
 * violation. `goneAt(end)` is when that end was first seen gone (undefined: never); `lastSeenAt(end)`,
 * when a list that still held it was started (default: its goneAt). A sweep lists one kind after the
 * other, so an end first seen gone in the same sweep as its user may have gone seconds after it: only
 * the used side seen gone before its user was last seen present is certain, and counts.
 */
export function orderViolations(edges, goneAt, lastSeenAt = goneAt) {
  return edges.flatMap((edge) => {
    const ofGone = goneAt(edge.of);
    const byGone = goneAt(edge.by);
    const byLastSeen = lastSeenAt(edge.by) ?? byGone;
    if (ofGone === undefined || byGone === undefined || !(ofGone < byLastSeen)) return [];
    return [{ ...edge, ofGone, byGone }];
  });
}

/**
 * Deletes what an Object manages on the platform cluster, as provider-kubernetes does before it lets
 * the Object go; true once it is gone (a Namespace takes its contents with it first: the namespace
 * controller).
 */
async function managedGone(kube, object) {
  const manifest = hostManifest(object);
  if (manifest === undefined) return true;
  const { apiVersion, kind, metadata } = manifest;
  const live = await kube.find(apiVersion, kind, metadata.name, metadata.namespace).catch(() => undefined);
  if (live === undefined) return true;
  if (live.metadata.deletionTimestamp === undefined)
    await kube.remove(apiVersion, kind, metadata.name, metadata.namespace);
  return false;
}

/**
 * The stand-in providers' deletion: every tick, each played managed resource whose deletion began at
 * least its delay ago is released (the provider finalizer removed). Runs for the whole e2e, since
 * resources also go when a spec change drops them.
 */
export class StandInDeletion {
  constructor(kube) {
    this.kube = kube;
    /** Delay by uid; STEP_MS for any other. */
    this.delays = new Map();
    this.released = 0;
    this.timer = undefined;
    this.busy = false;
  }

  delayOf(uid, ms) {
    this.delays.set(uid, ms);
  }

  start(everyMs = 250) {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.tick()
        .catch(() => {})
        .finally(() => {
          this.busy = false;
        });
    }, everyMs);
  }

  stop() {
    clearInterval(this.timer);
  }

  async tick() {
    for (const kind of playedKinds) {
      const [apiVersion, k] = kind.split(' ');
      for (const object of await this.kube.list(apiVersion, k)) {
        const since = object.metadata.deletionTimestamp;
        const finalizers = object.metadata.finalizers ?? [];
        if (since === undefined || !finalizers.includes(PROVIDER_FINALIZER)) continue;
        if (Date.now() - Date.parse(since) < (this.delays.get(object.metadata.uid) ?? STEP_MS)) continue;
        if (!(await managedGone(this.kube, object))) continue;
        await this.kube
          .merge(object, { metadata: { finalizers: finalizers.filter((f) => f !== PROVIDER_FINALIZER) } })
          .catch((err) => {
            if (!(err instanceof KubeError && err.status === 404)) throw err;
          });
        this.released += 1;
      }
    }
  }
}

/**
 * Watches objects until each is gone: lists each kind every `everyMs` (one request per kind, not per
 * object). Resolves, once all are gone or at the deadline, to `goneAt` (uid: when the first list
 * without it returned) and `lastSeenAt` (uid: when the last list that held it was started).
 */
export async function watchGone(kube, objects, deadlineMs, everyMs = 250) {
  const goneAt = new Map();
  const lastSeenAt = new Map();
  const byKind = new Map();
  for (const o of objects) {
    const kind = `${o.apiVersion} ${o.kind}`;
    byKind.set(kind, [...(byKind.get(kind) ?? []), o]);
  }
  const deadline = Date.now() + deadlineMs;
  while (goneAt.size < objects.length && Date.now() < deadline) {
    for (const [kind, members] of byKind) {
      const [apiVersion, k] = kind.split(' ');
      const started = Date.now();
      const live = new Set((await kube.list(apiVersion, k)).map((o) => o.metadata.uid));
      const at = Date.now();
      for (const o of members) {
        if (live.has(o.metadata.uid)) lastSeenAt.set(o.metadata.uid, started);
        else if (!goneAt.has(o.metadata.uid)) goneAt.set(o.metadata.uid, at);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { goneAt, lastSeenAt };
}

/** Waits until the object carries Crossplane's in-use label (its Usage controller has seen a Usage of it). */
export async function inUse(kube, object, timeoutMs) {
  return waitFor(
    `${object.kind} ${object.metadata.name} to be marked in use`,
    async () => {
      const live = await kube.find(
        object.apiVersion,
        object.kind,
        object.metadata.name,
        object.metadata.namespace,
      );
      return live?.metadata?.labels?.['crossplane.io/in-use'] === 'true';
    },
    timeoutMs,
    1_000,
  );
}
