import { ClusterUsage } from '../../models/crds/protection.crossplane.io/v1beta1/ClusterUsage.js';
import { Usage } from '../../models/crds/protection.crossplane.io/v1beta1/Usage.js';
import type { Flavor } from '../flavor.js';
import type { JsonObject } from '../objects.js';
import { selectComponent } from './managed.js';
import { modelObject } from './model-object.js';

/**
 * A resource a Usage refers to: a composed resource by its component label (and by name too once it
 * is observed: `observedName`), or any object by name.
 */
export type UsageParty =
  | { apiVersion: string; kind: string; component: string; observedName?: string }
  | { apiVersion: string; kind: string; name: string };

/** Crossplane's Usage controller writes a Usage's reason here (internal/controller/protection/usage). */
export const USAGE_DETAILS_ANNOTATION = 'crossplane.io/usage-details';

/**
 * A Usage that blocks deleting `of` while `by` exists, and replays the deletion of `of` once `by`
 * is gone, so a composite's resources are torn down in order. Namespaced XRs get a namespaced
 * Usage (both parties are in the XR's namespace); legacy XRs a ClusterUsage.
 *
 * Each write to a composed resource is a watch event that Crossplane's circuit breaker counts
 * against the XR (docs/performance.md), and the Usage controller writes a new Usage up to six
 * times. The Usage says up front what the controller would otherwise write: an end by name where
 * the party carries its observed name, and its reason with the details annotation the controller
 * derives from it.
 */
export function usage(
  flavor: Flavor,
  options: {
    of: UsageParty;
    by: UsageParty;
    reason: string;
    labels: Record<string, string>;
    objectName?: string;
  },
): JsonObject {
  const party = (p: UsageParty) => ({
    apiVersion: p.apiVersion,
    kind: p.kind,
    ...('component' in p
      ? {
          resourceSelector: selectComponent(p.component),
          ...(p.observedName !== undefined ? { resourceRef: { name: p.observedName } } : {}),
        }
      : { resourceRef: { name: p.name } }),
  });
  const spec = {
    of: party(options.of),
    by: party(options.by),
    reason: options.reason,
    replayDeletion: true,
  };
  const metadata = {
    ...(options.objectName !== undefined ? { name: options.objectName } : {}),
    labels: options.labels,
    annotations: { [USAGE_DETAILS_ANNOTATION]: options.reason },
  };
  return flavor === 'namespaced'
    ? modelObject(Usage, { metadata, spec })
    : modelObject(ClusterUsage, { metadata, spec });
}
