import type { RequiredResourceSelector } from '../shared/composed.js';
import type { RequiredResources } from '../shared/composites.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import { getPath, getString, isObject, type JsonObject } from '../shared/objects.js';
import type { NamespaceSleep } from '../shared/kube-green.js';
import { readySince } from '../shared/provisioning.js';
import type { ParsedAppStack } from './spec.js';

/** The requirement name under which Crossplane passes the target DevEnvironment. */
export const ENVIRONMENT_REQUIREMENT = 'environment';

/** What the AppStack needs to know about its DevEnvironment, from that environment's status. */
export interface TargetEnvironment {
  name: string;
  type: string;
  /** The Argo CD cluster the environment is registered as. */
  argocdClusterName: string;
  argocdProject: string;
  /** The environment's own namespace (namespace environments deploy only there). */
  namespace?: string;
  /** The provider-kubernetes ProviderConfig that reaches into the environment. */
  kubernetesProviderConfig?: ProviderConfigRef;
  /** The environment's cloud region (gke and eks). */
  region?: string;
  /** Where a gke or eks environment's cluster lives, for databases beside it. */
  network?: EnvironmentNetwork;
  /** The environment's tools and whether each is ready. */
  tools: Array<{ name: string; ready: boolean }>;
  /** The object the environment is, for the Usage that keeps it while the app exists. */
  usageRef?: { apiVersion: string; kind: string; name: string };
  /** Set while the environment sleeps: why, and until when if it wakes on its own. */
  asleep?: { reason: string; until?: string };
  /** The environment's sleep (its status.sleep and spec.sleep.schedule), wherever sleep concerns it. */
  sleep?: NamespaceSleep;
  /** When the environment next sleeps or wakes on its own (its status.sleep.nextChange). */
  sleepNextChange?: string;
  /** When the environment was first Ready: its status.provisioning.readyAt, else its Ready condition's time. */
  readySince?: number;
}

/** The DevEnvironment's status.network: a GCP network, or an AWS VPC with the cluster's subnets. */
export type EnvironmentNetwork =
  | { cloud: 'gcp'; project: string; network: string }
  | { cloud: 'aws'; vpcId: string; subnetIds: string[]; clusterSecurityGroupId: string };

function networkOf(env: JsonObject): EnvironmentNetwork | undefined {
  const project = getString(env, 'status.network.project');
  const network = getString(env, 'status.network.network');
  if (project !== undefined && network !== undefined) return { cloud: 'gcp', project, network };
  const vpcId = getString(env, 'status.network.vpcId');
  const clusterSecurityGroupId = getString(env, 'status.network.clusterSecurityGroupId');
  const subnets = getPath(env, 'status.network.subnetIds');
  const subnetIds = Array.isArray(subnets) ? subnets.filter((s): s is string => typeof s === 'string') : [];
  if (vpcId !== undefined && clusterSecurityGroupId !== undefined && subnetIds.length > 0) {
    return { cloud: 'aws', vpcId, subnetIds, clusterSecurityGroupId };
  }
  return undefined;
}

export type EnvironmentLookup =
  /** Crossplane has not fetched the requirement yet (the first call of a reconcile). */
  | { state: 'unknown' }
  | { state: 'missing' }
  | { state: 'not-ready'; reason: string }
  | { state: 'ready'; environment: TargetEnvironment };

/**
 * Which object to ask Crossplane for: the DevEnvironment XR in the AppStack's namespace, or for a
 * legacy XR the DevEnvironment claim in the claim's namespace (the claim carries the XR's status).
 */
export function environmentRequirement(app: ParsedAppStack): RequiredResourceSelector {
  const { flavor, namespace } = app.identity;
  return {
    apiVersion: flavor === 'namespaced' ? 'devplatform.io/v1alpha1' : 'claims.devplatform.io/v1alpha1',
    kind: 'DevEnvironment',
    matchName: app.spec.environmentName,
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

function usageRefOf(app: ParsedAppStack, env: JsonObject): TargetEnvironment['usageRef'] {
  if (app.identity.flavor === 'namespaced') {
    return { apiVersion: 'devplatform.io/v1alpha1', kind: 'DevEnvironment', name: app.spec.environmentName };
  }
  // A claim points at its cluster-scoped XR; protect that.
  const ref = isObject(env.spec) && isObject(env.spec.resourceRef) ? env.spec.resourceRef : undefined;
  const name = typeof ref?.name === 'string' ? ref.name : undefined;
  return name === undefined
    ? undefined
    : { apiVersion: 'claims.devplatform.io/v1alpha1', kind: 'XDevEnvironment', name };
}

/** Why and until when a sleeping environment sleeps, as it reports in status.sleep. */
function asleepOf(env: JsonObject): TargetEnvironment['asleep'] {
  if (getString(env, 'status.phase') !== 'Asleep') return undefined;
  const until = getString(env, 'status.sleep.nextChange');
  return {
    reason: getString(env, 'status.sleep.reason') ?? 'Manual',
    ...(until !== undefined ? { until } : {}),
  };
}

const SLEEP_REASONS = ['Manual', 'Schedule', 'Expired'] as const;

/** The environment's sleep as it reports it, with its schedule, for the app's own SleepInfo. */
function sleepOf(env: JsonObject): NamespaceSleep | undefined {
  const reported = getPath(env, 'status.sleep');
  if (!isObject(reported) || typeof reported.asleep !== 'boolean') return undefined;
  const reason = SLEEP_REASONS.find((r) => r === reported.reason);
  const schedule = getPath(env, 'spec.sleep.schedule');
  const weekdays = getString(env, 'spec.sleep.schedule.weekdays');
  const sleepAt = getString(env, 'spec.sleep.schedule.sleepAt');
  const wakeUpAt = getString(env, 'spec.sleep.schedule.wakeUpAt');
  const timeZone = getString(env, 'spec.sleep.schedule.timeZone');
  return {
    asleep: reported.asleep,
    ...(reason !== undefined ? { reason } : {}),
    ...(typeof reported.since === 'string' ? { since: reported.since } : {}),
    ...(isObject(schedule) && weekdays !== undefined && sleepAt !== undefined
      ? {
          schedule: {
            weekdays,
            sleepAt,
            ...(wakeUpAt !== undefined ? { wakeUpAt } : {}),
            ...(timeZone !== undefined ? { timeZone } : {}),
          },
        }
      : {}),
  };
}

/** When the environment was first Ready, as it reports it (or, before it did, its Ready condition's time). */
function firstReady(env: JsonObject): number | undefined {
  const recorded = Date.parse(getString(env, 'status.provisioning.readyAt') ?? '');
  return Number.isFinite(recorded) ? recorded : readySince(env);
}

/** Reads the required DevEnvironment: whether it exists, is ready, and where Argo CD reaches it. */
export function lookupEnvironment(app: ParsedAppStack, required: RequiredResources): EnvironmentLookup {
  const fetched = required.get(ENVIRONMENT_REQUIREMENT);
  if (fetched === undefined) return { state: 'unknown' };
  const env = fetched[0];
  if (env === undefined) return { state: 'missing' };
  const phase = getString(env, 'status.phase');
  const argocdClusterName = getString(env, 'status.argocdClusterName');
  const argocdProject = getString(env, 'status.argocdProject');
  if (phase !== 'Ready' && phase !== 'Asleep')
    return { state: 'not-ready', reason: `its phase is ${phase ?? 'not reported yet'}` };
  if (argocdClusterName === undefined || argocdProject === undefined) {
    return { state: 'not-ready', reason: 'it is not registered with Argo CD' };
  }
  const namespace = getString(env, 'status.namespace');
  const usageRef = usageRefOf(app, env);
  const pcKind = getString(env, 'status.kubernetesProviderConfigRef.kind');
  const pcName = getString(env, 'status.kubernetesProviderConfigRef.name');
  const kubernetesProviderConfig: ProviderConfigRef | undefined =
    pcName !== undefined && (pcKind === 'ProviderConfig' || pcKind === 'ClusterProviderConfig')
      ? { kind: pcKind, name: pcName }
      : undefined;
  const region = getString(env, 'status.region');
  const network = networkOf(env);
  const asleep = asleepOf(env);
  const sleep = sleepOf(env);
  const sleepNextChange = getString(env, 'status.sleep.nextChange');
  const readySince = firstReady(env);
  const reported = getPath(env, 'status.tools');
  const tools = (Array.isArray(reported) ? reported : []).filter(isObject).map((t) => ({
    name: String(t.name),
    ready: t.ready === true,
  }));
  return {
    state: 'ready',
    environment: {
      name: app.spec.environmentName,
      type: getString(env, 'spec.type') ?? '',
      argocdClusterName,
      argocdProject,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(usageRef !== undefined ? { usageRef } : {}),
      ...(kubernetesProviderConfig !== undefined ? { kubernetesProviderConfig } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(network !== undefined ? { network } : {}),
      ...(asleep !== undefined ? { asleep } : {}),
      ...(sleep !== undefined ? { sleep } : {}),
      ...(sleepNextChange !== undefined ? { sleepNextChange } : {}),
      ...(readySince !== undefined ? { readySince } : {}),
      tools,
    },
  };
}
