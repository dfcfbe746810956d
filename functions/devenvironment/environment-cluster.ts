import type { ProviderConfigRef } from '../shared/flavor.js';
import type { Need, ResourceGraph } from '../shared/graph/graph.js';
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
  /** What the ProviderConfigs need: the cluster serving, with nodes, and its kubeconfig Secret. */
  serving: Need[];
  /** What the cluster is, for status messages (e.g. "GKE cluster devenv-a"). */
  label: string;
}

/** Providers keep a ProviderConfig while anything uses it (ProviderConfigUsage): no Usage needed. */
const KEPT_WHILE_USED = 'providers keep a ProviderConfig while a resource uses it';

export interface InsideCluster {
  tools: ToolStatus[];
  /** The kubernetes ProviderConfig that reaches into the cluster. */
  kubernetesProviderConfig: ProviderConfigRef;
}

/**
 * What every environment with its own cluster gets once that cluster serves: helm and kubernetes
 * ProviderConfigs built from its kubeconfig Secret, then the team's admin binding and the tools.
 */
export function composeInsideCluster(
  ctx: DevEnvironmentContext,
  graph: ResourceGraph,
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
  graph.add({
    name: RESOURCE.helmProviderConfig,
    what: `the platform's Helm access to the ${cluster.label}`,
    needs: cluster.serving,
    keptByProvider: KEPT_WHILE_USED,
    body: helmProviderConfig(flavor, pcOptions),
  });
  graph.add({
    name: RESOURCE.kubernetesProviderConfig,
    what: `the platform's Kubernetes access to the ${cluster.label}`,
    needs: cluster.serving,
    keptByProvider: KEPT_WHILE_USED,
    body: kubernetesProviderConfig(flavor, pcOptions),
  });

  const inside: Need[] = [
    { on: RESOURCE.helmProviderConfig, for: 'a way into the cluster' },
    { on: RESOURCE.kubernetesProviderConfig, for: 'a way into the cluster' },
  ];
  const pcRef: ProviderConfigRef = { kind: 'ProviderConfig', name: pcName };
  graph.add({
    name: RESOURCE.clusterAdminBinding,
    what: "the team's cluster-admin binding",
    needs: inside,
    body: kubernetesObject(flavor, {
      manifest: clusterRoleBindingManifest(ctx, 'devenvironment-admins', 'cluster-admin', [
        ...teamSubjects(ctx),
        ...accessSubjects(ctx),
      ]),
      providerConfig: pcRef,
      labels,
    }),
  });
  const tools = composeTools(ctx, graph, {
    helmProviderConfig: pcRef,
    kubernetesProviderConfig: pcRef,
    needs: inside,
  });
  return { tools, kubernetesProviderConfig: pcRef };
}
