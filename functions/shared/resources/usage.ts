import { ClusterUsage } from '../../models/crds/protection.crossplane.io/v1beta1/ClusterUsage.js';
import { Usage } from '../../models/crds/protection.crossplane.io/v1beta1/Usage.js';
import type { Flavor } from '../flavor.js';
import type { JsonObject } from '../objects.js';
import { selectComponent } from './managed.js';
import { plainObject } from './plain-object.js';

/** A resource a Usage refers to: a composed resource by its component label, or any object by name. */
export type UsageParty =
  | { apiVersion: string; kind: string; component: string }
  | { apiVersion: string; kind: string; name: string };

/**
 * A Usage that blocks deleting `of` while `by` exists, and replays the deletion of `of` once `by`
 * is gone, so a composite's resources are torn down in order. Namespaced XRs get a namespaced
 * Usage (both parties are in the XR's namespace); legacy XRs a ClusterUsage.
 */
export function usage(
  flavor: Flavor,
  options: { of: UsageParty; by: UsageParty; labels: Record<string, string>; objectName?: string },
): JsonObject {
  const party = (p: UsageParty) => ({
    apiVersion: p.apiVersion,
    kind: p.kind,
    ...('component' in p
      ? { resourceSelector: selectComponent(p.component) }
      : { resourceRef: { name: p.name } }),
  });
  const spec = { of: party(options.of), by: party(options.by), replayDeletion: true };
  const metadata = {
    ...(options.objectName !== undefined ? { name: options.objectName } : {}),
    labels: options.labels,
  };
  const model =
    flavor === 'namespaced' ? new Usage({ metadata, spec }) : new ClusterUsage({ metadata, spec });
  return plainObject(model);
}
