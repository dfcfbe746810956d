import { Policy, type IPolicy } from '../../models/apis/devplatform.fn.crossplane.io/v1alpha1/Policy.js';
import { InputError } from '../errors.js';
import type { ProviderConfigRef } from '../flavor.js';
import { isObject, type JsonObject } from '../objects.js';
import { validateModel } from '../validation.js';
import { DEFAULT_POLICY } from './defaults.js';

type Environments = NonNullable<IPolicy['environments']>;
type NamespaceEnvironmentInput = NonNullable<Environments['namespace']>;
type VclusterEnvironmentInput = NonNullable<Environments['vcluster']>;
type SizesInput = NonNullable<NamespaceEnvironmentInput['sizes']>;
type SizeInput = NonNullable<SizesInput['small']>;
type ToolInput = NonNullable<IPolicy['tools']>[string];

export const SIZES = ['small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];

/** Quotas and default container resources of one size. */
export interface SizePolicy {
  quota: NonNullable<SizeInput['quota']>;
  limitRange: NonNullable<SizeInput['limitRange']>;
}

export interface NamespaceEnvironmentPolicy {
  defaultTools: string[];
  networkPolicy: boolean;
  sizes: Record<Size, SizePolicy>;
}

export interface VclusterEnvironmentPolicy {
  chart: NonNullable<VclusterEnvironmentInput['chart']>;
  defaultKubernetesVersion: string;
  kubernetesVersions: Record<string, string>;
  defaultTools: string[];
  values: JsonObject;
  sizes: Record<Size, SizePolicy>;
}

/** A tool catalogue entry with every field filled in. */
export interface ToolPolicy {
  chart: ToolInput['chart'];
  namespace: string;
  scope: 'Cluster' | 'Namespaced';
  dependsOn: string[];
  values: JsonObject;
}

/** The platform policy with every default applied: what composers read. */
export interface ResolvedPolicy {
  hostCluster: {
    kubernetesProviderConfig: ProviderConfigRef;
    helmProviderConfig: ProviderConfigRef;
    namespacePrefix: string;
    isPlatformCluster: boolean;
  };
  rbac: { adminClusterRole: string; teamGroupPrefix: string };
  environments: { namespace: NamespaceEnvironmentPolicy; vcluster: VclusterEnvironmentPolicy };
  tools: Record<string, ToolPolicy>;
}

export const POLICY_API_VERSION = 'devplatform.fn.crossplane.io/v1alpha1';
export const POLICY_KIND = 'Policy';

function providerConfigRef(
  input: { kind?: ProviderConfigRef['kind']; name: string } | undefined,
  fallback: ProviderConfigRef,
): ProviderConfigRef {
  return input === undefined ? fallback : { kind: input.kind ?? 'ClusterProviderConfig', name: input.name };
}

/** A size given in the input replaces the default size whole, so a quota key can be removed. */
function sizes(input: SizesInput | undefined, fallback: Record<Size, SizePolicy>): Record<Size, SizePolicy> {
  const out = { ...fallback };
  for (const size of SIZES) {
    const given = input?.[size];
    if (given !== undefined) out[size] = { quota: given.quota ?? {}, limitRange: given.limitRange ?? {} };
  }
  return out;
}

function tool(name: string, input: ToolInput): ToolPolicy {
  return {
    chart: input.chart,
    namespace: input.namespace ?? name,
    scope: input.scope ?? 'Cluster',
    dependsOn: input.dependsOn ?? [],
    values: isObject(input.values) ? input.values : {},
  };
}

/** Checks the catalogue: dependencies name known tools and form no cycle. */
function checkCatalogue(tools: Record<string, ToolPolicy>): void {
  for (const [name, entry] of Object.entries(tools)) {
    for (const dep of entry.dependsOn) {
      if (!(dep in tools)) {
        throw new InputError(`input.tools.${name}.dependsOn`, `names unknown tool "${dep}"`);
      }
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      throw new InputError(`input.tools.${name}.dependsOn`, `forms a cycle: ${[...path, name].join(' -> ')}`);
    }
    visiting.add(name);
    for (const dep of tools[name]?.dependsOn ?? []) visit(dep, [...path, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of Object.keys(tools)) visit(name, []);
}

/**
 * Validates the function input against its CRD schema and applies the defaults. `input` is the
 * pipeline step's `input` (absent means all defaults). Errors name the field under `input.`.
 */
export function resolvePolicy(input: JsonObject | undefined): ResolvedPolicy {
  const given = input ?? { apiVersion: POLICY_API_VERSION, kind: POLICY_KIND };
  if (given.apiVersion !== POLICY_API_VERSION || given.kind !== POLICY_KIND) {
    throw new InputError(
      'input',
      `expected apiVersion ${POLICY_API_VERSION} and kind ${POLICY_KIND}, got ${String(given.apiVersion)} ${String(given.kind)}`,
    );
  }
  const model = new Policy(given as unknown as IPolicy);
  validateModel('input', () => model.validate());
  const p = model.toJSON() as IPolicy;
  const d = DEFAULT_POLICY;
  const ns = p.environments?.namespace;
  const vc = p.environments?.vcluster;

  const tools: Record<string, ToolPolicy> = { ...d.tools };
  for (const [name, entry] of Object.entries(p.tools ?? {})) tools[name] = tool(name, entry);
  checkCatalogue(tools);

  const kubernetesVersions = vc?.kubernetesVersions ?? d.environments.vcluster.kubernetesVersions;
  const defaultKubernetesVersion =
    vc?.defaultKubernetesVersion ?? d.environments.vcluster.defaultKubernetesVersion;
  if (!(defaultKubernetesVersion in kubernetesVersions)) {
    throw new InputError(
      'input.environments.vcluster.defaultKubernetesVersion',
      `must be one of kubernetesVersions (${Object.keys(kubernetesVersions).join(', ')}), got "${defaultKubernetesVersion}"`,
    );
  }

  const resolved: ResolvedPolicy = {
    hostCluster: {
      kubernetesProviderConfig: providerConfigRef(
        p.hostCluster?.kubernetesProviderConfig,
        d.hostCluster.kubernetesProviderConfig,
      ),
      helmProviderConfig: providerConfigRef(
        p.hostCluster?.helmProviderConfig,
        d.hostCluster.helmProviderConfig,
      ),
      namespacePrefix: p.hostCluster?.namespacePrefix ?? d.hostCluster.namespacePrefix,
      isPlatformCluster: p.hostCluster?.isPlatformCluster ?? d.hostCluster.isPlatformCluster,
    },
    rbac: {
      adminClusterRole: p.rbac?.adminClusterRole ?? d.rbac.adminClusterRole,
      teamGroupPrefix: p.rbac?.teamGroupPrefix ?? d.rbac.teamGroupPrefix,
    },
    environments: {
      namespace: {
        defaultTools: ns?.defaultTools ?? d.environments.namespace.defaultTools,
        networkPolicy: ns?.networkPolicy ?? d.environments.namespace.networkPolicy,
        sizes: sizes(ns?.sizes, d.environments.namespace.sizes),
      },
      vcluster: {
        chart: vc?.chart ?? d.environments.vcluster.chart,
        defaultKubernetesVersion,
        kubernetesVersions,
        defaultTools: vc?.defaultTools ?? d.environments.vcluster.defaultTools,
        values: isObject(vc?.values) ? vc.values : d.environments.vcluster.values,
        sizes: sizes(vc?.sizes, d.environments.vcluster.sizes),
      },
    },
    tools,
  };
  for (const [type, env] of Object.entries(resolved.environments)) {
    env.defaultTools.forEach((name, i) => {
      if (!(name in tools)) {
        throw new InputError(`input.environments.${type}.defaultTools[${i}]`, `names unknown tool "${name}"`);
      }
    });
  }
  return resolved;
}
