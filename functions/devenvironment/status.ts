import type { ProviderConfigRef } from '../shared/flavor.js';
import type { Gate } from '../shared/plan.js';
import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import type { ArgocdClusterAccess } from './argocd-registration.js';
import type { Dependency } from './teardown.js';
import type { ToolStatus } from './tools.js';

/** What a type-specific composer reports about its environment. */
export interface EnvironmentStatus {
  /** The environment's namespace on its host cluster (namespace and vcluster environments). */
  namespace?: string;
  server?: string;
  kubeconfigSecretRef?: SecretKeyRef;
  tools: ToolStatus[];
  region?: string;
  /** The provider-kubernetes ProviderConfig that reaches into the environment (AppStacks use it). */
  kubernetesProviderConfig?: ProviderConfigRef;
  /** Where the cluster lives, for cloud databases beside it (gke and eks environments). */
  network?: EnvironmentNetwork;
  /** How Argo CD reaches the environment, once `gate` opens. */
  argocd: { gate: Gate; access?: ArgocdClusterAccess; namespace?: string };
  /** Deletion order among the composed resources; the Argo CD registration uses `cluster`. */
  teardown: Dependency[];
  /** The composed resource the environment's API lives in (the vcluster Release, the cluster MR). */
  cluster?: string;
}

/** `status.network`: what an AppStack needs to put a database next to the environment's cluster. */
export type EnvironmentNetwork =
  | { project: string; network: string }
  | { vpcId: string; subnetIds: string[]; clusterSecurityGroupId: string };
