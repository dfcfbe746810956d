import type { DevEnvironmentContext } from '../../functions/devenvironment/context.js';
import {
  planKubernetesVersion,
  type VersionPlan,
} from '../../functions/devenvironment/kubernetes-version.js';
import { InputError } from '../../functions/shared/errors.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { devEnvironmentContext } from '../support/stage.js';

/**
 * The version plan (issue 20): what each environment type is asked to run, decided from what it
 * runs. Observed objects carry only the fields the plan reads.
 */
const GKE = 'examples/devenvironment/gke/xr.yaml';
const EKS = 'examples/devenvironment/eks/xr.yaml';
const VCLUSTER = 'examples/devenvironment/vcluster/xr.yaml';

const gkeCluster = (asked: string, runs = `${asked}.5-gke.1163000`): [string, JsonObject] => [
  'gke-cluster',
  { spec: { forProvider: { minMasterVersion: asked } }, status: { atProvider: { masterVersion: runs } } },
];
const gkeNodes = (runs: string): [string, JsonObject] => [
  'gke-nodepool',
  { status: { atProvider: { version: runs } } },
];
const eksCluster = (asked: string, runs = asked): [string, JsonObject] => [
  'eks-cluster',
  { spec: { forProvider: { version: asked } }, status: { atProvider: { version: runs } } },
];
const eksNodes = (asked: string, runs = asked): [string, JsonObject] => [
  'eks-nodegroup',
  { spec: { forProvider: { version: asked } }, status: { atProvider: { version: runs } } },
];

function plan(
  example: string,
  observed: Array<[string, JsonObject]>,
  spec: { kubernetesVersion?: string } = {},
): VersionPlan {
  const base = devEnvironmentContext(example, new Map(observed));
  const ctx: DevEnvironmentContext = {
    ...base,
    env: { ...base.env, spec: { ...base.env.spec, ...spec, kubernetesVersion: spec.kubernetesVersion } },
  };
  return planKubernetesVersion(ctx);
}

describe('a new environment', () => {
  it("is created with spec.kubernetesVersion, or the policy's default", () => {
    expect(plan(GKE, [], { kubernetesVersion: '1.36' }).controlPlane).toBe('1.36');
    expect(plan(GKE, []).controlPlane).toBe('1.35');
    expect(plan(EKS, []).nodes).toBe('1.35');
  });

  it('is refused a version the platform does not offer, naming what it offers (the developer’s to fix)', () => {
    expect(() => plan(GKE, [], { kubernetesVersion: '1.34' })).toThrow(InputError);
    expect(() => plan(GKE, [], { kubernetesVersion: '1.34' })).toThrow(
      '"1.34" is not offered for gke; the platform offers 1.35, 1.36',
    );
  });
});

describe.each([
  {
    name: 'keeps what it runs when the policy default moves (spec.kubernetesVersion not set)',
    example: GKE,
    observed: [gkeCluster('1.36'), gkeNodes('1.36.5-gke.1163000')],
    spec: {},
    want: { controlPlane: '1.36', runs: '1.36', reason: 'Current' },
  },
  {
    name: 'starts an upgrade of one minor version with the control plane',
    example: GKE,
    observed: [gkeCluster('1.35'), gkeNodes('1.35.5-gke.1163000')],
    spec: { kubernetesVersion: '1.36' },
    want: { controlPlane: '1.36', runs: '1.35', reason: 'Upgrading', stage: 'ControlPlane' },
  },
  {
    name: 'refuses a skip, naming the next step, and keeps running',
    example: GKE,
    observed: [gkeCluster('1.35'), gkeNodes('1.35.5-gke.1163000')],
    spec: { kubernetesVersion: '1.37' },
    want: {
      controlPlane: '1.35',
      reason: 'UpgradeRefused',
      message:
        'spec.kubernetesVersion 1.37 is more than one minor version above 1.35, which the environment runs; upgrade one minor version at a time: set 1.36 first; it keeps running 1.35',
    },
  },
  {
    name: 'refuses a downgrade',
    example: GKE,
    observed: [gkeCluster('1.36'), gkeNodes('1.36.1-gke.1')],
    spec: { kubernetesVersion: '1.35' },
    want: { controlPlane: '1.36', reason: 'UpgradeRefused', message: /cannot be downgraded in place/ },
  },
  {
    name: 'eks: nodes stay while the control plane upgrades',
    example: EKS,
    observed: [eksCluster('1.36', '1.35'), eksNodes('1.35')],
    spec: { kubernetesVersion: '1.36' },
    want: { controlPlane: '1.36', nodes: '1.35', runs: '1.35', reason: 'Upgrading', stage: 'ControlPlane' },
  },
  {
    name: 'eks: nodes follow once the control plane reports the new version',
    example: EKS,
    observed: [eksCluster('1.36'), eksNodes('1.35')],
    spec: { kubernetesVersion: '1.36' },
    want: { controlPlane: '1.36', nodes: '1.36', runs: '1.35', reason: 'Upgrading', stage: 'Nodes' },
  },
  {
    name: 'eks: refuses the next step while an upgrade is under way',
    example: EKS,
    observed: [eksCluster('1.36', '1.35'), eksNodes('1.35')],
    spec: { kubernetesVersion: '1.37' },
    want: {
      controlPlane: '1.36',
      reason: 'UpgradeRefused',
      stage: 'ControlPlane',
      message: /the upgrade from 1.35 to 1.36 is still under way/,
    },
  },
  {
    name: 'vcluster: keeps its image while its minor stays',
    example: VCLUSTER,
    observed: [
      [
        'vcluster',
        {
          spec: {
            forProvider: { values: { controlPlane: { distro: { k8s: { image: { tag: 'v1.36.2' } } } } } },
          },
        },
      ],
    ],
    spec: { kubernetesVersion: '1.36' },
    want: { controlPlane: '1.36', runs: '1.36', reason: 'Current' },
  },
] as const)('an existing environment $name', ({ example, observed, spec, want }) => {
  const result = plan(example, [...observed] as Array<[string, JsonObject]>, spec);
  it('asks for the right versions', () => {
    expect(result.controlPlane).toBe(want.controlPlane);
    if ('nodes' in want) expect(result.nodes).toBe(want.nodes);
    if ('runs' in want) expect(result.runs).toBe(want.runs);
    expect(result.upgrade?.stage).toBe('stage' in want ? want.stage : undefined);
  });
  it('says so in the KubernetesVersion condition', () => {
    expect(result.condition.reason).toBe(want.reason);
    if ('message' in want && want.message !== undefined)
      expect(result.condition.message).toMatch(want.message);
  });
});

describe('support', () => {
  it('warns when what runs is past its end of support, naming the upgrade', () => {
    const result = plan(GKE, [gkeCluster('1.34'), gkeNodes('1.34.9-gke.1')]);
    expect(result.controlPlane).toBe('1.34');
    expect(result.warnings.map((w) => w.message)).toEqual([
      'Kubernetes 1.34, which this environment runs, reached its end of support on 2026-10-01; upgrade to 1.35 (spec.kubernetesVersion: "1.35" first)',
    ]);
  });

  it('warns, never fails, when the platform no longer offers what runs', () => {
    const result = plan(EKS, [eksCluster('1.34'), eksNodes('1.34')]);
    expect(result.controlPlane).toBe('1.34');
    expect(result.condition.reason).toBe('Current');
    expect(result.warnings.map((w) => w.reason)).toEqual(['KubernetesVersionNotOffered']);
  });
});
