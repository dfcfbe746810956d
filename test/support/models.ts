import { Object as LegacyObject } from '../../functions/models/crds/kubernetes.crossplane.io/v1alpha2/Object.js';
import { ProviderConfig as LegacyK8sPC } from '../../functions/models/crds/kubernetes.crossplane.io/v1alpha1/ProviderConfig.js';
import { Object as MObject } from '../../functions/models/crds/kubernetes.m.crossplane.io/v1alpha1/Object.js';
import { ProviderConfig as MK8sPC } from '../../functions/models/crds/kubernetes.m.crossplane.io/v1alpha1/ProviderConfig.js';
import { ProviderConfig as LegacyHelmPC } from '../../functions/models/crds/helm.crossplane.io/v1beta1/ProviderConfig.js';
import { Release as LegacyRelease } from '../../functions/models/crds/helm.crossplane.io/v1beta1/Release.js';
import { ProviderConfig as MHelmPC } from '../../functions/models/crds/helm.m.crossplane.io/v1beta1/ProviderConfig.js';
import { Release as MRelease } from '../../functions/models/crds/helm.m.crossplane.io/v1beta1/Release.js';
import type { JsonObject } from '../../functions/shared/objects.js';

type Validating = new (data: never) => { validate(): void };
const MODELS: Record<string, Validating> = {
  'kubernetes.crossplane.io/v1alpha2/Object': LegacyObject,
  'kubernetes.crossplane.io/v1alpha1/ProviderConfig': LegacyK8sPC,
  'kubernetes.m.crossplane.io/v1alpha1/Object': MObject,
  'kubernetes.m.crossplane.io/v1alpha1/ProviderConfig': MK8sPC,
  'helm.crossplane.io/v1beta1/ProviderConfig': LegacyHelmPC,
  'helm.crossplane.io/v1beta1/Release': LegacyRelease,
  'helm.m.crossplane.io/v1beta1/ProviderConfig': MHelmPC,
  'helm.m.crossplane.io/v1beta1/Release': MRelease,
};

/** Validates a composed resource against the model generated from its upstream CRD. */
export function validateComposed(body: JsonObject): void {
  const Model = MODELS[`${String(body.apiVersion)}/${String(body.kind)}`];
  if (Model === undefined)
    throw new Error(`no generated model for ${String(body.apiVersion)} ${String(body.kind)}`);
  new Model(body as never).validate();
}
