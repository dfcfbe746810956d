import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AWS } from '../../functions/shared/resources/aws.js';
import { GCP } from '../../functions/shared/resources/gcp.js';
import { walk } from '../../scripts/tools.mjs';
import { REPO, readYaml } from '../support/request.js';

/**
 * Each Configuration's ManagedResourceActivationPolicy activates exactly the managed resource kinds
 * the function composes for its APIs. A safe-start provider (Crossplane v2) installs its kinds
 * inactive, and Crossplane cannot create a composed resource of an inactive kind, so a kind missing
 * here breaks every XR that composes it; a kind too many is a controller the platform runs for
 * nothing. make e2e installs the Configurations beside safe-start stand-in providers, so the policy
 * is also proven live for the examples it drives.
 */

/** Crossplane core's own kinds, and the provider kinds Crossplane never turns into MRDs. */
const NOT_MANAGED_GROUPS = new Set(['protection.crossplane.io']);
const NOT_MANAGED_KINDS = new Set([
  'ProviderConfig',
  'ClusterProviderConfig',
  'ProviderConfigUsage',
  'ClusterProviderConfigUsage',
]);

type Kind = { group: string; kind: string; namespaced: boolean };
const kindKey = (k: Kind) => `${k.kind}.${k.group}`;
const isManaged = (k: Kind) => !NOT_MANAGED_GROUPS.has(k.group) && !NOT_MANAGED_KINDS.has(k.kind);

/** Kubernetes' plural of a kind, as controller-gen and upjet name the CRDs we compose. */
function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
const mrdName = (k: Kind) => `${plural(k.kind)}.${k.group}`;

function kindOf(apiVersion: string, kind: string): Kind {
  const group = apiVersion.split('/')[0]!;
  // Every namespaced provider kind we compose is in a `.m.` group; provider-argocd has none.
  return { group, kind, namespaced: /\.m\.(upbound\.io|crossplane\.io)$/.test(group) };
}

/** Every managed kind in the golden responses: under test/golden/claims for the legacy APIs. */
function goldenKinds(legacy: boolean): Kind[] {
  const dir = join(REPO, 'test', 'golden');
  const files = walk(dir).filter((f) => f.endsWith('.json') && f.includes('/claims/') === legacy);
  const kinds = new Map<string, Kind>();
  for (const file of files) {
    const response = JSON.parse(readFileSync(file, 'utf8')) as {
      desired?: { resources?: Record<string, { resource: { apiVersion: string; kind: string } }> };
    };
    for (const { resource } of Object.values(response.desired?.resources ?? {})) {
      const k = kindOf(resource.apiVersion, resource.kind);
      if (isManaged(k)) kinds.set(kindKey(k), k);
    }
  }
  return [...kinds.values()];
}

/** Every cloud kind the function's resource tables can build, in the flavour's group. */
function tableKinds(legacy: boolean): Kind[] {
  return [...Object.values(GCP), ...Object.values(AWS)].map((models) => {
    const model = (legacy ? models.legacy : models.namespaced) as unknown as {
      apiVersion: string;
      kind: string;
    };
    return kindOf(model.apiVersion, model.kind);
  });
}

function activated(file: string): string[] {
  const policy = readYaml(file) as {
    apiVersion: string;
    kind: string;
    spec: { activate: string[] };
  };
  expect(policy).toMatchObject({
    apiVersion: 'apiextensions.crossplane.io/v1alpha1',
    kind: 'ManagedResourceActivationPolicy',
  });
  return policy.spec.activate;
}

describe.each([
  { file: 'apis/activation.yaml', legacy: false },
  { file: 'apis/claims/activation.yaml', legacy: true },
])('$file', ({ file, legacy }) => {
  const names = activated(file);

  it('names each kind once, without wildcards', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
  });

  it('activates every managed kind the golden responses contain', () => {
    const golden = goldenKinds(legacy);
    expect(golden.length).toBeGreaterThan(20);
    const missing = golden.map(mrdName).filter((n) => !names.includes(n));
    expect(missing).toEqual([]);
  });

  it('activates exactly what the function composes: the goldens and its cloud resource tables', () => {
    const composed = new Set([...goldenKinds(legacy), ...tableKinds(legacy)].map(mrdName));
    expect([...names].sort()).toEqual([...composed].sort());
  });

  it('activates only kinds of its own scope', () => {
    for (const k of [...goldenKinds(legacy), ...tableKinds(legacy)]) expect(k.namespaced).toBe(!legacy);
  });

  const crdsDir = resolve(REPO, process.env.CRDS_DIR || '../shared/crds');
  (existsSync(crdsDir) ? it : it.skip)('names real CRDs of the pinned providers (CRDS_DIR)', () => {
    const crds = new Set(
      readdirSync(crdsDir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.yaml'))
        .map((f) =>
          f
            .split('/')
            .pop()!
            .replace(/\.yaml$/, ''),
        ),
    );
    expect(names.filter((n) => !crds.has(n))).toEqual([]);
  });
});
