import type { Flavor, ProviderConfigRef } from '../flavor.js';

/** `spec.providerConfigRef` as each flavour spells it: `{kind, name}` for `.m.` groups, `{name}` for legacy. */
export function providerConfigRefFor(
  flavor: Flavor,
  ref: ProviderConfigRef,
): { kind: ProviderConfigRef['kind']; name: string } | { name: string } {
  return flavor === 'namespaced' ? { kind: ref.kind, name: ref.name } : { name: ref.name };
}

/** Where a Secret with credentials lives, and the key to read. */
export interface SecretKeyRef {
  name: string;
  namespace: string;
  key: string;
}
