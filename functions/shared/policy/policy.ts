import { Policy, type IPolicy } from '../../models/apis/devplatform.fn.crossplane.io/v1alpha1/Policy.js';
import validateStrictly from '../../models/apis/validate-policy.js';
import { collectInputErrors, InputError, InputErrors, PolicyErrors } from '../errors.js';
import type { ProviderConfigRef } from '../flavor.js';
import { isObject, withoutNullFields, type JsonObject } from '../objects.js';
import { violationsToErrors } from '../validation.js';
import { DEFAULT_POLICY, EKS_NETWORK, GKE_NETWORK } from './defaults.js';

type Environments = NonNullable<IPolicy['environments']>;
type NamespaceEnvironmentInput = NonNullable<Environments['namespace']>;
type VclusterEnvironmentInput = NonNullable<Environments['vcluster']>;
type GkeEnvironmentInput = NonNullable<Environments['gke']>;
type EksEnvironmentInput = NonNullable<Environments['eks']>;
type ArgocdInput = NonNullable<IPolicy['argocd']>;
type DatabasesInput = NonNullable<IPolicy['databases']>;
type CapabilitiesInput = NonNullable<IPolicy['capabilities']>;
export type PostgresSizePolicy = NonNullable<
  NonNullable<NonNullable<DatabasesInput['postgres']>['sizes']>['small']
>;
export type CloudSqlSizePolicy = NonNullable<
  NonNullable<NonNullable<DatabasesInput['cloudSql']>['sizes']>['small']
>;
export type RdsSizePolicy = NonNullable<NonNullable<NonNullable<DatabasesInput['rds']>['sizes']>['small']>;
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
  /** When each Kubernetes minor version goes out of support (YYYY-MM-DD). */
  endOfSupport: Record<string, string>;
  defaultTools: string[];
  values: JsonObject;
  sizes: Record<Size, SizePolicy>;
}

/** What every dedicated-cluster environment type (gke, eks) decides. */
export interface ClusterEnvironmentPolicy<SizeT> {
  providerConfig: ProviderConfigRef;
  regions: string[];
  defaultRegion: string;
  kubernetesVersions: string[];
  defaultKubernetesVersion: string;
  /** When each Kubernetes minor version goes out of support (YYYY-MM-DD). */
  endOfSupport: Record<string, string>;
  defaultTools: string[];
  sizes: Record<Size, SizeT>;
}

export type GkeSizePolicy = NonNullable<NonNullable<GkeEnvironmentInput['sizes']>['small']>;
export type EksSizePolicy = NonNullable<NonNullable<EksEnvironmentInput['sizes']>['small']>;
export type SecretKeySelector = { name: string; namespace: string; key: string };

export interface GkeEnvironmentPolicy extends ClusterEnvironmentPolicy<GkeSizePolicy> {
  project: string;
  releaseChannel: NonNullable<GkeEnvironmentInput['releaseChannel']>;
  deletionProtection: boolean;
  network:
    | {
        nodesCidr: string;
        podsCidr: string;
        servicesCidr: string;
        privateServicesCidr: string;
        existing?: undefined;
      }
    | { existing: NonNullable<NonNullable<GkeEnvironmentInput['network']>['existing']> };
  nodeServiceAccountRoles: string[];
  providerIdentity: { source: 'InjectedIdentity' } | { source: 'Secret'; secretRef: SecretKeySelector };
}

export interface EksEnvironmentPolicy extends ClusterEnvironmentPolicy<EksSizePolicy> {
  network:
    | {
        vpcCidr: string;
        availabilityZones: string[];
        publicSubnetCidrs: string[];
        privateSubnetCidrs: string[];
        nodeSubnets: 'public' | 'private';
        existing?: undefined;
      }
    | { existing: { subnetIds: string[] } };
  clusterAdminPolicyArn: string;
  teamRoleArn: string;
}

export interface ArgocdPolicy {
  enabled: boolean;
  namespace: string;
  providerConfig: string;
  kubernetesProviderConfig: ProviderConfigRef;
  hostClusterName: string;
  sourceRepos: string[];
  gkeExecCommand: string;
  eksRoleArn: string;
}

export interface DatabasesPolicy {
  postgres: {
    defaultVersion: string;
    versions: Record<string, string>;
    sizes: Record<Size, PostgresSizePolicy>;
  };
  passwordGenerator: { kind: 'ClusterGenerator' | 'Password'; name: string };
  inClusterTools: string[];
  cloudTools: string[];
  cloudSql: {
    versions: Record<string, string>;
    edition: 'ENTERPRISE' | 'ENTERPRISE_PLUS';
    deletionProtection: boolean;
    backups: boolean;
    sizes: Record<Size, CloudSqlSizePolicy>;
  };
  rds: {
    versions: Record<string, string>;
    deletionProtection: boolean;
    skipFinalSnapshot: boolean;
    backupRetentionDays: number;
    sizes: Record<Size, RdsSizePolicy>;
  };
}

export type RedisBackend = 'InCluster' | 'Memorystore' | 'ElastiCache';

/** What backs AppStack capabilities (Dapr components), and the resiliency they get. */
export interface CapabilitiesPolicy {
  dapr: { tool: string; onHost: boolean };
  statestore: { onDatabase: boolean };
  redis: {
    backends: {
      namespace: 'InCluster';
      vcluster: 'InCluster';
      gke: 'InCluster' | 'Memorystore';
      eks: 'InCluster' | 'ElastiCache';
    };
    tools: string[];
    inCluster: {
      chart: { repository: string; name: string; version: string };
      storage: string;
      values: JsonObject;
    };
    memorystore: { tier: 'BASIC' | 'STANDARD_HA'; memorySizeGb: number; redisVersion: string };
    elastiCache: { nodeType: string; engineVersion: string; replicas: number };
  };
  resiliency: {
    timeout: string;
    retry: { policy: 'constant' | 'exponential'; duration: string; maxInterval: string; maxRetries: number };
    circuitBreaker: { maxRequests: number; interval: string; timeout: string; trip: string };
  };
}

/** A tool catalogue entry with every field filled in: a chart, manifests applied after it, or both. */
export interface ToolPolicy {
  chart?: NonNullable<ToolInput['chart']>;
  manifests: JsonObject[];
  namespace: string;
  scope: 'Cluster' | 'Namespaced';
  dependsOn: string[];
  values: JsonObject;
}

/** What happens to environments over their life: expiry, and how namespace and vcluster environments sleep. */
export interface LifecyclePolicy {
  onExpiry: 'Sleep' | 'Report';
  kubeGreen: {
    /** The catalogue tool a sleeping vcluster environment gets; '' when vcluster environments cannot sleep. */
    tool: string;
    /** The host cluster runs kube-green: namespace environments can sleep. */
    onHost: boolean;
  };
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
  lifecycle: LifecyclePolicy;
  environments: {
    namespace: NamespaceEnvironmentPolicy;
    vcluster: VclusterEnvironmentPolicy;
    gke: GkeEnvironmentPolicy;
    eks: EksEnvironmentPolicy;
  };
  argocd: ArgocdPolicy;
  databases: DatabasesPolicy;
  capabilities: CapabilitiesPolicy;
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

/** Each size given in the input replaces the default size whole (so a quota key can be removed). */
function bySize<In, Out>(
  input: Partial<Record<Size, In>> | undefined,
  fallback: Record<Size, Out>,
  resolve: (given: In) => Out,
): Record<Size, Out> {
  const out = { ...fallback };
  for (const size of SIZES) {
    const given = input?.[size];
    if (given !== undefined) out[size] = resolve(given);
  }
  return out;
}

function sizes(input: SizesInput | undefined, fallback: Record<Size, SizePolicy>): Record<Size, SizePolicy> {
  return bySize(input, fallback, (given: SizeInput) => ({
    quota: given.quota ?? {},
    limitRange: given.limitRange ?? {},
  }));
}

const asGiven = <T>(given: T): T => given;

function tool(name: string, input: ToolInput): ToolPolicy {
  const manifests = (input.manifests ?? []).filter(isObject);
  if (input.chart === undefined && manifests.length === 0) {
    throw new InputError(`input.tools.${name}`, 'needs a chart, manifests, or both');
  }
  manifests.forEach((m, i) => {
    const name_ = isObject(m.metadata) ? m.metadata.name : undefined;
    if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || typeof name_ !== 'string') {
      throw new InputError(`input.tools.${name}.manifests[${i}]`, 'needs apiVersion, kind and metadata.name');
    }
  });
  return {
    ...(input.chart !== undefined ? { chart: input.chart } : {}),
    manifests,
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

/** Checks that a default is one of the offered values. */
function offered(field: string, value: string, offers: string[], what: string): void {
  if (!offers.includes(value)) {
    throw new InputError(field, `must be one of ${what} (${offers.join(', ')}), got "${value}"`);
  }
}

function clusterEnvironment<SizeT>(
  type: 'gke' | 'eks',
  input:
    | {
        providerConfig?: { kind?: ProviderConfigRef['kind']; name: string };
        regions?: string[];
        defaultRegion?: string;
        kubernetesVersions?: string[];
        defaultKubernetesVersion?: string;
        endOfSupport?: Record<string, string>;
        defaultTools?: string[];
        sizes?: Partial<Record<Size, SizeT>>;
      }
    | undefined,
  fallback: ClusterEnvironmentPolicy<SizeT>,
): ClusterEnvironmentPolicy<SizeT> {
  const resolved: ClusterEnvironmentPolicy<SizeT> = {
    providerConfig: providerConfigRef(input?.providerConfig, fallback.providerConfig),
    regions: input?.regions ?? fallback.regions,
    defaultRegion: input?.defaultRegion ?? fallback.defaultRegion,
    kubernetesVersions: input?.kubernetesVersions ?? fallback.kubernetesVersions,
    defaultKubernetesVersion: input?.defaultKubernetesVersion ?? fallback.defaultKubernetesVersion,
    endOfSupport: input?.endOfSupport ?? fallback.endOfSupport,
    defaultTools: input?.defaultTools ?? fallback.defaultTools,
    sizes: bySize(input?.sizes, fallback.sizes, asGiven),
  };
  collectInputErrors([
    () =>
      offered(
        `input.environments.${type}.defaultRegion`,
        resolved.defaultRegion,
        resolved.regions,
        'regions',
      ),
    () =>
      offered(
        `input.environments.${type}.defaultKubernetesVersion`,
        resolved.defaultKubernetesVersion,
        resolved.kubernetesVersions,
        'kubernetesVersions',
      ),
  ]);
  return resolved;
}

function gkeEnvironment(
  input: GkeEnvironmentInput | undefined,
  d: GkeEnvironmentPolicy,
): GkeEnvironmentPolicy {
  const common = clusterEnvironment('gke', input, d);
  const net = input?.network;
  const base = d.network.existing === undefined ? d.network : GKE_NETWORK;
  const network: GkeEnvironmentPolicy['network'] =
    net?.existing !== undefined
      ? { existing: net.existing }
      : {
          nodesCidr: net?.nodesCidr ?? base.nodesCidr,
          podsCidr: net?.podsCidr ?? base.podsCidr,
          servicesCidr: net?.servicesCidr ?? base.servicesCidr,
          privateServicesCidr: net?.privateServicesCidr ?? base.privateServicesCidr,
        };
  const identity = input?.providerIdentity;
  let providerIdentity = d.providerIdentity;
  if (identity?.source === 'Secret') {
    if (identity.secretRef === undefined) {
      throw new InputError(
        'input.environments.gke.providerIdentity.secretRef',
        'is required when source is Secret',
      );
    }
    providerIdentity = { source: 'Secret', secretRef: identity.secretRef };
  } else if (identity?.source === 'InjectedIdentity') {
    providerIdentity = { source: 'InjectedIdentity' };
  }
  return {
    ...common,
    project: input?.project ?? d.project,
    releaseChannel: input?.releaseChannel ?? d.releaseChannel,
    deletionProtection: input?.deletionProtection ?? d.deletionProtection,
    network,
    nodeServiceAccountRoles: input?.nodeServiceAccountRoles ?? d.nodeServiceAccountRoles,
    providerIdentity,
  };
}

function eksEnvironment(
  input: EksEnvironmentInput | undefined,
  d: EksEnvironmentPolicy,
): EksEnvironmentPolicy {
  const common = clusterEnvironment('eks', input, d);
  const net = input?.network;
  const base = d.network.existing === undefined ? d.network : EKS_NETWORK;
  let network: EksEnvironmentPolicy['network'];
  if (net?.existing !== undefined) {
    if (net.existing.subnetIds.length < 2) {
      throw new InputError(
        'input.environments.eks.network.existing.subnetIds',
        'needs subnets in at least two zones',
      );
    }
    network = { existing: { subnetIds: net.existing.subnetIds } };
  } else {
    const created = {
      vpcCidr: net?.vpcCidr ?? base.vpcCidr,
      availabilityZones: net?.availabilityZones ?? base.availabilityZones,
      publicSubnetCidrs: net?.publicSubnetCidrs ?? base.publicSubnetCidrs,
      privateSubnetCidrs: net?.privateSubnetCidrs ?? base.privateSubnetCidrs,
      nodeSubnets: net?.nodeSubnets ?? base.nodeSubnets,
    };
    const zones = created.availabilityZones.length;
    collectInputErrors([
      () => {
        if (zones < 2)
          throw new InputError(
            'input.environments.eks.network.availabilityZones',
            'needs at least two zones',
          );
      },
      () => {
        if (created.publicSubnetCidrs.length !== zones)
          throw new InputError(
            'input.environments.eks.network.publicSubnetCidrs',
            `needs one range per zone (${zones})`,
          );
      },
      () => {
        if (created.privateSubnetCidrs.length !== zones)
          throw new InputError(
            'input.environments.eks.network.privateSubnetCidrs',
            `needs one range per zone (${zones})`,
          );
      },
    ]);
    network = created;
  }
  return {
    ...common,
    network,
    clusterAdminPolicyArn: input?.clusterAdminPolicyArn ?? d.clusterAdminPolicyArn,
    teamRoleArn: input?.teamRoleArn ?? d.teamRoleArn,
  };
}

function argocd(input: ArgocdInput | undefined, d: ArgocdPolicy): ArgocdPolicy {
  return {
    enabled: input?.enabled ?? d.enabled,
    namespace: input?.namespace ?? d.namespace,
    providerConfig: input?.providerConfig ?? d.providerConfig,
    kubernetesProviderConfig: providerConfigRef(input?.kubernetesProviderConfig, d.kubernetesProviderConfig),
    hostClusterName: input?.hostClusterName ?? d.hostClusterName,
    sourceRepos: input?.sourceRepos ?? d.sourceRepos,
    gkeExecCommand: input?.gkeExecCommand ?? d.gkeExecCommand,
    eksRoleArn: input?.eksRoleArn ?? d.eksRoleArn,
  };
}

function databases(input: DatabasesInput | undefined, d: DatabasesPolicy): DatabasesPolicy {
  const pg = input?.postgres;
  const resolved: DatabasesPolicy = {
    postgres: {
      defaultVersion: pg?.defaultVersion ?? d.postgres.defaultVersion,
      versions: pg?.versions ?? d.postgres.versions,
      sizes: bySize(pg?.sizes, d.postgres.sizes, asGiven),
    },
    passwordGenerator: input?.passwordGenerator
      ? { kind: input.passwordGenerator.kind ?? 'ClusterGenerator', name: input.passwordGenerator.name }
      : d.passwordGenerator,
    inClusterTools: input?.inClusterTools ?? d.inClusterTools,
    cloudTools: input?.cloudTools ?? d.cloudTools,
    cloudSql: {
      versions: input?.cloudSql?.versions ?? d.cloudSql.versions,
      edition: input?.cloudSql?.edition ?? d.cloudSql.edition,
      deletionProtection: input?.cloudSql?.deletionProtection ?? d.cloudSql.deletionProtection,
      backups: input?.cloudSql?.backups ?? d.cloudSql.backups,
      sizes: bySize(input?.cloudSql?.sizes, d.cloudSql.sizes, asGiven),
    },
    rds: {
      versions: input?.rds?.versions ?? d.rds.versions,
      deletionProtection: input?.rds?.deletionProtection ?? d.rds.deletionProtection,
      skipFinalSnapshot: input?.rds?.skipFinalSnapshot ?? d.rds.skipFinalSnapshot,
      backupRetentionDays: input?.rds?.backupRetentionDays ?? d.rds.backupRetentionDays,
      sizes: bySize(input?.rds?.sizes, d.rds.sizes, asGiven),
    },
  };
  offered(
    'input.databases.postgres.defaultVersion',
    resolved.postgres.defaultVersion,
    Object.keys(resolved.postgres.versions),
    'versions',
  );
  return resolved;
}

function capabilities(input: CapabilitiesInput | undefined, d: CapabilitiesPolicy): CapabilitiesPolicy {
  const redis = input?.redis;
  const retry = input?.resiliency?.retry;
  const breaker = input?.resiliency?.circuitBreaker;
  return {
    dapr: { tool: input?.dapr?.tool ?? d.dapr.tool, onHost: input?.dapr?.onHost ?? d.dapr.onHost },
    statestore: { onDatabase: input?.statestore?.onDatabase ?? d.statestore.onDatabase },
    redis: {
      backends: { ...d.redis.backends, ...withoutNullFields(redis?.backends ?? {}) },
      tools: redis?.tools ?? d.redis.tools,
      inCluster: {
        chart: redis?.inCluster?.chart ?? d.redis.inCluster.chart,
        storage: redis?.inCluster?.storage ?? d.redis.inCluster.storage,
        values: isObject(redis?.inCluster?.values) ? redis.inCluster.values : d.redis.inCluster.values,
      },
      memorystore: { ...d.redis.memorystore, ...withoutNullFields(redis?.memorystore ?? {}) },
      elastiCache: { ...d.redis.elastiCache, ...withoutNullFields(redis?.elastiCache ?? {}) },
    },
    resiliency: {
      timeout: input?.resiliency?.timeout ?? d.resiliency.timeout,
      retry: { ...d.resiliency.retry, ...withoutNullFields(retry ?? {}) },
      circuitBreaker: { ...d.resiliency.circuitBreaker, ...withoutNullFields(breaker ?? {}) },
    },
  };
}

/**
 * Validates the function input against its CRD schema and applies the defaults. `input` is the
 * pipeline step's `input` (absent means all defaults). Errors name the field under `input.`.
 */
export function resolvePolicy(input: JsonObject | undefined): ResolvedPolicy {
  try {
    return resolveValidPolicy(input);
  } catch (error) {
    if (error instanceof InputError) throw new PolicyErrors([error]);
    if (error instanceof InputErrors) throw new PolicyErrors(error.errors);
    throw error;
  }
}

/** Where namespace and vcluster environments run: the host cluster and its ProviderConfigs. */
function hostCluster(
  given: IPolicy['hostCluster'],
  d: ResolvedPolicy['hostCluster'],
): ResolvedPolicy['hostCluster'] {
  return {
    kubernetesProviderConfig: providerConfigRef(given?.kubernetesProviderConfig, d.kubernetesProviderConfig),
    helmProviderConfig: providerConfigRef(given?.helmProviderConfig, d.helmProviderConfig),
    namespacePrefix: given?.namespacePrefix ?? d.namespacePrefix,
    isPlatformCluster: given?.isPlatformCluster ?? d.isPlatformCluster,
  };
}

/** The vcluster environment policy; its default Kubernetes version must be one it offers. */
function vclusterEnvironment(
  vc: NonNullable<IPolicy['environments']>['vcluster'],
  d: ResolvedPolicy['environments']['vcluster'],
): ResolvedPolicy['environments']['vcluster'] {
  const kubernetesVersions = vc?.kubernetesVersions ?? d.kubernetesVersions;
  const defaultKubernetesVersion = vc?.defaultKubernetesVersion ?? d.defaultKubernetesVersion;
  if (!(defaultKubernetesVersion in kubernetesVersions)) {
    throw new InputError(
      'input.environments.vcluster.defaultKubernetesVersion',
      `must be one of kubernetesVersions (${Object.keys(kubernetesVersions).join(', ')}), got "${defaultKubernetesVersion}"`,
    );
  }
  return {
    chart: vc?.chart ?? d.chart,
    defaultKubernetesVersion,
    kubernetesVersions,
    endOfSupport: vc?.endOfSupport ?? d.endOfSupport,
    defaultTools: vc?.defaultTools ?? d.defaultTools,
    values: isObject(vc?.values) ? vc.values : d.values,
    sizes: sizes(vc?.sizes, d.sizes),
  };
}

/** Every tool the policy names elsewhere (database tools, default tools) is in its catalogue. */
function checkToolReferences(resolved: ResolvedPolicy): void {
  resolved.databases.inClusterTools.forEach((name, i) => {
    if (!(name in resolved.tools)) {
      throw new InputError(`input.databases.inClusterTools[${i}]`, `names unknown tool "${name}"`);
    }
  });
  const named = [
    ['input.capabilities.dapr.tool', resolved.capabilities.dapr.tool],
    ...resolved.capabilities.redis.tools.map((name, i) => [`input.capabilities.redis.tools[${i}]`, name]),
  ];
  for (const [field, name] of named) {
    if (name !== undefined && field !== undefined && !(name in resolved.tools)) {
      throw new InputError(field, `names unknown tool "${name}"`);
    }
  }
  const kubeGreen = resolved.lifecycle.kubeGreen.tool;
  if (kubeGreen !== '' && !(kubeGreen in resolved.tools)) {
    throw new InputError('input.lifecycle.kubeGreen.tool', `names unknown tool "${kubeGreen}"`);
  }
  for (const [type, env] of Object.entries(resolved.environments)) {
    env.defaultTools.forEach((name, i) => {
      if (!(name in resolved.tools)) {
        throw new InputError(`input.environments.${type}.defaultTools[${i}]`, `names unknown tool "${name}"`);
      }
    });
  }
}

/**
 * The schema check is strict, as an API server's strict field validation is: a field the Policy CRD
 * does not know is an error (a typo must not silently fall back to a default), and every violation
 * is reported at once.
 */
function resolveValidPolicy(input: JsonObject | undefined): ResolvedPolicy {
  const given = input ?? { apiVersion: POLICY_API_VERSION, kind: POLICY_KIND };
  if (given.apiVersion !== POLICY_API_VERSION || given.kind !== POLICY_KIND) {
    throw new InputError(
      'input',
      `expected apiVersion ${POLICY_API_VERSION} and kind ${POLICY_KIND}, got ${String(given.apiVersion)} ${String(given.kind)}`,
    );
  }
  const data = withoutNullFields(given);
  if (!validateStrictly(data)) throw violationsToErrors('input', validateStrictly.errors ?? []);
  const p = new Policy(data as unknown as IPolicy).toJSON() as IPolicy;
  const d = DEFAULT_POLICY;
  const ns = p.environments?.namespace;
  const vc = p.environments?.vcluster;

  const tools: Record<string, ToolPolicy> = { ...d.tools };
  collectInputErrors(
    Object.entries(p.tools ?? {}).map(([name, entry]) => () => {
      tools[name] = tool(name, entry);
    }),
  );
  checkCatalogue(tools);
  const [gke, eks] = collectInputErrors<GkeEnvironmentPolicy | EksEnvironmentPolicy>([
    () => gkeEnvironment(p.environments?.gke, d.environments.gke),
    () => eksEnvironment(p.environments?.eks, d.environments.eks),
  ]) as [GkeEnvironmentPolicy, EksEnvironmentPolicy];

  const resolved: ResolvedPolicy = {
    hostCluster: hostCluster(p.hostCluster, d.hostCluster),
    lifecycle: {
      onExpiry: p.lifecycle?.onExpiry ?? d.lifecycle.onExpiry,
      kubeGreen: {
        tool: p.lifecycle?.kubeGreen?.tool ?? d.lifecycle.kubeGreen.tool,
        onHost: p.lifecycle?.kubeGreen?.onHost ?? d.lifecycle.kubeGreen.onHost,
      },
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
      vcluster: vclusterEnvironment(vc, d.environments.vcluster),
      gke,
      eks,
    },
    argocd: argocd(p.argocd, d.argocd),
    databases: databases(p.databases, d.databases),
    capabilities: capabilities(p.capabilities, d.capabilities),
    tools,
  };
  checkToolReferences(resolved);
  return resolved;
}
