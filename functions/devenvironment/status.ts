import type { SecretKeyRef } from '../shared/resources/provider-config-ref.js';
import type { ToolStatus } from './tools.js';

/** What a type-specific composer reports about its environment. */
export interface EnvironmentStatus {
  namespace: string;
  server?: string;
  kubeconfigSecretRef?: SecretKeyRef;
  tools: ToolStatus[];
}
