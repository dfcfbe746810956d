import { InputError } from './errors.js';
import type { Flavor } from './flavor.js';
import { getString, isObject, type JsonObject } from './objects.js';

/** Who a composite belongs to and how it is named, independent of the API flavour. */
export interface CompositeIdentity {
  flavor: Flavor;
  /** The name the team gave (the claim's name for legacy XRs). */
  name: string;
  /** The team's namespace on the platform cluster (the claim's namespace for legacy XRs), if any. */
  namespace?: string;
  /** The XR's own namespace (namespaced flavour only): where its namespaced resources live. */
  xrNamespace?: string;
  /** A key unique among the composites of a kind on the platform: `<namespace>-<name>` or the XR name. */
  key: string;
  creationTimestamp?: string;
}

/**
 * Where the Secrets a composite's managed resources write (and read) live on the platform: the XR's
 * own namespace (namespaced MRs write there), for a legacy XR its claim's namespace, else
 * crossplane-system.
 */
export function connectionSecretNamespace(identity: CompositeIdentity): string {
  return identity.namespace ?? 'crossplane-system';
}

/**
 * The identity of a composite: for namespaced XRs their own name and namespace; for legacy XRs the
 * name and namespace of the claim they were created for (Crossplane's claim labels), else the XR name.
 */
export function compositeIdentity(flavor: Flavor, xr: JsonObject): CompositeIdentity {
  const xrName = getString(xr, 'metadata.name');
  if (xrName === undefined || xrName === '')
    throw new InputError('metadata.name', 'the composite has no name');
  const creationTimestamp = getString(xr, 'metadata.creationTimestamp');
  const common = { flavor, ...(creationTimestamp !== undefined ? { creationTimestamp } : {}) };
  if (flavor === 'namespaced') {
    const namespace = getString(xr, 'metadata.namespace');
    if (namespace === undefined || namespace === '') {
      throw new InputError('metadata.namespace', 'a namespaced composite must have a namespace');
    }
    return { ...common, name: xrName, namespace, xrNamespace: namespace, key: `${namespace}-${xrName}` };
  }
  // Crossplane labels a claim's XR with the claim's name and namespace: the team knows those.
  const labels = isObject(xr.metadata) && isObject(xr.metadata.labels) ? xr.metadata.labels : {};
  const name = labels['crossplane.io/claim-name'];
  const namespace = labels['crossplane.io/claim-namespace'];
  if (typeof name === 'string' && name !== '' && typeof namespace === 'string' && namespace !== '') {
    return { ...common, name, namespace, key: `${namespace}-${name}` };
  }
  return { ...common, name: xrName, key: xrName };
}
