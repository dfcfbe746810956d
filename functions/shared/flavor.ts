/**
 * Which API family a composite belongs to, and so which managed resource groups it composes:
 * - `namespaced`: a Crossplane v2 namespaced XR, composing the namespaced `.m.` groups in its own
 *   namespace, with `providerConfigRef: {kind, name}`;
 * - `legacy`: a cluster-scoped XR (with claims), composing the legacy cluster-scoped groups, with
 *   `providerConfigRef: {name}`.
 */
export type Flavor = 'namespaced' | 'legacy';

/** A reference to a provider's ProviderConfig or ClusterProviderConfig. */
export interface ProviderConfigRef {
  kind: 'ProviderConfig' | 'ClusterProviderConfig';
  name: string;
}
