import type { Flavor, ProviderConfigRef } from '../flavor.js';

/** `spec.providerConfigRef` as each flavour spells it: `{kind, name}` for `.m.` groups, `{name}` for legacy. */
export function providerConfigRefFor(
  flavor: Flavor,
  ref: ProviderConfigRef,
): { kind: ProviderConfigRef['kind']; name: string } | { name: string } {
  return flavor === 'namespaced' ? { kind: ref.kind, name: ref.name } : { name: ref.name };
}

/**
 * `spec.writeConnectionSecretToRef` as each flavour spells it: a namespaced managed resource writes
 * into its own namespace (`{name}`), a legacy one names the namespace.
 */
export function connectionSecretRefFor(
  flavor: Flavor,
  connection: { name: string; legacyNamespace: string },
): { name: string } | { name: string; namespace: string } {
  return flavor === 'namespaced'
    ? { name: connection.name }
    : { name: connection.name, namespace: connection.legacyNamespace };
}

/**
 * A reference to a key of a Secret on the platform cluster, as each group spells it: namespaced
 * managed resources read Secrets in their own namespace (no namespace field), legacy ones name it.
 * Typed as the legacy shape, which forProvider's intersection of both schemas requires.
 */
export function platformSecretKeyRef(
  flavor: Flavor,
  ref: { name: string; namespace: string; key: string },
): { name: string; namespace: string; key: string } {
  if (flavor === 'legacy') return ref;
  return { name: ref.name, key: ref.key } as { name: string; namespace: string; key: string };
}

/** Where a Secret with credentials lives, and the key to read. */
export interface SecretKeyRef {
  name: string;
  namespace: string;
  key: string;
}
