import type { JsonObject } from '../../functions/shared/objects.js';
import { shortHash } from '../../functions/shared/names.js';

/** Fields of a claim's spec that Crossplane keeps on the claim (xcrd.CompositeResourceClaimSpecProps). */
const CLAIM_ONLY = ['resourceRef', 'writeConnectionSecretToRef', 'compositeDeletePolicy'];

/**
 * The XR Crossplane's claim syncer makes for a claim (internal/controller/apiextensions/claim/
 * syncer_ssa.go, v2.2.1), as far as the function sees it: named `<claim>-<suffix>` (generateName
 * there; a suffix from the claim's namespace and name here, so examples stay put), the claim's
 * annotations and labels plus crossplane.io/claim-name and claim-namespace, the claim's spec without
 * the claim-only fields, and spec.claimRef. It stands in for the claim controller: it cannot catch
 * what that controller does besides (composition selection, connection details flowing back,
 * status propagation to the claim).
 */
export function claimToXr(claim: JsonObject, xrKind: string): JsonObject {
  const metadata = claim.metadata as { name: string; namespace: string } & JsonObject;
  const spec = Object.fromEntries(
    Object.entries((claim.spec ?? {}) as JsonObject).filter(([key]) => !CLAIM_ONLY.includes(key)),
  );
  return {
    apiVersion: claim.apiVersion,
    kind: xrKind,
    metadata: {
      name: `${metadata.name}-${shortHash(`${metadata.namespace}/${metadata.name}`, 5)}`,
      ...(metadata.annotations !== undefined ? { annotations: metadata.annotations } : {}),
      labels: {
        ...((metadata.labels ?? {}) as JsonObject),
        'crossplane.io/claim-name': metadata.name,
        'crossplane.io/claim-namespace': metadata.namespace,
      },
    },
    spec: {
      ...spec,
      claimRef: {
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        name: metadata.name,
        namespace: metadata.namespace,
      },
    },
  };
}
