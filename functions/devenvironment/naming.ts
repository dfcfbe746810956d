import { dnsLabel } from '../shared/names.js';
import { getString } from '../shared/objects.js';
import type { DevEnvironmentContext } from './context.js';

/** Composition-resource-names of a DevEnvironment's resources. Never rename one: that deletes it. */
export const RESOURCE = {
  namespace: 'namespace',
  resourceQuota: 'resource-quota',
  limitRange: 'limit-range',
  networkPolicy: 'network-policy',
  teamBinding: 'rolebinding-team',
  accessBinding: 'rolebinding-access',
  vcluster: 'vcluster',
  kubeconfigExportRole: 'kubeconfig-export-role',
  kubeconfigExportBinding: 'kubeconfig-export-rolebinding',
  helmProviderConfig: 'providerconfig-helm',
  kubernetesProviderConfig: 'providerconfig-kubernetes',
  vclusterAdminBinding: 'vcluster-admin-binding',
  tool: (name: string) => `tool-${name}`,
} as const;

/**
 * The environment's namespace on the host cluster. Once the Namespace exists its observed name is
 * kept, so a later change of policy (a new prefix) can never rename, and so recreate, it.
 */
export function hostNamespace(ctx: DevEnvironmentContext): string {
  const observed = getString(ctx.observed.get(RESOURCE.namespace), 'spec.forProvider.manifest.metadata.name');
  if (observed !== undefined && observed !== '') return observed;
  return dnsLabel(`${ctx.policy.hostCluster.namespacePrefix}${ctx.env.identity.key}`, 63);
}

/** Helm release name of the vcluster (at most 53 characters, starting with a letter). */
export function vclusterReleaseName(ctx: DevEnvironmentContext): string {
  const observed = getString(ctx.observed.get(RESOURCE.vcluster), [
    'metadata',
    'annotations',
    'crossplane.io/external-name',
  ]);
  if (observed !== undefined && observed !== '') return observed;
  return dnsLabel(ctx.env.identity.name, 53, true);
}

/** Name of the ProviderConfigs that reach into the environment. */
export function environmentProviderConfigName(ctx: DevEnvironmentContext): string {
  return dnsLabel(`devenv-${ctx.env.identity.key}`, 63);
}

/** Labels on every resource of the environment, for selection and cost reports. */
export function environmentLabels(ctx: DevEnvironmentContext): Record<string, string> {
  const { identity, spec } = ctx.env;
  return {
    'devplatform.io/environment': dnsLabel(identity.name, 63),
    ...(identity.namespace !== undefined
      ? { 'devplatform.io/owner-namespace': dnsLabel(identity.namespace, 63) }
      : {}),
    'devplatform.io/team': spec.team,
    'devplatform.io/type': spec.type,
  };
}

/** Labels for objects created on the environment's clusters (not the platform's managed resources). */
export function workloadLabels(ctx: DevEnvironmentContext): Record<string, string> {
  return { ...environmentLabels(ctx), 'app.kubernetes.io/managed-by': 'function-devplatform' };
}
