import type { Flavor, ProviderConfigRef } from '../flavor.js';
import type { JsonObject } from '../objects.js';
import { dnsLabel } from '../names.js';
import { modelObject, type GeneratedModel } from './model-object.js';
import { connectionSecretRefFor, providerConfigRefFor } from './provider-config-ref.js';

/** The namespaced (`.m.`) and legacy model of one kind, taking data of type N and L. */
export interface KindModels<N extends object, L extends object> {
  namespaced: GeneratedModel<N>;
  legacy: GeneratedModel<L>;
}

type ForProviderOf<T> = T extends { spec: { forProvider?: infer F } } ? NonNullable<F> : never;

/**
 * `spec.forProvider` accepted by both groups: the `.m.` and legacy schemas of one kind agree on
 * these fields (the legacy group's references have no namespace).
 */
export type ForProvider<N, L> = ForProviderOf<N> & ForProviderOf<L>;

export interface ManagedOptions<N, L> {
  forProvider: ForProvider<N, L>;
  providerConfig: ProviderConfigRef;
  labels: Record<string, string>;
  /** The cloud resource's name (crossplane.io/external-name), where the provider takes it from there. */
  externalName?: string;
  /** The connection Secret: in the MR's namespace (namespaced flavour) or in `legacyNamespace` (legacy). */
  connectionSecret?: { name: string; legacyNamespace: string };
  /** What Crossplane may do; leaving out LateInitialize makes forProvider the whole truth. */
  managementPolicies?: Array<'Observe' | 'Create' | 'Update' | 'Delete' | 'LateInitialize'>;
}

/** A managed resource of an Upjet provider, in the group the flavour composes. */
export function managedResource<N extends object, L extends object>(
  flavor: Flavor,
  kind: KindModels<N, L>,
  options: ManagedOptions<N, L>,
): JsonObject {
  const metadata = {
    labels: options.labels,
    ...(options.externalName !== undefined
      ? { annotations: { 'crossplane.io/external-name': options.externalName } }
      : {}),
  };
  const connection = options.connectionSecret;
  const spec = {
    forProvider: options.forProvider,
    providerConfigRef: providerConfigRefFor(flavor, options.providerConfig),
    ...(connection !== undefined
      ? { writeConnectionSecretToRef: connectionSecretRefFor(flavor, connection) }
      : {}),
    ...(options.managementPolicies !== undefined ? { managementPolicies: options.managementPolicies } : {}),
  };
  const data = { metadata, spec };
  return flavor === 'namespaced'
    ? modelObject(kind.namespaced, data as unknown as N)
    : modelObject(kind.legacy, data as unknown as L);
}

/** Selects the managed resource of the same composite carrying the given component label. */
export function selectComponent(component: string): {
  matchControllerRef: true;
  matchLabels: Record<string, string>;
} {
  return { matchControllerRef: true, matchLabels: { [COMPONENT_LABEL]: componentLabelValue(component) } };
}

/** The COMPONENT_LABEL value of a composed resource: its name, hashed down to a label's 63 characters. */
export function componentLabelValue(component: string): string {
  return dnsLabel(component, 63);
}

/** Label on every composed resource naming its composition-resource-name, for selectors and Usages. */
export const COMPONENT_LABEL = 'devplatform.io/component';
