import { parseDevEnvironment } from '../../functions/devenvironment/spec.js';
import { resolvePolicy } from '../../functions/shared/policy/policy.js';

const policy = resolvePolicy(undefined);
const xr = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'env', namespace: 'team-a' },
) => ({
  apiVersion: 'devplatform.io/v1alpha1',
  kind: 'DevEnvironment',
  metadata,
  spec,
});

describe('parseDevEnvironment', () => {
  it('applies defaults from the XRD and the policy', () => {
    const { identity, spec } = parseDevEnvironment('namespaced', xr({ team: 'a', type: 'vcluster' }), policy);
    expect(identity).toEqual({
      flavor: 'namespaced',
      name: 'env',
      namespace: 'team-a',
      xrNamespace: 'team-a',
      key: 'team-a-env',
    });
    expect(spec).toEqual({
      team: 'a',
      type: 'vcluster',
      size: 'small',
      tools: ['argocd'],
      access: { groups: [], users: [] },
    });
  });

  it('takes the name a team knows from the claim for legacy XRs', () => {
    const legacy = {
      apiVersion: 'claims.devplatform.io/v1alpha1',
      kind: 'XDevEnvironment',
      metadata: {
        name: 'env-x7k2p',
        labels: { 'crossplane.io/claim-name': 'env', 'crossplane.io/claim-namespace': 'team-b' },
      },
      spec: { team: 'b', type: 'namespace', claimRef: { name: 'env' } },
    };
    expect(parseDevEnvironment('legacy', legacy, policy).identity).toEqual({
      flavor: 'legacy',
      name: 'env',
      namespace: 'team-b',
      key: 'team-b-env',
    });
  });

  it.each([
    [{ type: 'namespace' }, /spec\.team: is required/],
    [{ team: 'a', type: 'kubernetes' }, /spec\.type: must be one of "namespace", "vcluster", "gke", "eks"/],
    [{ team: 'a', type: 'namespace', size: 'huge' }, /spec\.size: must be one of "small", "medium", "large"/],
    [{ team: 'a', type: 'gke' }, /input\.environments\.gke\.project: is required for gke environments/],
    [
      { team: 'a', type: 'eks', region: 'mars-1' },
      /spec\.region: "mars-1" is not offered for eks; the platform offers eu-central-1, eu-west-1/,
    ],
    [
      { team: 'a', type: 'eks', kubernetesVersion: '1.20' },
      /spec\.kubernetesVersion: "1\.20" is not offered for eks; the platform offers 1\.35/,
    ],
    [
      { team: 'a', type: 'namespace', region: 'eu-west-1' },
      /spec\.region: namespace environments run on the host cluster; leave it out/,
    ],
    [
      { team: 'a', type: 'vcluster', tools: ['argocd', 'nope'] },
      /spec\.tools\[1\]: unknown tool "nope"; the catalogue has: argocd, cloudnative-pg, dapr, external-secrets/,
    ],
    [
      { team: 'a', type: 'vcluster', tools: ['argocd', 'argocd'] },
      /spec\.tools\[1\]: "argocd" is listed twice/,
    ],
    [{ team: 'a', type: 'namespace', ttl: '3 weeks' }, /spec\.ttl: must match pattern/],
    [
      { team: 'a', type: 'vcluster', kubernetesVersion: '1.20' },
      /spec\.kubernetesVersion: "1\.20" is not offered for vcluster; the platform offers 1\.35, 1\.36/,
    ],
    [{ team: 'Team A', type: 'namespace' }, /spec\.team: must match pattern/],
    [{ team: 'a', type: 'namespace', access: { users: 'alice' } }, /spec\.access\.users: must be array/],
  ])('rejects %j naming the field', (spec, message) => {
    expect(() => parseDevEnvironment('namespaced', xr(spec), policy)).toThrow(message);
  });

  it('takes a version the platform no longer offers from an environment that runs it (kubernetes-version.ts decides)', () => {
    const running = new Map([['eks-cluster', { spec: { forProvider: { version: '1.33' } } }]]);
    const parsed = parseDevEnvironment(
      'namespaced',
      xr({ team: 'a', type: 'eks', kubernetesVersion: '1.33' }),
      policy,
      running,
    );
    expect(parsed.spec.kubernetesVersion).toBe('1.33');
  });

  it('reports every bad field at once', () => {
    expect(() =>
      parseDevEnvironment(
        'namespaced',
        xr({ team: 'a', type: 'vcluster', tools: ['x'], kubernetesVersion: '1.1' }),
        policy,
      ),
    ).toThrow(/spec\.tools\[0\].*; spec\.kubernetesVersion/);
  });

  it('rejects an XR without spec or namespace', () => {
    expect(() =>
      parseDevEnvironment('namespaced', { metadata: { name: 'x', namespace: 'y' } }, policy),
    ).toThrow(/^spec: /);
    expect(() =>
      parseDevEnvironment('namespaced', xr({ team: 'a', type: 'namespace' }, { name: 'x' }), policy),
    ).toThrow(/metadata\.namespace/);
  });
});
