import { Cluster as ArgocdCluster } from '../models/crds/cluster.argocd.crossplane.io/v1alpha1/Cluster.js';
import { AppProject } from '../models/crds/argoproj.io/v1alpha1/AppProject.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import type { Need, ResourceGraph } from '../shared/graph/graph.js';
import { desirableCopy } from '../shared/retain.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import { modelObject } from '../shared/resources/model-object.js';
import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import type { DevEnvironmentContext } from './context.js';
import { environmentLabels, RESOURCE } from './naming.js';

/** How Argo CD reaches an environment with its own cluster. Credentials are only ever referenced. */
export type ArgocdClusterAccess =
  /** A vcluster: its kubeconfig Secret (client certificate), read by provider-argocd. */
  | { kind: 'kubeconfig'; server: string; kubeconfig: SecretKeyRef }
  /** GKE: Argo CD's own Google identity through the argocd-k8s-auth exec plugin. */
  | { kind: 'gke'; server: string; caData: string }
  /** EKS: Argo CD's own AWS identity, optionally assuming a role. */
  | { kind: 'eks'; server: string; caData: string; clusterName: string };

/** How Argo CD reaches the environment, and what its registration needs first. */
export interface RegistrationTarget {
  needs: Need[];
  access?: ArgocdClusterAccess;
  /** For namespace environments: the namespace Argo CD may deploy into. */
  namespace?: string;
}

/**
 * The Argo CD target of a cloud cluster (composed as `cluster`): registered once the cluster is
 * ready and has reported the public endpoint and CA that the registration carries.
 */
export function cloudRegistrationTarget(
  cluster: string,
  access: ArgocdClusterAccess | undefined,
): RegistrationTarget {
  const reported = (): string | undefined =>
    access === undefined ? 'endpoint and CA not reported yet' : undefined;
  return {
    needs: [{ on: cluster, for: 'the endpoint and CA it registers', until: reported }],
    ...(access !== undefined ? { access } : {}),
  };
}

export interface Registration {
  argocdClusterName: string;
  argocdProject: string;
}

/** Argo CD's name for the environment's own cluster. */
export function argocdClusterName(ctx: DevEnvironmentContext): string {
  return dnsLabel(`devenv-${ctx.env.identity.key}`, 63);
}

export function argocdProjectName(ctx: DevEnvironmentContext): string {
  return dnsLabel(`devenv-${ctx.env.identity.key}`, 63);
}

function clusterConfig(ctx: DevEnvironmentContext, access: ArgocdClusterAccess): JsonObject {
  switch (access.kind) {
    case 'kubeconfig':
      return { kubeconfigSecretRef: access.kubeconfig };
    case 'gke':
      return {
        execProviderConfig: {
          command: ctx.policy.argocd.gkeExecCommand,
          args: ['gcp'],
          apiVersion: 'client.authentication.k8s.io/v1beta1',
        },
        tlsClientConfig: { caData: access.caData, insecure: false },
      };
    case 'eks':
      return {
        awsAuthConfig: {
          clusterName: access.clusterName,
          ...(ctx.policy.argocd.eksRoleArn !== '' ? { roleARN: ctx.policy.argocd.eksRoleArn } : {}),
        },
        tlsClientConfig: { caData: access.caData, insecure: false },
      };
  }
}

/** Labels on the Argo CD cluster Secret, for ApplicationSet cluster generators. */
function registrationLabels(ctx: DevEnvironmentContext): Record<string, string> {
  return { ...environmentLabels(ctx), 'devplatform.io/environment-key': dnsLabel(ctx.env.identity.key, 63) };
}

/**
 * Registers the environment with the platform's Argo CD so AppStacks can deploy into it:
 * - environments with their own cluster become an Argo CD cluster through provider-argocd (a
 *   Cluster MR for legacy XRs; for namespaced XRs the same Cluster wrapped in a provider-kubernetes
 *   Object on the platform cluster, since provider-argocd has no namespaced kinds);
 * - namespace environments cannot be clusters of their own (Argo CD keys clusters by server URL,
 *   argo-cd#15027), so they deploy to the host cluster's existing registration;
 * - every environment gets an AppProject confining deployments to it.
 */
export function composeArgocdRegistration(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  target: RegistrationTarget,
): Registration | undefined {
  const argocd = ctx.policy.argocd;
  if (!argocd.enabled) return undefined;
  const clusterName = ctx.env.spec.type !== 'namespace' ? argocdClusterName(ctx) : argocd.hostClusterName;
  const projectNeeds =
    ctx.env.spec.type !== 'namespace'
      ? [{ on: RESOURCE.argocdCluster, for: 'the cluster it deploys to', anyDeletionOrder: ANY_ORDER }]
      : target.needs;
  if (ctx.env.spec.type !== 'namespace') composeArgocdCluster(ctx, graph, target, clusterName);
  composeAppProject(ctx, graph, target, clusterName, projectNeeds);
  // An environment with a cluster of its own is known to Argo CD by that cluster's name once its
  // endpoint is; until then there is nothing to report (not the host cluster's name).
  if (ctx.env.spec.type !== 'namespace' && target.access === undefined) return undefined;
  return { argocdClusterName: clusterName, argocdProject: argocdProjectName(ctx) };
}

/** An AppProject names its destination cluster only: either may go first. */
const ANY_ORDER = 'an AppProject only names the cluster it deploys to';

/**
 * The environment's own cluster in Argo CD, through provider-argocd: a Cluster MR for legacy XRs;
 * for namespaced XRs the same Cluster wrapped in a provider-kubernetes Object on the platform
 * cluster, since provider-argocd has no namespaced kinds. Until the cluster reports its endpoint
 * the registration cannot be written; one that exists is then kept as it is.
 */
function composeArgocdCluster(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  target: RegistrationTarget,
  clusterName: string,
): void {
  const argocd = ctx.policy.argocd;
  const { flavor } = ctx.env.identity;
  const labels = environmentLabels(ctx);
  const observed = graph.observedResource(RESOURCE.argocdCluster);
  let body: JsonObject | undefined = observed !== undefined ? desirableCopy(observed) : undefined;
  if (target.access !== undefined) {
    const cluster = modelObject(ArgocdCluster, {
      metadata: { name: clusterName, labels },
      spec: {
        forProvider: {
          name: clusterName,
          server: target.access.server,
          labels: registrationLabels(ctx),
          config: clusterConfig(ctx, target.access),
        },
        providerConfigRef: { name: argocd.providerConfig },
      },
    });
    body =
      flavor === 'legacy'
        ? { ...cluster, metadata: { labels } }
        : kubernetesObject(flavor, {
            manifest: cluster,
            providerConfig: argocd.kubernetesProviderConfig,
            labels,
            readiness: 'DeriveFromObject',
          });
  }
  graph.add({
    name: RESOURCE.argocdCluster,
    what: `Argo CD cluster ${clusterName}`,
    needs: target.needs,
    body: body ?? {},
  });
}

/** The AppProject confining the environment's deployments to it. */
function composeAppProject(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
  target: RegistrationTarget,
  clusterName: string,
  needs: Need[],
): void {
  const argocd = ctx.policy.argocd;
  const projectName = argocdProjectName(ctx);
  const project = modelObject(AppProject, {
    metadata: { name: projectName, namespace: argocd.namespace, labels: registrationLabels(ctx) },
    spec: {
      description: `DevEnvironment ${ctx.env.identity.key} of team ${ctx.env.spec.team}`,
      sourceRepos: argocd.sourceRepos,
      destinations: [{ name: clusterName, namespace: target.namespace ?? '*' }],
      clusterResourceWhitelist: target.namespace !== undefined ? [] : [{ group: '*', kind: '*' }],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  graph.add({
    name: RESOURCE.argocdProject,
    what: `Argo CD project ${projectName}`,
    needs,
    body: kubernetesObject(ctx.env.identity.flavor, {
      manifest: project,
      providerConfig: argocd.kubernetesProviderConfig,
      labels: environmentLabels(ctx),
    }),
  });
}
