import { Object as LegacyObject } from '../../models/crds/kubernetes.crossplane.io/v1alpha2/Object.js';
import { ProviderConfig as LegacyProviderConfig } from '../../models/crds/kubernetes.crossplane.io/v1alpha1/ProviderConfig.js';
import { Object as NamespacedObject } from '../../models/crds/kubernetes.m.crossplane.io/v1alpha1/Object.js';
import { ProviderConfig as NamespacedProviderConfig } from '../../models/crds/kubernetes.m.crossplane.io/v1alpha1/ProviderConfig.js';
import type { Flavor, ProviderConfigRef } from '../flavor.js';
import type { JsonObject } from '../objects.js';
import type { KindModels } from './managed.js';
import { modelObject } from './model-object.js';
import { connectionSecretRefFor, providerConfigRefFor, type SecretKeyRef } from './provider-config-ref.js';

export interface KubernetesObjectOptions {
  /** The object to create on the target cluster. */
  manifest: JsonObject;
  /** Which cluster: the ProviderConfig of provider-kubernetes to use. */
  providerConfig: ProviderConfigRef;
  /** Labels of the managed resource itself (on the platform cluster). */
  labels: Record<string, string>;
  /**
   * How readiness is derived. `DeriveFromObject` follows the object's own Ready condition (or
   * existence when it has none); `SuccessfulCreate` is enough for plain configuration.
   */
  readiness?: 'SuccessfulCreate' | 'DeriveFromObject' | 'DeriveFromCelQuery';
  /** With DeriveFromCelQuery: a CEL expression over `object` that is true once it is ready. */
  celQuery?: string;
  /**
   * Values the provider copies from objects on the target cluster into the Object's connection
   * Secret on the platform (Secret `data.*` fields are decoded). Nothing passes through desired state.
   */
  connectionDetails?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    namespace: string;
    fieldPath: string;
    toConnectionSecretKey: string;
  }>;
  /** The connection Secret: in the Object's namespace (namespaced flavour) or in `legacyNamespace`. */
  connectionSecret?: { name: string; legacyNamespace: string };
  /**
   * Values the provider reads from objects on the platform cluster and patches into the manifest
   * when it applies it (provider-kubernetes resolves references with its local client), so a
   * secret reaches the target cluster without passing through desired state.
   */
  references?: Array<{
    patchesFrom: { apiVersion: string; kind: string; name: string; namespace: string; fieldPath: string };
    toFieldPath: string;
  }>;
}

/** A provider-kubernetes Object wrapping `manifest`, in the group the flavour composes. */
export function kubernetesObject(flavor: Flavor, options: KubernetesObjectOptions): JsonObject {
  const spec = {
    forProvider: { manifest: options.manifest },
    providerConfigRef: providerConfigRefFor(flavor, options.providerConfig),
    readiness: {
      policy: options.readiness ?? 'SuccessfulCreate',
      ...(options.celQuery !== undefined ? { celQuery: options.celQuery } : {}),
    },
    ...(options.connectionDetails !== undefined ? { connectionDetails: options.connectionDetails } : {}),
    ...(options.references !== undefined ? { references: options.references } : {}),
    ...(options.connectionSecret !== undefined
      ? { writeConnectionSecretToRef: connectionSecretRefFor(flavor, options.connectionSecret) }
      : {}),
  };
  const metadata = { labels: options.labels };
  return flavor === 'namespaced'
    ? modelObject(NamespacedObject, { metadata, spec: spec as NamespacedObject['spec'] })
    : modelObject(LegacyObject, { metadata, spec: spec as LegacyObject['spec'] });
}

export interface ProviderConfigOptions {
  name: string;
  /** Namespace of the ProviderConfig (namespaced flavour only). */
  namespace?: string;
  labels: Record<string, string>;
  /** The Secret holding a kubeconfig for the target cluster. */
  kubeconfig: SecretKeyRef;
  /** Credentials the provider adds to the kubeconfig's (GKE: Google application credentials). */
  identity?: ProviderConfigIdentity;
}

/** `spec.identity` of a provider-helm or provider-kubernetes ProviderConfig. */
export type ProviderConfigIdentity =
  | { type: 'GoogleApplicationCredentials'; source: 'InjectedIdentity' }
  | { type: 'GoogleApplicationCredentials'; source: 'Secret'; secretRef: SecretKeyRef };

/** `spec` of a provider-helm or provider-kubernetes ProviderConfig: the kubeconfig, plus any identity. */
function providerConfigSpec(options: ProviderConfigOptions) {
  return {
    credentials: { source: 'Secret' as const, secretRef: options.kubeconfig },
    ...(options.identity !== undefined ? { identity: options.identity } : {}),
  };
}

type ProviderConfigData<Metadata> = { metadata: Metadata; spec: ReturnType<typeof providerConfigSpec> };

/** The namespaced and legacy ProviderConfig models of provider-helm or provider-kubernetes. */
type ProviderConfigModels = KindModels<
  ProviderConfigData<{ name: string; namespace: string | undefined; labels: Record<string, string> }>,
  ProviderConfigData<{ name: string; labels: Record<string, string> }>
>;

/**
 * A ProviderConfig of provider-helm or provider-kubernetes (their schemas agree on what is set here)
 * in the flavour's group, reaching a cluster through a kubeconfig Secret.
 */
export function clusterProviderConfig(
  flavor: Flavor,
  kind: ProviderConfigModels,
  options: ProviderConfigOptions,
): JsonObject {
  const spec = providerConfigSpec(options);
  return flavor === 'namespaced'
    ? modelObject(kind.namespaced, {
        metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
        spec,
      })
    : modelObject(kind.legacy, { metadata: { name: options.name, labels: options.labels }, spec });
}

/** A provider-kubernetes ProviderConfig that reaches a cluster through a kubeconfig Secret. */
export function kubernetesProviderConfig(flavor: Flavor, options: ProviderConfigOptions): JsonObject {
  return clusterProviderConfig(
    flavor,
    { namespaced: NamespacedProviderConfig, legacy: LegacyProviderConfig },
    options,
  );
}
