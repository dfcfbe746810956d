import { Ready, Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { asObservedReady, desiredOf, readYaml, requestFor, statusOf } from '../support/request.js';
import { validateComposed } from '../support/models.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

const NOW = { now: () => FIXED_NOW };
const namespaceXr = readYaml('examples/devenvironment/namespace/xr.yaml');
const vclusterExample = readYaml('examples/devenvironment/vcluster/xr.yaml');
/** The vcluster example with two tools, so these tests do not follow the example's tool list. */
const vclusterXr = {
  ...vclusterExample,
  spec: { ...(vclusterExample.spec as JsonObject), tools: ['argocd', 'dapr'] },
};
const legacyXr = readYaml('examples/claims/devenvironment/xr.yaml');
/** Composed resource names, without the deletion-order Usages (tested on their own). */
const names = (rsp: ReturnType<typeof runFunction>) =>
  Object.keys(desiredOf(rsp))
    .filter((n) => !n.startsWith('usage-'))
    .sort();
const manifest = (o: JsonObject | undefined) =>
  (o?.spec as { forProvider: { manifest: JsonObject } }).forProvider.manifest;
const forProvider = (o: JsonObject | undefined) => (o?.spec as { forProvider: JsonObject }).forProvider;

describe('namespace environment', () => {
  const rounds = simulate(namespaceXr);

  it('creates the namespace first and the rest once it is ready', () => {
    expect(names(rounds[0]!.response)).toEqual(['namespace']);
    expect(names(rounds[1]!.response)).toEqual([
      'argocd-project',
      'limit-range',
      'namespace',
      'network-policy',
      'resource-quota',
      'rolebinding-access',
      'rolebinding-team',
    ]);
    expect(statusOf(rounds[0]!.response).phase).toBe('Pending');
    expect(statusOf(rounds[1]!.response).phase).toBe('Provisioning');
    expect(statusOf(rounds[rounds.length - 1]!.response).phase).toBe('Ready');
  });

  it('sizes quotas and limits from the policy, and binds the team and spec.access', () => {
    const d = desiredOf(rounds[rounds.length - 1]!.response);
    expect(manifest(d.namespace)).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'team-payments-checkout-dev' },
    });
    expect(manifest(d['resource-quota'])).toMatchObject({
      kind: 'ResourceQuota',
      metadata: { namespace: 'team-payments-checkout-dev' },
      spec: { hard: { 'requests.cpu': '4', pods: '50' } },
    });
    expect(manifest(d['limit-range'])).toMatchObject({
      spec: { limits: [{ type: 'Container', default: { cpu: '1' } }] },
    });
    expect(manifest(d['network-policy'])).toMatchObject({
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    });
    expect(manifest(d['rolebinding-team'])).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'Group', name: 'payments' }],
    });
    expect(manifest(d['rolebinding-access'])).toMatchObject({
      subjects: [
        { kind: 'Group', name: 'sre-oncall' },
        { kind: 'User', name: 'alice@example.com' },
      ],
    });
    for (const body of Object.values(d)) {
      expect(body.apiVersion).toBe('kubernetes.m.crossplane.io/v1alpha1');
      expect(body.spec).toMatchObject({
        providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
      });
      validateComposed(body);
    }
  });

  it('reports status with the host namespace and expiry', () => {
    expect(statusOf(rounds[rounds.length - 1]!.response)).toEqual({
      phase: 'Ready',
      namespace: 'team-payments-checkout-dev',
      tools: [],
      expiresAt: '2026-11-23T09:00:00Z',
      // Its ttl puts it to sleep (through the host's kube-green) when it runs out.
      sleep: { asleep: false, since: '2026-11-20T09:00:00Z', nextChange: '2026-11-23T09:00:00Z' },
      // The simulated providers report every resource Ready at 09:05, five minutes after creation.
      provisioning: {
        readyAt: '2026-11-20T09:05:00Z',
        seconds: 300,
        stages: [
          { name: 'Namespace', readyAt: '2026-11-20T09:05:00Z' },
          { name: 'Registration', readyAt: '2026-11-20T09:05:00Z' },
        ],
      },
      argocdClusterName: 'in-cluster',
      argocdProject: 'devenv-team-payments-checkout-dev',
      kubernetesProviderConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
    });
  });

  it('refuses cluster-wide tools with a clear message', () => {
    const xr = { ...namespaceXr, spec: { ...(namespaceXr.spec as JsonObject), tools: ['argocd'] } };
    const rsp = runFunction(requestFor(xr), NOW);
    expect(rsp.results[0]?.severity).toBe(Severity.SEVERITY_FATAL);
    expect(rsp.results[0]?.message).toMatch(/spec\.tools\[0\]: "argocd" installs cluster-wide resources/);
    expect(desiredOf(rsp)).toEqual({});
  });

  it('marks the environment expired once its ttl ran out', () => {
    const rsp = runFunction(requestFor(namespaceXr), { now: () => new Date('2026-12-01T00:00:00Z') });
    expect(rsp.conditions.map((c) => c.type)).toContain('Expired');
  });
});

describe('vcluster environment', () => {
  const rounds = simulate(vclusterXr);
  const last = desiredOf(rounds[rounds.length - 1]!.response);

  it('comes up in stages gated on readiness', () => {
    expect(rounds.map((r) => names(r.response))).toEqual([
      ['namespace'],
      ['kubeconfig-export-role', 'kubeconfig-export-rolebinding', 'namespace', 'vcluster'],
      [
        'argocd-cluster',
        'kubeconfig-export-role',
        'kubeconfig-export-rolebinding',
        'namespace',
        'providerconfig-helm',
        'providerconfig-kubernetes',
        'vcluster',
      ],
      [
        'argocd-cluster',
        'argocd-project',
        'cluster-admin-binding',
        'kubeconfig-export-role',
        'kubeconfig-export-rolebinding',
        'namespace',
        'providerconfig-helm',
        'providerconfig-kubernetes',
        'tool-argocd',
        'tool-dapr',
        // Its ttl puts it to sleep when it runs out, which kube-green in the vcluster carries out.
        'tool-kube-green',
        'vcluster',
      ],
      expect.any(Array),
    ]);
  });

  it('says what it waits on', () => {
    const message = (i: number) =>
      rounds[i]!.response.conditions.find((c) => c.type === 'EnvironmentReady')?.message;
    expect(message(0)).toBe(
      'waiting for: namespace team-search-ranking (not created yet), needed by vcluster ranking for the namespace it runs in',
    );
    expect(message(1)).toBe(
      "waiting for: vcluster ranking (not created yet), needed by the platform's Helm access to the vcluster ranking for its API and kubeconfig",
    );
    expect(message(3)).toBe(
      "not ready yet: the team's cluster-admin binding, tool argocd, tool dapr, tool kube-green, Argo CD project devenv-team-search-ranking, the deletion order (4 Usages)",
    );
  });

  it('installs a pinned vcluster chart whose kubeconfig works from inside the host cluster', () => {
    const release = forProvider(last.vcluster);
    expect(release.chart).toEqual({
      repository: 'https://charts.loft.sh',
      name: 'vcluster',
      version: '0.36.1',
    });
    expect(release.namespace).toBe('team-search-ranking');
    expect(release.values).toMatchObject({
      controlPlane: {
        distro: { k8s: { enabled: true, image: { tag: 'v1.36.0' } } },
        proxy: { extraSANs: ['ranking.team-search-ranking.svc'] },
      },
      exportKubeConfig: {
        server: 'https://ranking.team-search-ranking.svc',
        additionalSecrets: [
          {
            name: 'ranking-kubeconfig',
            namespace: 'team-search',
            server: 'https://ranking.team-search-ranking.svc',
          },
        ],
      },
      policies: {
        resourceQuota: { enabled: true, quota: { 'count/pods': '40' } },
        networkPolicy: { enabled: true },
      },
    });
    expect((last.vcluster?.metadata as JsonObject).annotations).toEqual({
      'crossplane.io/external-name': 'ranking',
    });
  });

  it('builds ProviderConfigs from the exported kubeconfig and installs tools through them', () => {
    expect(last['providerconfig-helm']).toMatchObject({
      apiVersion: 'helm.m.crossplane.io/v1beta1',
      kind: 'ProviderConfig',
      metadata: { name: 'devenv-team-search-ranking', namespace: 'team-search' },
      spec: {
        credentials: {
          source: 'Secret',
          secretRef: { name: 'ranking-kubeconfig', namespace: 'team-search', key: 'config' },
        },
      },
    });
    expect(last['tool-argocd']).toMatchObject({
      spec: {
        forProvider: { chart: { name: 'argo-cd', version: '9.1.0' }, namespace: 'argocd' },
        providerConfigRef: { kind: 'ProviderConfig', name: 'devenv-team-search-ranking' },
      },
    });
    for (const body of Object.values(last)) validateComposed(body);
  });

  it('reports server, kubeconfig and tools in status', () => {
    const status = statusOf(rounds[rounds.length - 1]!.response);
    expect(status).toMatchObject({
      phase: 'Ready',
      namespace: 'team-search-ranking',
      server: 'https://ranking.team-search-ranking.svc',
      kubeconfigSecretRef: { name: 'ranking-kubeconfig', namespace: 'team-search', key: 'config' },
      tools: [
        { name: 'argocd', version: '9.1.0', ready: true },
        { name: 'dapr', version: '1.18.3', ready: true },
        { name: 'kube-green', version: '0.7.1', ready: true },
      ],
      expiresAt: '2026-11-27T09:00:00Z',
    });
  });

  it('keeps installed tools when the vcluster stops being ready', () => {
    const observed = Object.entries(last).map(([n, b]) =>
      asObservedReady(vclusterXr, n, b, n !== 'vcluster'),
    );
    const rsp = runFunction(requestFor(vclusterXr, { observed }), NOW);
    expect(Object.keys(desiredOf(rsp)).sort()).toEqual(Object.keys(last).sort());
    expect(rsp.desired?.resources.vcluster?.ready).toBe(Ready.READY_FALSE);
    expect(statusOf(rsp).phase).toBe('Provisioning');
  });

  it('installs dependencies first', () => {
    const input = {
      apiVersion: 'devplatform.fn.crossplane.io/v1alpha1',
      kind: 'Policy',
      tools: {
        dapr: {
          chart: { repository: 'https://dapr.github.io/helm-charts', name: 'dapr', version: '1.18.3' },
          dependsOn: ['argocd'],
        },
      },
    };
    const xr = { ...vclusterXr, spec: { ...(vclusterXr.spec as JsonObject), tools: ['dapr'] } };
    const r = simulate(xr, input);
    const toolsPerRound = r.map((x) =>
      names(x.response).filter((n) => n.startsWith('tool-') && n !== 'tool-kube-green'),
    );
    expect(toolsPerRound).toContainEqual(['tool-argocd']);
    expect(toolsPerRound[toolsPerRound.length - 1]).toEqual(['tool-argocd', 'tool-dapr']);
  });

  it('rejects platform values that break the chart schema, naming them', () => {
    const input = {
      apiVersion: 'devplatform.fn.crossplane.io/v1alpha1',
      kind: 'Policy',
      environments: { vcluster: { values: { controlPlane: { notAField: true } } } },
    };
    const observed = [asObservedReady(vclusterXr, 'namespace', last.namespace!)];
    const rsp = runFunction(requestFor(vclusterXr, { observed, input }), NOW);
    expect(rsp.results[0]?.severity).toBe(Severity.SEVERITY_FATAL);
    expect(rsp.results[0]?.message).toMatch(/controlPlane\.notAField: is not a known field/);
  });
});

describe('legacy XR with a claim', () => {
  const rounds = simulate(legacyXr);
  const last = desiredOf(rounds[rounds.length - 1]!.response);

  it('composes the legacy cluster-scoped groups', () => {
    expect(last.namespace?.apiVersion).toBe('kubernetes.crossplane.io/v1alpha2');
    expect(last.vcluster?.apiVersion).toBe('helm.crossplane.io/v1beta1');
    expect(last['providerconfig-helm']).toMatchObject({
      apiVersion: 'helm.crossplane.io/v1beta1',
      metadata: { name: 'devenv-team-legacy-legacy-app' },
      spec: {
        credentials: {
          secretRef: { name: 'vc-legacy-app', namespace: 'team-legacy-legacy-app', key: 'config' },
        },
      },
    });
    expect(last['tool-argocd']?.spec).toMatchObject({
      providerConfigRef: { name: 'devenv-team-legacy-legacy-app' },
    });
    expect(last['kubeconfig-export-role']).toBeUndefined();
    for (const body of Object.values(last)) {
      expect(JSON.stringify(body.spec)).not.toMatch(/"kind":"ClusterProviderConfig"/);
      validateComposed(body);
    }
  });
});
