import {
  XDevEnvironment,
  type IXDevEnvironment,
} from '../models/apis/claims.devplatform.io/v1alpha1/XDevEnvironment.js';
import {
  DevEnvironment,
  type IDevEnvironment,
} from '../models/apis/devplatform.io/v1alpha1/DevEnvironment.js';
import { parseDuration } from '../shared/duration.js';
import { collectInputErrors, InputError } from '../shared/errors.js';
import { compositeIdentity, type CompositeIdentity } from '../shared/identity.js';
import type { Flavor } from '../shared/flavor.js';
import { isObject, type JsonObject, withoutNullFields } from '../shared/objects.js';
import type { ResolvedPolicy, Size } from '../shared/policy/policy.js';
import { validateModel } from '../shared/validation.js';
import { checkTimeZone, parseWeekdays, type SleepSchedule } from '../shared/sleep-schedule.js';
import type { ObservedResources } from '../shared/observed.js';
import { newEnvironmentVersion } from './kubernetes-version.js';
import { observedVersions } from './observed-versions.js';

export const DEV_ENVIRONMENT_GROUPS: Record<Flavor, { apiVersion: string; kind: string }> = {
  namespaced: { apiVersion: 'devplatform.io/v1alpha1', kind: 'DevEnvironment' },
  legacy: { apiVersion: 'claims.devplatform.io/v1alpha1', kind: 'XDevEnvironment' },
};

export type EnvironmentType = IDevEnvironment['spec']['type'];

/** Types this release of the function composes. */
export const SUPPORTED_TYPES: readonly EnvironmentType[] = ['namespace', 'vcluster', 'gke', 'eks'];

/** A DevEnvironment's spec after validation and defaulting. */
export interface DevEnvironmentSpec {
  team: string;
  type: EnvironmentType;
  size: Size;
  kubernetesVersion?: string;
  region?: string;
  tools: string[];
  access: { groups: string[]; users: string[] };
  ttlSeconds?: number;
  sleep?: { asleep: boolean; schedule?: SleepSchedule };
}

export interface ParsedDevEnvironment {
  identity: CompositeIdentity;
  spec: DevEnvironmentSpec;
}

/** The user-settable part of the XR, as the XRD schema sees it (Crossplane adds fields of its own). */
function userSpec(xr: JsonObject): JsonObject {
  const spec = isObject(xr.spec) ? xr.spec : undefined;
  if (spec === undefined) throw new InputError('spec', 'expected an object with at least team and type');
  const fields = ['team', 'type', 'size', 'kubernetesVersion', 'region', 'tools', 'access', 'ttl', 'sleep'];
  return withoutNullFields(Object.fromEntries(fields.filter((f) => f in spec).map((f) => [f, spec[f]])));
}

function checkTools(tools: string[], policy: ResolvedPolicy): void {
  const known = Object.keys(policy.tools).sort();
  const seen = new Set<string>();
  collectInputErrors(
    tools.map((tool, i) => () => {
      if (!(tool in policy.tools)) {
        throw new InputError(
          `spec.tools[${i}]`,
          `unknown tool "${tool}"; the catalogue has: ${known.join(', ')}`,
        );
      }
      if (seen.has(tool)) throw new InputError(`spec.tools[${i}]`, `"${tool}" is listed twice`);
      seen.add(tool);
    }),
  );
}

type UserSpec = IDevEnvironment['spec'];

/**
 * The Kubernetes version asked for, if any: only for types with a cluster of their own. A new
 * environment must ask for one the platform offers; an existing one may keep running what it runs,
 * and whether it may move is decided against what runs (kubernetes-version.ts).
 */
function kubernetesVersion(
  s: UserSpec,
  policy: ResolvedPolicy,
  observed: ObservedResources,
): string | undefined {
  if (s.type === 'namespace') {
    if (s.kubernetesVersion !== undefined) {
      throw new InputError(
        'spec.kubernetesVersion',
        'namespace environments run on the host cluster; leave it out',
      );
    }
    return undefined;
  }
  if (observedVersions(s.type, observed).controlPlaneAsked === undefined) {
    newEnvironmentVersion(s.type, s.kubernetesVersion, policy);
  }
  return s.kubernetesVersion;
}

/** spec.sleep, its schedule checked beyond what the XRD's patterns can (the time zone). */
function sleepSpec(s: UserSpec): DevEnvironmentSpec['sleep'] {
  if (s.sleep === undefined) return undefined;
  const schedule = s.sleep.schedule;
  if (schedule !== undefined) {
    parseWeekdays(schedule.weekdays, 'spec.sleep.schedule.weekdays');
    if (schedule.timeZone !== undefined) checkTimeZone(schedule.timeZone, 'spec.sleep.schedule.timeZone');
  }
  return {
    asleep: s.sleep.asleep ?? false,
    ...(schedule !== undefined
      ? {
          schedule: {
            weekdays: schedule.weekdays,
            sleepAt: schedule.sleepAt,
            ...(schedule.wakeUpAt !== undefined ? { wakeUpAt: schedule.wakeUpAt } : {}),
            ...(schedule.timeZone !== undefined ? { timeZone: schedule.timeZone } : {}),
          },
        }
      : {}),
  };
}

/** A region only for cloud types, and one the platform offers. */
function checkRegion(s: UserSpec, policy: ResolvedPolicy): void {
  if (s.type !== 'gke' && s.type !== 'eks') {
    if (s.region !== undefined) {
      throw new InputError('spec.region', `${s.type} environments run on the host cluster; leave it out`);
    }
    return;
  }
  const { regions } = policy.environments[s.type];
  if (s.region !== undefined && !regions.includes(s.region)) {
    throw new InputError(
      'spec.region',
      `"${s.region}" is not offered for ${s.type}; the platform offers ${[...regions].sort().join(', ')}`,
    );
  }
}

/** gke environments need the platform team to have named the GCP project. */
function checkGkeProject(s: UserSpec, policy: ResolvedPolicy): void {
  if (s.type === 'gke' && policy.environments.gke.project === '') {
    throw new InputError(
      'input.environments.gke.project',
      'is required for gke environments: the platform team sets the GCP project in the Composition',
    );
  }
}

/**
 * Reads and validates a DevEnvironment (namespaced) or XDevEnvironment (legacy) XR against its XRD
 * schema and the platform policy. Throws InputErrors naming every bad field.
 */
export function parseDevEnvironment(
  flavor: Flavor,
  xr: JsonObject,
  policy: ResolvedPolicy,
  observed: ObservedResources = new Map(),
): ParsedDevEnvironment {
  const [identity] = collectInputErrors([() => compositeIdentity(flavor, xr)]);
  const { apiVersion, kind } = DEV_ENVIRONMENT_GROUPS[flavor];
  const spec = userSpec(xr);
  const candidate = { apiVersion, kind, metadata: {}, spec };
  validateModel('', () =>
    flavor === 'namespaced'
      ? new DevEnvironment(candidate as unknown as IDevEnvironment).validate()
      : new XDevEnvironment(candidate as unknown as IXDevEnvironment).validate(),
  );
  const s = spec as unknown as UserSpec;
  if (!SUPPORTED_TYPES.includes(s.type)) {
    throw new InputError(
      'spec.type',
      `"${s.type}" environments are not available in this release of function-devplatform; supported types: ${SUPPORTED_TYPES.join(', ')}`,
    );
  }
  const envPolicy = policy.environments[s.type];
  const tools = s.tools ?? envPolicy.defaultTools;
  const parsed: DevEnvironmentSpec = {
    team: s.team,
    type: s.type,
    size: s.size ?? 'small',
    tools,
    access: { groups: s.access?.groups ?? [], users: s.access?.users ?? [] },
  };
  collectInputErrors<unknown>([
    () => checkTools(tools, policy),
    () => {
      if (s.ttl !== undefined) parsed.ttlSeconds = parseDuration(s.ttl, 'spec.ttl');
    },
    () => {
      const version = kubernetesVersion(s, policy, observed);
      if (version !== undefined) parsed.kubernetesVersion = version;
    },
    () => checkRegion(s, policy),
    () => checkGkeProject(s, policy),
    () => {
      const sleep = sleepSpec(s);
      if (sleep !== undefined) parsed.sleep = sleep;
    },
  ]);
  if (s.region !== undefined) parsed.region = s.region;
  return { identity: identity as CompositeIdentity, spec: parsed };
}
