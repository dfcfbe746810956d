import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { InputError } from '../shared/errors.js';
import { deepMerge, type JsonObject } from '../shared/objects.js';
import type { Need, ResourceGraph } from '../shared/graph/graph.js';
import { helmRelease } from '../shared/resources/helm.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import { modelObject } from '../shared/resources/model-object.js';
import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import { violationsToErrors } from '../shared/validation.js';
import type { VclusterValues } from '../models/vcluster/values.js';
import validateVclusterValues from '../models/vcluster/validate-values.js';
import { kubernetesPlan, type DevEnvironmentContext } from './context.js';
import { minorString } from '../shared/kubernetes-version.js';
import { observedVclusterImageTag } from './observed-versions.js';
import { composeInsideCluster, type InsideCluster } from './environment-cluster.js';
import { sleepsThroughKubeGreen } from './sleep.js';
import { toolResourceNames } from './tools.js';
import { composeWorkloadSleep } from './workload-sleep.js';
import { namespaceManifest } from './host-resources.js';
import { environmentLabels, hostNamespace, RESOURCE, vclusterReleaseName, workloadLabels } from './naming.js';
import type { EnvironmentStatus } from './status.js';

/** Where the vcluster's kubeconfig lands, and how the platform reaches the vcluster's API. */
export interface VclusterEndpoint {
  releaseName: string;
  namespace: string;
  /** The in-cluster address of the vcluster API, valid from anywhere on the host cluster. */
  server: string;
  kubeconfig: SecretKeyRef;
}

export function vclusterEndpoint(ctx: DevEnvironmentContext): VclusterEndpoint {
  const releaseName = vclusterReleaseName(ctx);
  const namespace = hostNamespace(ctx);
  const server = `https://${releaseName}.${namespace}.svc`;
  const { flavor, xrNamespace } = ctx.env.identity;
  // Namespaced ProviderConfigs read Secrets only from their own namespace (the XR's), so the
  // vcluster exports a second copy of its kubeconfig there. Legacy ProviderConfigs are
  // cluster-scoped and read the vcluster's own Secret, vc-<release>.
  const kubeconfig: SecretKeyRef =
    flavor === 'namespaced' && xrNamespace !== undefined
      ? { name: `${releaseName}-kubeconfig`, namespace: xrNamespace, key: 'config' }
      : { name: `vc-${releaseName}`, namespace, key: 'config' };
  return { releaseName, namespace, server, kubeconfig };
}

/**
 * The control plane image: the one it runs while its minor stays (a later policy tag never moves it),
 * else the policy's image for the minor the version plan asks for.
 */
function vclusterImageTag(ctx: DevEnvironmentContext): string {
  const minor = kubernetesPlan(ctx).controlPlane;
  const running = observedVclusterImageTag(ctx.observed);
  if (running !== undefined && minorString(running) === minor) return running;
  return ctx.policy.environments.vcluster.kubernetesVersions[minor] ?? '';
}

/** The chart values: the platform's extra values under the ones the environment needs. */
export function vclusterValues(ctx: DevEnvironmentContext, endpoint: VclusterEndpoint): VclusterValues {
  const vc = ctx.policy.environments.vcluster;
  const size = vc.sizes[ctx.env.spec.size];
  const tag = vclusterImageTag(ctx);
  const host = `${endpoint.releaseName}.${endpoint.namespace}.svc`;
  const exportsElsewhere = endpoint.kubeconfig.namespace !== endpoint.namespace;
  const computed: VclusterValues = {
    controlPlane: {
      distro: { k8s: { enabled: true, image: { tag } } },
      proxy: { extraSANs: [host] },
    },
    exportKubeConfig: {
      server: endpoint.server,
      ...(exportsElsewhere
        ? {
            additionalSecrets: [
              {
                name: endpoint.kubeconfig.name,
                namespace: endpoint.kubeconfig.namespace,
                server: endpoint.server,
              },
            ],
          }
        : {}),
    },
    policies: {
      resourceQuota: { enabled: true, quota: size.quota },
      limitRange: { enabled: true, ...size.limitRange },
      networkPolicy: { enabled: true },
    },
  };
  const values = deepMerge(vc.values, computed as JsonObject);
  if (!validateVclusterValues(values)) {
    throw violationsToErrors(
      `vcluster chart ${vc.chart.version} values (input.environments.vcluster.values merged with the computed ones)`,
      validateVclusterValues.errors ?? [],
    );
  }
  return values as VclusterValues;
}

/** Lets the vcluster write its kubeconfig into the XR's namespace on the host (platform) cluster. */
function kubeconfigExportRbac(
  ctx: DevEnvironmentContext,
  endpoint: VclusterEndpoint,
): { role: JsonObject; binding: JsonObject } {
  const name = `${endpoint.releaseName}-${endpoint.namespace}-kubeconfig`.slice(0, 253);
  const metadata = { name, namespace: endpoint.kubeconfig.namespace, labels: workloadLabels(ctx) };
  return {
    role: modelObject(Role, {
      metadata,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'update', 'patch'] }],
    }),
    binding: modelObject(RoleBinding, {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [
        { kind: 'ServiceAccount', name: `vc-${endpoint.releaseName}`, namespace: endpoint.namespace },
      ],
    }),
  };
}

/** A provider-kubernetes Object on the host cluster. */
function hostObject(
  ctx: DevEnvironmentContext,
  manifest: JsonObject,
  readiness?: 'DeriveFromObject',
): JsonObject {
  return kubernetesObject(ctx.env.identity.flavor, {
    manifest,
    providerConfig: ctx.policy.hostCluster.kubernetesProviderConfig,
    labels: environmentLabels(ctx),
    ...(readiness ? { readiness } : {}),
  });
}

/** On the host: the namespace, the kubeconfig export permission, then the vcluster Release in it. */
function composeVclusterHost(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  endpoint: VclusterEndpoint,
): void {
  graph.add({
    name: RESOURCE.namespace,
    what: `namespace ${endpoint.namespace}`,
    body: hostObject(ctx, namespaceManifest(ctx, endpoint.namespace), 'DeriveFromObject'),
  });
  if (endpoint.kubeconfig.namespace !== endpoint.namespace) {
    const rbac = kubeconfigExportRbac(ctx, endpoint);
    const needs: Need[] = [
      {
        on: RESOURCE.namespace,
        for: "the vcluster's service account it names",
        anyDeletionOrder: RBAC_ANY_ORDER,
      },
    ];
    const what = `the vcluster's permission to export its kubeconfig`;
    graph.add({ name: RESOURCE.kubeconfigExportRole, what, needs, body: hostObject(ctx, rbac.role) });
    graph.add({ name: RESOURCE.kubeconfigExportBinding, what, needs, body: hostObject(ctx, rbac.binding) });
  }
  graph.add({
    name: RESOURCE.vcluster,
    what: `vcluster ${endpoint.releaseName}`,
    needs: [{ on: RESOURCE.namespace, for: 'the namespace it runs in' }],
    body: helmRelease(ctx.env.identity.flavor, {
      releaseName: endpoint.releaseName,
      chart: ctx.policy.environments.vcluster.chart,
      namespace: endpoint.namespace,
      values: vclusterValues(ctx, endpoint) as JsonObject,
      providerConfig: ctx.policy.hostCluster.helmProviderConfig,
      labels: environmentLabels(ctx),
    }),
  });
}

/**
 * A `vcluster` environment, in three stages gated on observed readiness:
 * 1. the host Namespace, then the vcluster Release in it (values validated against the chart schema);
 * 2. once the Release is ready, helm and kubernetes ProviderConfigs that reach into the vcluster;
 * 3. once those exist, the admin binding for the team and the tools, each after its dependencies.
 */
export function composeVclusterEnvironment(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
): EnvironmentStatus {
  if (!ctx.policy.hostCluster.isPlatformCluster) {
    throw new InputError(
      'input.hostCluster.isPlatformCluster',
      'vcluster environments need the host cluster to be the platform cluster, so the platform can read the vcluster kubeconfig; set it to true or offer vcluster elsewhere',
    );
  }
  const endpoint = vclusterEndpoint(ctx);
  composeVclusterHost(ctx, graph, endpoint);

  // Stage 2 and 3: ProviderConfigs into the vcluster once it serves, then what goes inside.
  const serving: Need[] = [{ on: RESOURCE.vcluster, for: 'its API and kubeconfig' }];
  const inside = composeInsideCluster(ctx, graph, {
    kubeconfig: endpoint.kubeconfig,
    serving,
    label: `vcluster ${endpoint.releaseName}`,
  });
  composeVclusterSleep(ctx, graph, inside.kubernetesProviderConfig);
  return {
    namespace: endpoint.namespace,
    server: endpoint.server,
    kubeconfigSecretRef: endpoint.kubeconfig,
    tools: inside.tools,
    kubernetesProviderConfig: inside.kubernetesProviderConfig,
    argocd: {
      needs: serving,
      access: { kind: 'kubeconfig', server: endpoint.server, kubeconfig: endpoint.kubeconfig },
    },
  };
}

/**
 * The vcluster's workloads sleep through kube-green inside it: a SleepInfo in its default namespace
 * here, and one in each app's namespace from its AppStack. Not the tools' namespaces: operators such
 * as CloudNativePG must run to hibernate what they manage.
 */
function composeVclusterSleep(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  providerConfig: InsideCluster['kubernetesProviderConfig'],
): void {
  const toolName = ctx.policy.lifecycle.kubeGreen.tool;
  const tool = ctx.policy.tools[toolName];
  if (!sleepsThroughKubeGreen(ctx) || tool === undefined) return;
  const needs: Need[] = [
    { on: RESOURCE.kubernetesProviderConfig, for: 'a way into the cluster' },
    ...toolResourceNames(toolName, tool).map((on) => ({
      on,
      for: 'kube-green, which carries out the sleep',
    })),
  ];
  composeWorkloadSleep(ctx, graph, { namespace: 'default', providerConfig, needs });
}

/** The export permission only matters while the vcluster runs; nothing breaks if it goes first. */
const RBAC_ANY_ORDER = 'a Role and RoleBinding delete in any order';
