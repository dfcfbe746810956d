// Reading and driving one composite on the live control plane: its composed resources, what our
// function returns for it given what is live, and the providers' part (status, connection Secrets).
import { providerReports, readyConditions } from '../providers.mjs';
import { conditionOf } from './kube.mjs';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Kinds no provider reconciles here and that carry no Ready condition: Crossplane counts them ready once they exist. */
const NOT_PLAYED = /(ProviderConfig|Usage)$/;

/** Whether a composed resource counts as ready: Ready=True, or a kind without a Ready condition. */
export function countsReady(object) {
  return NOT_PLAYED.test(object.kind) || conditionOf(object, 'Ready')?.status === 'True';
}

/**
 * The finalizer a provider puts on every managed resource it reconciles, and removes once the
 * external resource is gone (crossplane-runtime's managed reconciler). The stand-in providers add it
 * with the first Ready, and scripts/e2e/deletion.mjs removes it when they have "deleted" it.
 */
export const PROVIDER_FINALIZER = 'finalizer.managedresource.crossplane.io';

/** The apiVersion and kind of every managed resource played, for the stand-ins' deletion. */
export const playedKinds = new Set();

/** The references to an XR's composed resources: spec.crossplane.resourceRefs (v2) or spec.resourceRefs (legacy). */
export function resourceRefs(xr) {
  return xr?.spec?.crossplane?.resourceRefs ?? xr?.spec?.resourceRefs ?? [];
}

/** The XR's composed resources as they are live, by composition-resource-name. */
export async function composedOf(kube, xr) {
  const out = {};
  for (const ref of resourceRefs(xr)) {
    const namespace = ref.namespace ?? xr.metadata.namespace;
    const live = await kube.find(ref.apiVersion, ref.kind, ref.name, namespace);
    if (live === undefined) continue;
    const name = live.metadata.annotations?.['crossplane.io/composition-resource-name'];
    if (name !== undefined) out[name] = live;
  }
  return out;
}

/** `field: expected vs live` for each place `expected` holds a value `live` does not (live may hold more). */
export function notContained(expected, live, path = '') {
  if (isObject(expected)) {
    if (!isObject(live)) return [`${path || '.'}: expected an object, live has ${JSON.stringify(live)}`];
    return Object.entries(expected).flatMap(([k, v]) => notContained(v, live[k], `${path}.${k}`));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(live) || live.length !== expected.length)
      return [`${path}: expected ${JSON.stringify(expected)}, live has ${JSON.stringify(live)}`];
    return expected.flatMap((v, i) => notContained(v, live[i], `${path}[${i}]`));
  }
  return expected === live
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, live has ${JSON.stringify(live)}`];
}

/**
 * What our function returns for the XR as it is live: Crossplane's request rebuilt from the live XR,
 * its live composed resources and the required resources, answered in process by the built handler.
 */
export function composeInProcess({ runFunction, request }, { xr, input, observed, required }) {
  return runFunction(request('e2e', { xr, input, observed, required }));
}

/** Differences between what the function desires and what is live, one line each; empty when equal. */
export function desiredVersusLive(response, live) {
  const problems = [];
  for (const [name, { resource }] of Object.entries(response.desired?.resources ?? {})) {
    const object = live[name];
    if (object === undefined) {
      problems.push(`${name} (${resource.kind}): desired, not in the API server`);
      continue;
    }
    if (object.apiVersion !== resource.apiVersion || object.kind !== resource.kind)
      problems.push(
        `${name}: desired ${resource.apiVersion} ${resource.kind}, live ${object.apiVersion} ${object.kind}`,
      );
    if (resource.metadata?.name !== undefined && resource.metadata.name !== object.metadata.name)
      problems.push(`${name}: desired name ${resource.metadata.name}, live ${object.metadata.name}`);
    const compared = [
      ['spec', resource.spec, object.spec],
      ['metadata.labels', resource.metadata?.labels, object.metadata.labels],
    ];
    for (const [field, wanted, has] of compared)
      if (wanted !== undefined) problems.push(...notContained(wanted, has, `${name} ${field}`));
  }
  for (const name of Object.keys(live)) {
    if (response.desired?.resources?.[name] === undefined) problems.push(`${name}: live, no longer desired`);
  }
  return problems;
}

/** Connection details a provider writes for a kind (placeholders: nothing reads them here). */
function connectionData(object) {
  const kind = object.kind;
  const data = /Cluster|ClusterAuth|Release/.test(kind)
    ? { kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n' }
    : {
        username: 'app',
        password: 'placeholder-written-by-the-provider',
        endpoint: 'db.internal',
        port: '5432',
      };
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
}

/** Whether what a provider reports now differs from what the object says it reported. */
function reportsDiffer(reported, now) {
  return Object.entries(now).some(
    ([key, value]) => JSON.stringify(reported?.[key]) !== JSON.stringify(value),
  );
}

/**
 * What a GKE node pool reports: the version of its nodes, which GKE's node auto-upgrade brings to the
 * control plane's (the node pool asks for none; GKE upgrades the nodes after the control plane).
 * Stands in for GKE's auto-upgrade; it cannot catch how long that takes, or a surge that fails.
 */
function nodesFollowControlPlane(object, live) {
  if (object.kind !== 'NodePool' || !String(object.apiVersion).startsWith('container.gcp')) return undefined;
  const cluster = Object.values(live).find(
    (o) => o.kind === 'Cluster' && String(o.apiVersion).startsWith('container.gcp'),
  );
  const version = cluster?.status?.atProvider?.masterVersion;
  return typeof version === 'string' ? { version } : undefined;
}

/** The field manager the stand-in provider-kubernetes applies what it manages with. */
const MANAGED_BY = 'e2e-provider-kubernetes';

/**
 * What a provider-kubernetes Object manages on the platform cluster itself: its manifest, when it
 * reaches the host through the `default` ProviderConfig and the API server here serves its kind.
 * Objects reaching into an environment's cluster (which does not exist here), and kinds whose CRDs
 * are not installed here (Argo CD's, kube-green's, CloudNativePG's), manage nothing.
 */
export function hostManifest(object) {
  if (object.kind !== 'Object' || !String(object.apiVersion).startsWith('kubernetes.')) return undefined;
  if (object.spec?.providerConfigRef?.name !== 'default') return undefined;
  const manifest = object.spec?.forProvider?.manifest;
  return isObject(manifest) ? manifest : undefined;
}

/**
 * Applies what an Object manages, as provider-kubernetes does; false when it cannot yet (a
 * namespace not there yet), true when applied or when there is nothing it manages here.
 */
async function applyManaged(kube, object) {
  const manifest = hostManifest(object);
  if (manifest === undefined) return true;
  try {
    await kube.resource(manifest.apiVersion, manifest.kind);
  } catch {
    return true;
  }
  try {
    await kube.apply(manifest, MANAGED_BY);
    return true;
  } catch {
    return false;
  }
}

/**
 * Plays the providers for every composed resource that exists and is not ready yet: Ready and Synced
 * conditions and what the cloud reports in status.atProvider, and the connection Secret the resource
 * asks for. Returns how many objects it changed.
 */
export async function playProviders(kube, xr, live) {
  let changed = 0;
  for (const object of Object.values(live)) {
    if (NOT_PLAYED.test(object.kind)) continue;
    const atProvider = providerReports(object) ?? nodesFollowControlPlane(object, live);
    playedKinds.add(`${object.apiVersion} ${object.kind}`);
    const finalizers = object.metadata.finalizers ?? [];
    if (!finalizers.includes(PROVIDER_FINALIZER) && object.metadata.deletionTimestamp === undefined) {
      await kube.merge(object, { metadata: { finalizers: [...finalizers, PROVIDER_FINALIZER] } });
    }
    if (conditionOf(object, 'Ready')?.status !== 'True') {
      // provider-kubernetes is not ready before what it manages exists (its namespace, for one).
      if (!(await applyManaged(kube, object))) continue;
      const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await kube.merge(
        object,
        { status: { conditions: readyConditions(true, at), ...(atProvider ? { atProvider } : {}) } },
        'status',
      );
      changed += 1;
    } else if (atProvider !== undefined && reportsDiffer(object.status?.atProvider, atProvider)) {
      // What the cloud reports follows a change of spec (a new Kubernetes version, for one).
      await kube.merge(object, { status: { atProvider } }, 'status');
      changed += 1;
    }
    const ref = object.spec?.writeConnectionSecretToRef;
    if (isObject(ref) && typeof ref.name === 'string') {
      const namespace = ref.namespace ?? object.metadata.namespace ?? xr.metadata.namespace;
      if ((await kube.find('v1', 'Secret', ref.name, namespace)) === undefined) {
        await kube.create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: ref.name,
            namespace,
            labels: { 'e2e.devplatform.io/written-for': object.metadata.name },
            // Owned by the resource that wrote it, as providers do: it goes with it (garbage collector).
            ownerReferences: [
              {
                apiVersion: object.apiVersion,
                kind: object.kind,
                name: object.metadata.name,
                uid: object.metadata.uid,
                controller: true,
              },
            ],
          },
          type: 'connection.crossplane.io/v1alpha1',
          data: connectionData(object),
        });
        changed += 1;
      }
    }
  }
  return changed;
}
