import type { ProviderConfigRef } from '../shared/flavor.js';
import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import type { RegistrationTarget } from './argocd-registration.js';
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
  /** How Argo CD reaches the environment, and what its registration needs. */
  argocd: RegistrationTarget;
}

/** `status.network`: what an AppStack needs to put a database next to the environment's cluster. */
export type EnvironmentNetwork =
  | { project: string; network: string }
  | { vpcId: string; subnetIds: string[]; clusterSecurityGroupId: string };
