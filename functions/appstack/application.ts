import { Application } from '../models/crds/argoproj.io/v1alpha1/Application.js';
import { InputError } from '../shared/errors.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import { modelObject } from '../shared/resources/model-object.js';
import type { TargetEnvironment } from './environment.js';
import type { ParsedAppStack } from './spec.js';

/** Argo CD reports an Application ready when it is synced and healthy. */
const APPLICATION_READY =
  "has(object.status) && has(object.status.sync) && object.status.sync.status == 'Synced' && has(object.status.health) && object.status.health.status == 'Healthy'";

/**
 * Where the app runs in the environment: a namespace environment's own namespace (spec.namespace
 * may only repeat it), else spec.namespace or the AppStack's name.
 */
export function appNamespace(app: ParsedAppStack, environment: TargetEnvironment): string {
  const wanted = app.spec.namespace;
  if (environment.type === 'namespace' && environment.namespace !== undefined) {
    if (wanted !== undefined && wanted !== environment.namespace) {
      throw new InputError(
        'spec.namespace',
        `DevEnvironment ${environment.name} is a namespace environment: apps go into its namespace "${environment.namespace}"; leave spec.namespace out or set it to that`,
      );
    }
    return environment.namespace;
  }
  return wanted ?? dnsLabel(app.identity.name, 63);
}

/**
 * Whether kube-green scales the app's workloads while the environment sleeps (namespace and vcluster
 * environments that sleep): then Argo CD must not fight it.
 */
function sleepsByKubeGreen(environment: TargetEnvironment): boolean {
  return (
    environment.sleep !== undefined && (environment.type === 'namespace' || environment.type === 'vcluster')
  );
}

/**
 * The replicas kube-green sets to zero and back: ignored in the diff, so self-heal does not scale a
 * sleeping app up again, and kept by a sync (RespectIgnoreDifferences), so a commit landing while it
 * sleeps does not either. The price: while the environment has spec.sleep, a replica count changed in
 * Git is not applied by a sync (an HPA, or a change by hand, still is).
 */
const SLEEP_SCALED = ['Deployment', 'StatefulSet'].map((kind) => ({
  group: 'apps',
  kind,
  jsonPointers: ['/spec/replicas'],
}));

/**
 * The Argo CD Application, in the platform's Argo CD namespace, wrapped in a provider-kubernetes
 * Object on the platform cluster: it deploys the app's source into the environment's registered
 * cluster, within the environment's AppProject, creating the namespace, and its finalizer makes
 * deleting the AppStack remove what Argo CD deployed.
 */
export function applicationObject(
  app: ParsedAppStack,
  environment: TargetEnvironment,
  policy: ResolvedPolicy,
  name: string,
  labels: Record<string, string>,
): JsonObject {
  const { source, sync } = app.spec;
  const manifest = modelObject(Application, {
    metadata: {
      name,
      namespace: policy.argocd.namespace,
      labels,
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: environment.argocdProject,
      source: {
        repoURL: source.repoURL,
        targetRevision: source.targetRevision,
        ...(source.path !== undefined ? { path: source.path } : {}),
        ...(source.helmValues !== undefined ? { helm: { valuesObject: source.helmValues } } : {}),
      },
      destination: { name: environment.argocdClusterName, namespace: appNamespace(app, environment) },
      ...(sleepsByKubeGreen(environment) ? { ignoreDifferences: SLEEP_SCALED } : {}),
      syncPolicy: {
        ...(sync.automated ? { automated: { prune: sync.prune, selfHeal: sync.selfHeal } } : {}),
        syncOptions: sleepsByKubeGreen(environment)
          ? ['CreateNamespace=true', 'RespectIgnoreDifferences=true']
          : ['CreateNamespace=true'],
      },
    },
  });
  return kubernetesObject(app.identity.flavor, {
    manifest,
    providerConfig: policy.argocd.kubernetesProviderConfig,
    labels,
    readiness: 'DeriveFromCelQuery',
    celQuery: APPLICATION_READY,
  });
}
