// A stand-in for Argo CD deleting a preview's resources when its pull request closes (issue 24).
//
// When the pull-request generator stops listing a closed pull request, the ApplicationSet deletes
// its Application, and the Application's resources-finalizer.argocd.argoproj.io has Argo CD's
// application controller delete what the Application deployed (finalizeApplicationDeletion in
// argo-cd's controller/appcontroller.go, FilterObjectsForDeletion in controller/sync_waves.go):
//   - while any of the objects is pending deletion (has a deletionTimestamp), it waits;
//   - otherwise it deletes only the objects of the highest sync wave (and, within it, one kind),
//     with foreground propagation, and looks again on its next reconcile;
//   - a failed delete is an error for that reconcile, retried on the next.
// This plays that loop against the real API server, with the XRs the preview chart renders.
//
// What it cannot catch: the ApplicationSet controller dropping the Application (its generator, its
// policy and preserveResourcesOnDeletion), Argo CD's resource tracking (which objects belong to the
// Application) and its AppProject and RBAC permissions, and its reconcile timing (it requeues with
// backoff; this looks every `everyMs`).

const WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * An object's sync wave, as Argo CD reads it (gitops-engine's syncwaves.Wave: the annotation as an
 * integer, else the Helm hook weight, which our objects never carry, so 0).
 */
export function syncWave(object) {
  const text = object.metadata?.annotations?.[WAVE] ?? '';
  return /^[-+]?\d+$/.test(text) ? Number(text) : 0;
}

/**
 * The objects Argo CD's finalizer deletes next among those still there: none while any is pending
 * deletion, else those of the highest wave (and of its first kind in Argo CD's reverse kind order,
 * which for our composites is by name: they are custom resources).
 */
export function nextToDelete(live) {
  if (live.length === 0 || live.some((o) => o.metadata.deletionTimestamp !== undefined)) return [];
  const top = Math.max(...live.map(syncWave));
  const wave = live.filter((o) => syncWave(o) === top);
  const kind = [...wave].sort((a, b) => b.metadata.name.localeCompare(a.metadata.name))[0].kind;
  return wave.filter((o) => o.kind === kind);
}

/**
 * Deletes `objects` as Argo CD's resources finalizer does, until all are gone or the deadline.
 * Resolves to what happened: each delete issued (when, which wave), and each delete refused.
 */
export async function closePullRequest(kube, objects, deadlineMs, everyMs = 500) {
  const deletes = [];
  const refusals = [];
  const trace = [];
  const started = Date.now();
  for (;;) {
    const live = (
      await Promise.all(
        objects.map((o) => kube.find(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace)),
      )
    ).filter((o) => o !== undefined && objects.some((x) => x.metadata.uid === o.metadata.uid));
    const seen = live.map(
      (o) => `${o.kind}${o.metadata.deletionTimestamp ? ` (deleting, ${o.metadata.finalizers})` : ''}`,
    );
    if (trace.at(-1)?.seen !== seen.join(', '))
      trace.push({ at: (Date.now() - started) / 1000, seen: seen.join(', ') });
    if (live.length === 0) return { deletes, refusals, trace, seconds: (Date.now() - started) / 1000 };
    if (Date.now() - started > deadlineMs) {
      const left = live.map((o) => `${o.kind} ${o.metadata.name}`).join(', ');
      throw new Error(`Argo CD's finalizer stand-in: still there after ${deadlineMs / 1000} s: ${left}`);
    }
    for (const o of nextToDelete(live)) {
      const at = (Date.now() - started) / 1000;
      const { apiVersion, kind, metadata } = o;
      await kube.remove(apiVersion, kind, metadata.name, metadata.namespace, 'Foreground').then(
        () => deletes.push({ kind, name: metadata.name, wave: syncWave(o), at }),
        (err) => refusals.push({ kind, name: metadata.name, at, message: err.message }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
