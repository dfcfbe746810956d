import { ProviderConfig as LegacyProviderConfig } from '../../models/crds/helm.crossplane.io/v1beta1/ProviderConfig.js';
import { Release as LegacyRelease } from '../../models/crds/helm.crossplane.io/v1beta1/Release.js';
import { ProviderConfig as NamespacedProviderConfig } from '../../models/crds/helm.m.crossplane.io/v1beta1/ProviderConfig.js';
import { Release as NamespacedRelease } from '../../models/crds/helm.m.crossplane.io/v1beta1/Release.js';
import type { Flavor, ProviderConfigRef } from '../flavor.js';
import type { JsonObject } from '../objects.js';
import { clusterProviderConfig, type ProviderConfigOptions } from './kubernetes.js';
import { modelObject } from './model-object.js';
import { providerConfigRefFor } from './provider-config-ref.js';

export interface Chart {
  repository: string;
  name: string;
  version: string;
}

export interface HelmReleaseOptions {
  /** The Helm release name (the managed resource's external name). */
  releaseName: string;
  chart: Chart;
  /** Namespace on the target cluster the chart is installed into. */
  namespace: string;
  values: JsonObject;
  providerConfig: ProviderConfigRef;
  labels: Record<string, string>;
  /** Whether to wait for the chart's workloads to be ready before the Release reports Ready. */
  wait?: boolean;
}

/** A provider-helm Release, in the group the flavour composes. */
export function helmRelease(flavor: Flavor, options: HelmReleaseOptions): JsonObject {
  const metadata = {
    labels: options.labels,
    annotations: { 'crossplane.io/external-name': options.releaseName },
  };
  const spec = {
    forProvider: {
      chart: { ...options.chart },
      namespace: options.namespace,
      values: options.values,
      wait: options.wait ?? true,
      waitTimeout: '10m',
    },
    providerConfigRef: providerConfigRefFor(flavor, options.providerConfig),
    rollbackLimit: 3,
  };
  return flavor === 'namespaced'
    ? modelObject(NamespacedRelease, { metadata, spec: spec as NamespacedRelease['spec'] })
    : modelObject(LegacyRelease, { metadata, spec: spec as LegacyRelease['spec'] });
}

/** A provider-helm ProviderConfig that reaches a cluster through a kubeconfig Secret. */
export function helmProviderConfig(flavor: Flavor, options: ProviderConfigOptions): JsonObject {
  return clusterProviderConfig(
    flavor,
    { namespaced: NamespacedProviderConfig, legacy: LegacyProviderConfig },
    options,
  );
}
