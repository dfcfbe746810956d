import type { ProviderConfigRef } from '../shared/flavor.js';
import type { Gate, Plan } from '../shared/plan.js';
import { helmProviderConfig } from '../shared/resources/helm.js';
import {
  kubernetesObject,
  kubernetesProviderConfig,
  type ProviderConfigIdentity,
} from '../shared/resources/kubernetes.js';
import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import type { DevEnvironmentContext } from './context.js';
import { accessSubjects, clusterRoleBindingManifest, teamSubjects } from './host-resources.js';
import { environmentLabels, environmentProviderConfigName, RESOURCE } from './naming.js';
import { composeTools, type ToolStatus } from './tools.js';

/** An environment with a Kubernetes API of its own (vcluster, gke, eks), as the platform reaches it. */
export interface EnvironmentCluster {
  /** The Secret on the platform cluster holding the environment's kubeconfig. */
  kubeconfig: SecretKeyRef;
  /** Credentials the providers add to the kubeconfig's, if it carries none that last. */
  identity?: ProviderConfigIdentity;
  /** Open once the cluster serves and its kubeconfig Secret exists. */
  serving: Gate;
  /** What the cluster is, for status messages (e.g. "GKE cluster"). */
  label: string;
}

export interface InsideCluster {
  tools: ToolStatus[];
  /** The kubernetes ProviderConfig that reaches into the cluster. */
  kubernetesProviderConfig: ProviderConfigRef;
  /** Names of the composed resources that live inside the environment's cluster. */
  inside: string[];
}

/**
 * What every environment with its own cluster gets once that cluster serves: helm and kubernetes
 * ProviderConfigs built from its kubeconfig Secret, then the team's admin binding and the tools.
 */
export function composeInsideCluster(
  ctx: DevEnvironmentContext,
  plan: Plan,
  cluster: EnvironmentCluster,
): InsideCluster {
  const { flavor, xrNamespace } = ctx.env.identity;
  const labels = environmentLabels(ctx);
  const pcName = environmentProviderConfigName(ctx);
  const pcOptions = {
    name: pcName,
    ...(flavor === 'namespaced' && xrNamespace !== undefined ? { namespace: xrNamespace } : {}),
    labels,
    kubeconfig: cluster.kubeconfig,
    ...(cluster.identity !== undefined ? { identity: cluster.identity } : {}),
  };
  plan.addWhen(cluster.serving, {
    name: RESOURCE.helmProviderConfig,
    body: helmProviderConfig(flavor, pcOptions),
  });
  plan.addWhen(cluster.serving, {
    name: RESOURCE.kubernetesProviderConfig,
    body: kubernetesProviderConfig(flavor, pcOptions),
  });

  const inside = plan.gate([
    { name: RESOURCE.helmProviderConfig, label: `helm ProviderConfig of the ${cluster.label}` },
    { name: RESOURCE.kubernetesProviderConfig, label: `kubernetes ProviderConfig of the ${cluster.label}` },
  ]);
  const pcRef: ProviderConfigRef = { kind: 'ProviderConfig', name: pcName };
  plan.addWhen(inside, {
    name: RESOURCE.clusterAdminBinding,
    body: kubernetesObject(flavor, {
      manifest: clusterRoleBindingManifest(ctx, 'devenvironment-admins', 'cluster-admin', [
        ...teamSubjects(ctx),
        ...accessSubjects(ctx),
      ]),
      providerConfig: pcRef,
      labels,
    }),
  });
  const before = new Set(plan.list().map((r) => r.name));
  const tools = composeTools(ctx, plan, {
    helmProviderConfig: pcRef,
    kubernetesProviderConfig: pcRef,
    gate: inside,
  });
  const toolKeys = plan
    .list()
    .map((r) => r.name)
    .filter((name) => !before.has(name));
  return {
    tools,
    kubernetesProviderConfig: pcRef,
    inside: [RESOURCE.clusterAdminBinding, ...toolKeys].filter((n) => plan.has(n)),
  };
}
