import { runFunction } from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { validateComposed } from '../support/models.js';
import {
  asObservedReady,
  compositionInput,
  desiredOf,
  readYaml,
  requestFor,
  statusOf,
} from '../support/request.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

const V2 = compositionInput('apis/devenvironment/composition.yaml');
const LEGACY = compositionInput('apis/claims/devenvironment/composition.yaml');
const xr = readYaml('examples/devenvironment/gke/xr.yaml');
const legacyXr = readYaml('examples/claims/devenvironment-gke/xr.yaml');
const keys = (rsp: ReturnType<typeof runFunction>) =>
  Object.keys(desiredOf(rsp))
    .filter((n) => !n.startsWith('usage-'))
    .sort();
const forProvider = (o: JsonObject | undefined) => (o?.spec as { forProvider: JsonObject }).forProvider;
const withInput = (extra: JsonObject): JsonObject => ({
  ...V2,
  environments: {
    ...(V2.environments as JsonObject),
    gke: { ...((V2.environments as JsonObject).gke as JsonObject), ...extra },
  },
});

describe('gke environment', () => {
  const rounds = simulate(xr, V2);
  const last = desiredOf(rounds[rounds.length - 1]!.response);

  it('comes up in stages: network and identity, cluster, nodes, then what goes inside', () => {
    const stages = rounds.map((r) => keys(r.response));
    expect(stages[0]).toEqual(['gke-network', 'gke-node-serviceaccount']);
    expect(stages[1]).toEqual(expect.arrayContaining(['gke-subnetwork', 'gke-node-role-logging-logwriter']));
    expect(stages[1]).not.toContain('gke-cluster');
    expect(stages[2]).toContain('gke-cluster');
    expect(stages[2]).not.toContain('gke-nodepool');
    expect(stages[3]).toContain('gke-nodepool');
    expect(stages[3]).not.toContain('providerconfig-helm');
    // The Argo CD registration needs the endpoint the cluster reports; tools need nodes.
    expect(stages[3]).toContain('argocd-cluster');
    expect(stages[4]).toEqual(expect.arrayContaining(['providerconfig-helm', 'providerconfig-kubernetes']));
    expect(stages[5]).toEqual(expect.arrayContaining(['tool-knative-operator', 'tool-argocd']));
    expect(stages[5]?.some((k) => k.startsWith('tool-knative-serving'))).toBe(false);
    expect(stages[stages.length - 1]).toEqual(
      expect.arrayContaining([
        'tool-knative-serving-namespace-knative-serving',
        'tool-knative-serving-knativeserving-knative-serving',
      ]),
    );
  });

  it('says which stage it waits on', () => {
    const message = (i: number) =>
      rounds[i]!.response.conditions.find((c) => c.type === 'EnvironmentReady')?.message;
    expect(message(0)).toMatch(/^waiting for: VPC network devenv-team-ml-ml-sandbox \(not created yet\)/);
    expect(message(2)).toMatch(/waiting for: GKE cluster team-ml-ml-sandbox \(not created yet\)/);
  });

  it('builds a private-ranged cluster with workload identity, sized nodes and a kubeconfig Secret', () => {
    expect(forProvider(last['gke-subnetwork'])).toMatchObject({
      region: 'europe-west4',
      ipCidrRange: '10.0.0.0/20',
      secondaryIpRange: [
        { rangeName: 'pods', ipCidrRange: '10.16.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.20.0.0/20' },
      ],
      networkSelector: {
        matchControllerRef: true,
        matchLabels: { 'devplatform.io/component': 'gke-network' },
      },
    });
    expect(last['gke-cluster']).toMatchObject({
      apiVersion: 'container.gcp.m.upbound.io/v1beta1',
      metadata: { annotations: { 'crossplane.io/external-name': 'team-ml-ml-sandbox' } },
      spec: {
        forProvider: {
          project: 'acme-dev-environments',
          location: 'europe-west4',
          minMasterVersion: '1.35',
          releaseChannel: { channel: 'REGULAR' },
          deletionProtection: false,
          removeDefaultNodePool: true,
          workloadIdentityConfig: { workloadPool: 'acme-dev-environments.svc.id.goog' },
          ipAllocationPolicy: { clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'services' },
        },
        writeConnectionSecretToRef: { name: 'ml-sandbox-gke-kubeconfig' },
      },
    });
    expect(forProvider(last['gke-nodepool'])).toMatchObject({
      autoscaling: { minNodeCount: 1, maxNodeCount: 4 },
      nodeConfig: {
        machineType: 'e2-standard-8',
        spot: true,
        serviceAccount: 'devenv-team-ml-ml-sandbox@acme-dev-environments.iam.gserviceaccount.com',
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
      },
    });
    expect(forProvider(last['gke-node-role-logging-logwriter'])).toEqual({
      project: 'acme-dev-environments',
      role: 'roles/logging.logWriter',
      member: 'serviceAccount:devenv-team-ml-ml-sandbox@acme-dev-environments.iam.gserviceaccount.com',
    });
    for (const body of Object.values(last)) validateComposed(body);
  });

  it('reaches the cluster with the kubeconfig plus the provider pods own Google identity', () => {
    expect(last['providerconfig-helm']?.spec).toEqual({
      credentials: {
        source: 'Secret',
        secretRef: { name: 'ml-sandbox-gke-kubeconfig', namespace: 'team-ml', key: 'kubeconfig' },
      },
      identity: { type: 'GoogleApplicationCredentials', source: 'InjectedIdentity' },
    });
  });

  it('registers with Argo CD through its own Google identity, copying no credentials', () => {
    const registration = forProvider(last['argocd-cluster']).manifest as JsonObject;
    expect(registration).toMatchObject({
      apiVersion: 'cluster.argocd.crossplane.io/v1alpha1',
      kind: 'Cluster',
      spec: {
        forProvider: {
          name: 'devenv-team-ml-ml-sandbox',
          server: 'https://34.90.12.34',
          labels: { 'devplatform.io/team': 'ml', 'devplatform.io/type': 'gke' },
          config: {
            execProviderConfig: { command: 'argocd-k8s-auth', args: ['gcp'] },
            tlsClientConfig: { insecure: false },
          },
        },
        providerConfigRef: { name: 'argocd' },
      },
    });
    expect(JSON.stringify(last)).not.toMatch(/"(token|bearerToken|password|privateKey)"\s*:/i);
  });

  it('waits for the endpoint and CA before registering with Argo CD', () => {
    const observed = Object.entries(last)
      .filter(([n]) => !n.startsWith('argocd-') && !n.startsWith('usage-argocd'))
      .map(([n, b]) => {
        const o = asObservedReady(xr, n, b);
        if (n !== 'gke-cluster') return o;
        const { atProvider: _reported, ...status } = o.status as JsonObject;
        return { ...o, status };
      });
    const rsp = runFunction(requestFor(xr, { observed, input: V2 }), { now: () => FIXED_NOW });
    expect(desiredOf(rsp)['argocd-cluster']).toBeUndefined();
    expect(statusOf(rsp).server).toBeUndefined();
    expect(rsp.conditions.find((c) => c.type === 'EnvironmentReady')?.message).toBe(
      'waiting for: GKE cluster team-ml-ml-sandbox (endpoint and CA not reported yet), needed by Argo CD cluster devenv-team-ml-ml-sandbox for the endpoint and CA it registers',
    );
  });

  it('reports server, kubeconfig, region, tools and the Argo CD names in status', () => {
    expect(statusOf(rounds[rounds.length - 1]!.response)).toMatchObject({
      phase: 'Ready',
      server: 'https://34.90.12.34',
      region: 'europe-west4',
      kubeconfigSecretRef: { name: 'ml-sandbox-gke-kubeconfig', namespace: 'team-ml', key: 'kubeconfig' },
      argocdClusterName: 'devenv-team-ml-ml-sandbox',
      argocdProject: 'devenv-team-ml-ml-sandbox',
      tools: [
        { name: 'knative-operator', version: 'v1.23.0', ready: true },
        { name: 'knative-serving', version: '1.23', ready: true },
        { name: 'argocd', version: '9.1.0', ready: true },
        { name: 'dapr', version: '1.18.3', ready: true },
        { name: 'external-secrets', version: '2.9.0', ready: true },
      ],
      network: {
        project: 'acme-dev-environments',
        network: 'projects/acme-dev-environments/global/networks/devenv-team-ml-ml-sandbox',
      },
    });
  });

  it('gives a created network private services access for Cloud SQL, and reports an existing one as its self link', () => {
    const d = desiredOf(rounds[rounds.length - 1]!.response);
    expect(forProvider(d['gke-private-services-range'])).toMatchObject({
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      address: '10.64.0.0',
      prefixLength: 16,
      networkSelector: { matchLabels: { 'devplatform.io/component': 'gke-network' } },
    });
    expect(forProvider(d['gke-private-services-connection'])).toMatchObject({
      service: 'servicenetworking.googleapis.com',
      deletionPolicy: 'ABANDON',
      reservedPeeringRangesSelector: {
        matchLabels: { 'devplatform.io/component': 'gke-private-services-range' },
      },
    });
    const input = withInput({
      network: {
        existing: {
          network: 'https://www.googleapis.com/compute/v1/projects/shared-host/global/networks/shared-vpc',
          subnetwork: 'dev-europe',
          podsRangeName: 'gke-pods',
          servicesRangeName: 'gke-svc',
        },
      },
    });
    const r = simulate(xr, input);
    const last = r[r.length - 1]!.response;
    expect(Object.keys(desiredOf(last)).filter((k) => k.startsWith('gke-private-services'))).toEqual([]);
    expect(statusOf(last).network).toEqual({
      project: 'acme-dev-environments',
      network: 'projects/shared-host/global/networks/shared-vpc',
    });
  });

  it('uses an existing network from the policy instead of creating one', () => {
    const input = withInput({
      network: {
        existing: {
          network: 'shared-vpc',
          subnetwork: 'dev-europe',
          podsRangeName: 'gke-pods',
          servicesRangeName: 'gke-svc',
        },
      },
    });
    const r = simulate(xr, input);
    const d = desiredOf(r[r.length - 1]!.response);
    expect(Object.keys(d)).not.toContain('gke-network');
    expect(Object.keys(d)).not.toContain('gke-subnetwork');
    expect(forProvider(d['gke-cluster'])).toMatchObject({
      network: 'shared-vpc',
      subnetwork: 'dev-europe',
      ipAllocationPolicy: { clusterSecondaryRangeName: 'gke-pods', servicesSecondaryRangeName: 'gke-svc' },
    });
  });

  it('keeps the region and names of a cluster when the policy changes its defaults', () => {
    const unpinned = { ...xr, spec: { ...(xr.spec as JsonObject), region: undefined } };
    delete (unpinned.spec as JsonObject).region;
    const first = simulate(unpinned, V2);
    const created = desiredOf(first[first.length - 1]!.response);
    const observed = Object.entries(created).map(([n, b]) => asObservedReady(unpinned, n, b));
    const moved = withInput({ defaultRegion: 'us-central1' });
    const rsp = runFunction(requestFor(unpinned, { observed, input: moved }), { now: () => FIXED_NOW });
    expect(forProvider(desiredOf(rsp)['gke-cluster']).location).toBe('europe-west1');
    expect(statusOf(rsp).region).toBe('europe-west1');
  });

  it('composes the legacy groups for a claim, at the versions the pinned provider serves', () => {
    const r = simulate(legacyXr, LEGACY);
    const d = desiredOf(r[r.length - 1]!.response);
    expect(d['gke-cluster']?.apiVersion).toBe('container.gcp.upbound.io/v1beta2');
    expect(d['gke-nodepool']?.apiVersion).toBe('container.gcp.upbound.io/v1beta2');
    expect(d['gke-subnetwork']?.apiVersion).toBe('compute.gcp.upbound.io/v1beta2');
    expect(d['gke-network']?.apiVersion).toBe('compute.gcp.upbound.io/v1beta1');
    expect(d['gke-node-role-logging-logwriter']?.apiVersion).toBe('cloudplatform.gcp.upbound.io/v1beta2');
    expect(d['gke-cluster']?.spec).toMatchObject({
      providerConfigRef: { name: 'default' },
      writeConnectionSecretToRef: { name: 'legacy-gke-gke-kubeconfig', namespace: 'team-legacy' },
    });
    // provider-argocd's Cluster is cluster-scoped: legacy XRs compose it directly.
    expect(d['argocd-cluster']).toMatchObject({
      apiVersion: 'cluster.argocd.crossplane.io/v1alpha1',
      kind: 'Cluster',
    });
    expect(d['usage-gke-nodepool-uses-gke-cluster']?.kind).toBe('ClusterUsage');
    for (const body of Object.values(d)) validateComposed(body);
  });
});
