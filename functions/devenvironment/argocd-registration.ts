import { Cluster as ArgocdCluster } from '../models/crds/cluster.argocd.crossplane.io/v1alpha1/Cluster.js';
import { AppProject } from '../models/crds/argoproj.io/v1alpha1/AppProject.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import type { Gate, Plan } from '../shared/plan.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import { plainObject } from '../shared/resources/plain-object.js';
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

/**
 * The Argo CD target of a cloud cluster: open once the cluster (composed as `cluster`) is ready and
 * has reported the public endpoint and CA that the registration carries.
 */
export function cloudRegistrationTarget(
  plan: Plan,
  cluster: { name: string; label: string },
  access: ArgocdClusterAccess | undefined,
): { gate: Gate; access?: ArgocdClusterAccess } {
  const ready = plan.gate([cluster]);
  if (access !== undefined) return { gate: ready, access };
  const reported = { name: cluster.name, text: `${cluster.label} (endpoint and CA not reported yet)` };
  return { gate: { open: false, blockers: ready.open ? [reported] : ready.blockers } };
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
  plan: Plan,
  target: { gate: Gate; access?: ArgocdClusterAccess; namespace?: string },
): Registration | undefined {
  const argocd = ctx.policy.argocd;
  if (!argocd.enabled) return undefined;
  const { flavor } = ctx.env.identity;
  const labels = environmentLabels(ctx);
  const clusterName = target.access !== undefined ? argocdClusterName(ctx) : argocd.hostClusterName;
  const projectName = argocdProjectName(ctx);

  let projectGate = target.gate;
  if (target.access !== undefined) {
    const cluster = plainObject(
      new ArgocdCluster({
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
      }),
    );
    plan.addWhen(target.gate, {
      name: RESOURCE.argocdCluster,
      body:
        flavor === 'legacy'
          ? { ...cluster, metadata: { labels } }
          : kubernetesObject(flavor, {
              manifest: cluster,
              providerConfig: argocd.kubernetesProviderConfig,
              labels,
              readiness: 'DeriveFromObject',
            }),
    });
    projectGate = plan.gate([{ name: RESOURCE.argocdCluster, label: `Argo CD cluster ${clusterName}` }]);
  }

  const project = plainObject(
    new AppProject({
      metadata: { name: projectName, namespace: argocd.namespace, labels: registrationLabels(ctx) },
      spec: {
        description: `DevEnvironment ${ctx.env.identity.key} of team ${ctx.env.spec.team}`,
        sourceRepos: argocd.sourceRepos,
        destinations: [{ name: clusterName, namespace: target.namespace ?? '*' }],
        clusterResourceWhitelist: target.namespace !== undefined ? [] : [{ group: '*', kind: '*' }],
        namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    }),
  );
  plan.addWhen(projectGate, {
    name: RESOURCE.argocdProject,
    body: kubernetesObject(flavor, {
      manifest: project,
      providerConfig: argocd.kubernetesProviderConfig,
      labels,
    }),
  });
  // An environment with a cluster of its own is known to Argo CD by that cluster's name once its
  // endpoint is; until then there is nothing to report (not the host cluster's name).
  if (ctx.env.spec.type !== 'namespace' && target.access === undefined) return undefined;
  return { argocdClusterName: clusterName, argocdProject: projectName };
}
