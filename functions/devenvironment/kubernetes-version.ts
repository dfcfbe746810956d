import type { CompositeCondition, CompositeEvent } from '../shared/composed.js';
import { InputError } from '../shared/errors.js';
import { formatMinor, minorOf, minorsBetween, nextMinor, type Minor } from '../shared/kubernetes-version.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import type { DevEnvironmentContext } from './context.js';
import type { EnvironmentType } from './spec.js';
import { observedVersions, type ObservedVersions } from './observed-versions.js';

/** What an upgrade waits for: the control plane to report the new version, or the nodes to. */
export type VersionStage = 'ControlPlane' | 'Nodes';

/**
 * The Kubernetes version of an environment, decided from what it runs (observed state), not from
 * the policy: a policy default change never moves an existing environment. A change of
 * spec.kubernetesVersion upgrades one minor version at a time, the control plane first and the
 * nodes once the control plane reports the new version; a downgrade, a skip or a version the
 * platform does not offer is refused, and the environment keeps running as it is.
 */
export interface VersionPlan {
  /** The minor the control plane is asked to run. */
  controlPlane: string;
  /** The minor the nodes are asked to run (eks node groups; gke node pools follow by themselves). */
  nodes: string;
  /** What the whole environment runs (the lowest minor anything reports), once it exists. */
  runs?: string;
  /** While an upgrade is under way. */
  upgrade?: { from: string; to: string; stage: VersionStage };
  condition: CompositeCondition;
  warnings: CompositeEvent[];
}

interface Offer {
  offered: string[];
  default: string;
  endOfSupport: Record<string, string>;
}

function offerFor(type: Exclude<EnvironmentType, 'namespace'>, policy: ResolvedPolicy): Offer {
  const env = policy.environments[type];
  const offered =
    type === 'vcluster'
      ? Object.keys(policy.environments.vcluster.kubernetesVersions)
      : policy.environments[type].kubernetesVersions;
  return { offered, default: env.defaultKubernetesVersion, endOfSupport: env.endOfSupport };
}

const lowest = (versions: Array<Minor | undefined>): Minor | undefined =>
  versions.reduce<Minor | undefined>(
    (low, v) => (v === undefined || (low !== undefined && minorsBetween(low, v) >= 0) ? low : v),
    undefined,
  );

/**
 * The version a new environment is created with: spec.kubernetesVersion or the default. Throws, as
 * the developer's mistake, when the platform does not offer it.
 */
export function newEnvironmentVersion(
  type: Exclude<EnvironmentType, 'namespace'>,
  requested: string | undefined,
  policy: ResolvedPolicy,
): string {
  const offer = offerFor(type, policy);
  const version = requested ?? offer.default;
  if (!offer.offered.includes(version)) {
    throw new InputError(
      'spec.kubernetesVersion',
      `"${version}" is not offered for ${type}; the platform offers ${[...offer.offered].sort().join(', ')}`,
    );
  }
  return version;
}

function newEnvironment(
  ctx: DevEnvironmentContext,
  type: Exclude<EnvironmentType, 'namespace'>,
): VersionPlan {
  const version = newEnvironmentVersion(type, ctx.env.spec.kubernetesVersion, ctx.policy);
  return {
    controlPlane: version,
    nodes: version,
    condition: {
      type: 'KubernetesVersion',
      status: 'True',
      reason: 'Creating',
      message: `created with Kubernetes ${version}`,
    },
    warnings: [],
  };
}

/** Why a requested version cannot be started now, or undefined when it can. */
function refusal(asked: Minor, current: Minor, requested: Minor, offer: Offer): string | undefined {
  const [r, a, c] = [formatMinor(requested), formatMinor(asked), formatMinor(current)];
  if (minorsBetween(current, asked) > 0) {
    return `spec.kubernetesVersion ${r} waits: the upgrade from ${c} to ${a} is still under way; ask again once it completes`;
  }
  const step = minorsBetween(asked, requested);
  if (step < 0) {
    return `spec.kubernetesVersion ${r} is below ${a}, which the environment runs; Kubernetes cannot be downgraded in place (create a new environment for ${r})`;
  }
  if (step > 1) {
    return `spec.kubernetesVersion ${r} is more than one minor version above ${a}, which the environment runs; upgrade one minor version at a time: set ${formatMinor(nextMinor(asked))} first`;
  }
  if (!offer.offered.includes(r)) {
    return `spec.kubernetesVersion ${r} is not offered for this environment type; the platform offers ${[...offer.offered].sort().join(', ')}`;
  }
  return undefined;
}

/** What to upgrade a version the platform no longer supports to: the next offered minor above it. */
function upgradeTarget(current: Minor, offer: Offer): string | undefined {
  return offer.offered
    .map((v) => ({ v, m: minorOf(v) }))
    .filter((x): x is { v: string; m: Minor } => x.m !== undefined && minorsBetween(current, x.m) > 0)
    .sort((a, b) => minorsBetween(b.m, a.m))[0]?.v;
}

function supportWarnings(ctx: DevEnvironmentContext, current: Minor, offer: Offer): CompositeEvent[] {
  const runs = formatMinor(current);
  const to = upgradeTarget(current, offer);
  const advice =
    to !== undefined
      ? `; upgrade to ${to} (spec.kubernetesVersion: "${formatMinor(nextMinor(current))}" first)`
      : '';
  const warnings: CompositeEvent[] = [];
  const end = offer.endOfSupport[runs];
  if (end !== undefined && Date.parse(end) <= ctx.now.getTime()) {
    warnings.push({
      severity: 'Warning',
      reason: 'KubernetesVersionUnsupported',
      message: `Kubernetes ${runs}, which this environment runs, reached its end of support on ${end}${advice}`,
    });
  } else if (!offer.offered.includes(runs)) {
    warnings.push({
      severity: 'Warning',
      reason: 'KubernetesVersionNotOffered',
      message: `Kubernetes ${runs}, which this environment runs, is no longer offered by the platform; it keeps running${advice}`,
    });
  }
  return warnings;
}

/** KubernetesVersion: refused (and why), upgrading (and what it waits for), or what runs. */
function versionCondition(
  refused: string | undefined,
  upgrade: VersionPlan['upgrade'],
  runs: string,
): CompositeCondition {
  const type = 'KubernetesVersion';
  if (refused !== undefined) {
    return {
      type,
      status: 'False',
      reason: 'UpgradeRefused',
      message: `${refused}; it keeps running ${runs}`,
    };
  }
  if (upgrade === undefined)
    return { type, status: 'True', reason: 'Current', message: `runs Kubernetes ${runs}` };
  const waits =
    upgrade.stage === 'ControlPlane'
      ? 'the control plane first'
      : `the control plane runs ${upgrade.to}; waiting for the nodes`;
  return {
    type,
    status: 'False',
    reason: 'Upgrading',
    message: `upgrading from ${upgrade.from} to ${upgrade.to}: ${waits}`,
  };
}

/** Decides the version of an existing environment from what it observes. */
function existingEnvironment(
  ctx: DevEnvironmentContext,
  offer: Offer,
  observed: ObservedVersions,
  asked: Minor,
): VersionPlan {
  const runsControlPlane = minorOf(observed.controlPlaneRuns) ?? asked;
  // What runs is what reports (the control plane as asked until it reports); GKE may have moved it
  // above what was asked for within its release channel.
  const current =
    lowest([runsControlPlane, observed.hasNodes ? minorOf(observed.nodesRun) : undefined]) ??
    runsControlPlane;
  const requested = minorOf(ctx.env.spec.kubernetesVersion);
  const refused =
    requested !== undefined && minorsBetween(asked, requested) !== 0
      ? refusal(asked, current, requested, offer)
      : undefined;
  const target = requested !== undefined && refused === undefined ? requested : asked;
  const nodesAsked = minorOf(observed.nodesAsked) ?? current;
  const nodes = minorsBetween(runsControlPlane, target) <= 0 ? target : nodesAsked;
  const stage: VersionStage | undefined =
    minorsBetween(runsControlPlane, target) > 0
      ? 'ControlPlane'
      : minorsBetween(current, target) > 0
        ? 'Nodes'
        : undefined;
  const [from, to] = [formatMinor(current), formatMinor(target)];
  const upgrade = stage !== undefined ? { from, to, stage } : undefined;
  const condition = versionCondition(refused, upgrade, from);
  return {
    controlPlane: to,
    nodes: formatMinor(nodes),
    runs: from,
    ...(upgrade !== undefined ? { upgrade } : {}),
    condition,
    warnings: supportWarnings(ctx, current, offer),
  };
}

/** The version plan of a vcluster, gke or eks environment. */
export function planKubernetesVersion(ctx: DevEnvironmentContext): VersionPlan {
  const type = ctx.env.spec.type;
  if (type === 'namespace') throw new Error('namespace environments have no Kubernetes version of their own');
  const observed = observedVersions(type, ctx.observed);
  const asked = minorOf(observed.controlPlaneAsked);
  return asked === undefined
    ? newEnvironment(ctx, type)
    : existingEnvironment(ctx, offerFor(type, ctx.policy), observed, asked);
}
