import type { ResolvedPolicy } from './policy.js';
import { deepFreeze } from '../objects.js';

/** The network a gke environment creates, where the policy names no existing one. */
export const GKE_NETWORK = {
  nodesCidr: '10.0.0.0/20',
  podsCidr: '10.16.0.0/14',
  servicesCidr: '10.20.0.0/20',
  privateServicesCidr: '10.64.0.0/16',
};

/** The VPC an eks environment creates, where the policy names no existing subnets. */
export const EKS_NETWORK = {
  vpcCidr: '10.0.0.0/16',
  availabilityZones: ['a', 'b'],
  publicSubnetCidrs: ['10.0.0.0/20', '10.0.16.0/20'],
  privateSubnetCidrs: ['10.0.128.0/20', '10.0.144.0/20'],
  nodeSubnets: 'public' as const,
};

/**
 * The platform decisions used where the Composition's input says nothing. The platform team
 * overrides any of them in the function input (package/input/ has the schema); README.md lists them.
 */
/**
 * When each Kubernetes minor goes out of support, by who supports it. An environment running a
 * version past its date gets a Warning naming the upgrade; test/shared/versions.test.ts fails the
 * day a default version passes its date. Update these with the sources below.
 */
/** Upstream end of life (kubernetes.io/releases): what vcluster control planes run. */
export const UPSTREAM_END_OF_LIFE: Record<string, string> = {
  '1.33': '2026-06-28',
  '1.34': '2026-10-27',
  '1.35': '2027-02-28',
  '1.36': '2027-06-28',
};

/** GKE end of support (GKE release schedule; endoflife.date/google-kubernetes-engine). */
export const GKE_END_OF_SUPPORT: Record<string, string> = {
  '1.33': '2026-08-03',
  '1.34': '2026-10-01',
  '1.35': '2027-04-11',
};

/** EKS end of standard support (EKS Kubernetes release calendar; endoflife.date/amazon-eks). */
export const EKS_END_OF_STANDARD_SUPPORT: Record<string, string> = {
  '1.33': '2026-07-29',
  '1.34': '2026-12-02',
  '1.35': '2027-03-27',
};

export const DEFAULT_POLICY: ResolvedPolicy = {
  hostCluster: {
    kubernetesProviderConfig: { kind: 'ClusterProviderConfig', name: 'default' },
    helmProviderConfig: { kind: 'ClusterProviderConfig', name: 'default' },
    namespacePrefix: '',
    isPlatformCluster: true,
  },
  lifecycle: { onExpiry: 'Sleep', kubeGreen: { tool: 'kube-green', onHost: true } },
  rbac: { adminClusterRole: 'admin', teamGroupPrefix: '' },
  environments: {
    namespace: {
      defaultTools: [],
      networkPolicy: true,
      sizes: {
        small: {
          quota: {
            'requests.cpu': '2',
            'requests.memory': '4Gi',
            'limits.cpu': '4',
            'limits.memory': '8Gi',
            pods: '20',
            persistentvolumeclaims: '5',
            'services.loadbalancers': '0',
          },
          limitRange: {
            default: { cpu: '500m', memory: '512Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
          },
        },
        medium: {
          quota: {
            'requests.cpu': '4',
            'requests.memory': '8Gi',
            'limits.cpu': '8',
            'limits.memory': '16Gi',
            pods: '50',
            persistentvolumeclaims: '10',
            'services.loadbalancers': '1',
          },
          limitRange: {
            default: { cpu: '1', memory: '1Gi' },
            defaultRequest: { cpu: '200m', memory: '256Mi' },
          },
        },
        large: {
          quota: {
            'requests.cpu': '8',
            'requests.memory': '16Gi',
            'limits.cpu': '16',
            'limits.memory': '32Gi',
            pods: '100',
            persistentvolumeclaims: '20',
            'services.loadbalancers': '2',
          },
          limitRange: {
            default: { cpu: '2', memory: '2Gi' },
            defaultRequest: { cpu: '250m', memory: '512Mi' },
          },
        },
      },
    },
    vcluster: {
      chart: { repository: 'https://charts.loft.sh', name: 'vcluster', version: '0.36.1' },
      // The control plane images vcluster 0.36.1 knows (config/default_extra_values.go, K8SVersionMap),
      // limited to minors upstream still supports; the chart's own default is 1.36.
      defaultKubernetesVersion: '1.36',
      kubernetesVersions: { '1.35': 'v1.35.0', '1.36': 'v1.36.0' },
      endOfSupport: UPSTREAM_END_OF_LIFE,
      defaultTools: ['argocd'],
      values: {},
      sizes: {
        small: {
          quota: {
            'requests.cpu': '4',
            'requests.memory': '8Gi',
            'limits.cpu': '8',
            'limits.memory': '16Gi',
            'count/pods': '40',
            'services.loadbalancers': '1',
          },
          limitRange: {
            default: { cpu: '500m', memory: '512Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
          },
        },
        medium: {
          quota: {
            'requests.cpu': '8',
            'requests.memory': '16Gi',
            'limits.cpu': '16',
            'limits.memory': '32Gi',
            'count/pods': '100',
            'services.loadbalancers': '2',
          },
          limitRange: {
            default: { cpu: '1', memory: '1Gi' },
            defaultRequest: { cpu: '200m', memory: '256Mi' },
          },
        },
        large: {
          quota: {
            'requests.cpu': '16',
            'requests.memory': '32Gi',
            'limits.cpu': '32',
            'limits.memory': '64Gi',
            'count/pods': '200',
            'services.loadbalancers': '4',
          },
          limitRange: {
            default: { cpu: '2', memory: '2Gi' },
            defaultRequest: { cpu: '250m', memory: '512Mi' },
          },
        },
      },
    },
    gke: {
      providerConfig: { kind: 'ClusterProviderConfig', name: 'default' },
      project: '',
      regions: ['europe-west1', 'europe-west4', 'us-central1', 'us-east1'],
      defaultRegion: 'europe-west1',
      // GKE's Regular channel offers 1.33 to 1.36 (GKE release notes, current versions, 2026); 1.33 and
      // 1.34 are past GKE's end of support. 1.36 has no published end date yet.
      kubernetesVersions: ['1.35', '1.36'],
      defaultKubernetesVersion: '1.35',
      endOfSupport: GKE_END_OF_SUPPORT,
      releaseChannel: 'REGULAR',
      deletionProtection: false,
      network: GKE_NETWORK,
      nodeServiceAccountRoles: [
        'roles/logging.logWriter',
        'roles/monitoring.metricWriter',
        'roles/monitoring.viewer',
        'roles/stackdriver.resourceMetadata.writer',
        'roles/artifactregistry.reader',
      ],
      providerIdentity: { source: 'InjectedIdentity' },
      defaultTools: ['argocd'],
      sizes: {
        small: { machineType: 'e2-standard-4', minNodes: 1, maxNodes: 2, spot: true, diskSizeGb: 50 },
        medium: { machineType: 'e2-standard-8', minNodes: 1, maxNodes: 4, spot: true, diskSizeGb: 100 },
        large: { machineType: 'n2-standard-8', minNodes: 2, maxNodes: 8, spot: false, diskSizeGb: 100 },
      },
    },
    eks: {
      providerConfig: { kind: 'ClusterProviderConfig', name: 'default' },
      regions: ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'],
      defaultRegion: 'eu-west-1',
      // EKS standard support lasts 14 months from each release; 1.34's ends 2026-12-02, so new
      // environments get 1.35 only.
      kubernetesVersions: ['1.35'],
      defaultKubernetesVersion: '1.35',
      endOfSupport: EKS_END_OF_STANDARD_SUPPORT,
      network: EKS_NETWORK,
      clusterAdminPolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      teamRoleArn: '',
      defaultTools: ['argocd'],
      sizes: {
        small: {
          instanceTypes: ['t3.large'],
          minNodes: 1,
          maxNodes: 3,
          desiredNodes: 2,
          capacityType: 'SPOT',
          diskSize: 50,
        },
        medium: {
          instanceTypes: ['m6i.xlarge'],
          minNodes: 2,
          maxNodes: 5,
          desiredNodes: 2,
          capacityType: 'SPOT',
          diskSize: 100,
        },
        large: {
          instanceTypes: ['m6i.2xlarge'],
          minNodes: 2,
          maxNodes: 10,
          desiredNodes: 3,
          capacityType: 'ON_DEMAND',
          diskSize: 100,
        },
      },
    },
  },
  databases: {
    postgres: {
      defaultVersion: '17',
      versions: {
        '16': 'ghcr.io/cloudnative-pg/postgresql:16.10',
        '17': 'ghcr.io/cloudnative-pg/postgresql:17.6',
      },
      sizes: {
        small: { instances: 1, storage: '5Gi', cpu: '500m', memory: '1Gi' },
        medium: { instances: 2, storage: '20Gi', cpu: '1', memory: '2Gi' },
        large: { instances: 3, storage: '50Gi', cpu: '2', memory: '4Gi' },
      },
    },
    passwordGenerator: { kind: 'ClusterGenerator', name: 'devplatform-db-password' },
    inClusterTools: ['cloudnative-pg', 'external-secrets'],
    cloudTools: ['external-secrets'],
    cloudSql: {
      versions: { '16': 'POSTGRES_16', '17': 'POSTGRES_17' },
      edition: 'ENTERPRISE',
      deletionProtection: false,
      backups: true,
      sizes: {
        small: { tier: 'db-custom-1-3840', diskSizeGb: 10, availabilityType: 'ZONAL' },
        medium: { tier: 'db-custom-2-7680', diskSizeGb: 50, availabilityType: 'ZONAL' },
        large: { tier: 'db-custom-4-15360', diskSizeGb: 100, availabilityType: 'REGIONAL' },
      },
    },
    rds: {
      versions: { '16': '16', '17': '17' },
      deletionProtection: false,
      skipFinalSnapshot: true,
      backupRetentionDays: 7,
      sizes: {
        small: { instanceClass: 'db.t4g.micro', allocatedStorage: 20, multiAz: false },
        medium: { instanceClass: 'db.t4g.medium', allocatedStorage: 50, multiAz: false },
        large: { instanceClass: 'db.m7g.large', allocatedStorage: 100, multiAz: true },
      },
    },
  },
  capabilities: {
    dapr: { tool: 'dapr', onHost: true },
    statestore: { onDatabase: true },
    redis: {
      backends: { namespace: 'InCluster', vcluster: 'InCluster', gke: 'Memorystore', eks: 'ElastiCache' },
      tools: ['external-secrets'],
      // The Valkey project's own chart (Redis-compatible; Bitnami's Redis images went behind new terms
      // in 2025). 0.11.0 is the newest release read here (valkey-io/valkey-helm, tag valkey-0.11.0).
      inCluster: {
        chart: { repository: 'https://valkey.io/valkey-helm/', name: 'valkey', version: '0.11.0' },
        storage: '1Gi',
        values: {},
      },
      memorystore: { tier: 'BASIC', memorySizeGb: 1, redisVersion: 'REDIS_7_2' },
      elastiCache: { nodeType: 'cache.t4g.micro', engineVersion: '7.1', replicas: 0 },
    },
    // Dapr's documented defaults for a component's outbound calls, bounded so a failing backend
    // trips the breaker instead of holding the app's requests.
    resiliency: {
      timeout: '5s',
      retry: { policy: 'exponential', duration: '5s', maxInterval: '15s', maxRetries: 10 },
      circuitBreaker: { maxRequests: 1, interval: '8s', timeout: '45s', trip: 'consecutiveFailures >= 5' },
    },
  },
  argocd: {
    enabled: true,
    namespace: 'argocd',
    providerConfig: 'default',
    kubernetesProviderConfig: { kind: 'ClusterProviderConfig', name: 'default' },
    hostClusterName: 'in-cluster',
    sourceRepos: ['*'],
    gkeExecCommand: 'argocd-k8s-auth',
    eksRoleArn: '',
  },
  tools: {
    argocd: {
      chart: { repository: 'https://argoproj.github.io/argo-helm', name: 'argo-cd', version: '9.1.0' },
      namespace: 'argocd',
      manifests: [],
      scope: 'Cluster',
      dependsOn: [],
      values: { configs: { params: { 'server.insecure': true } } },
    },
    dapr: {
      chart: { repository: 'https://dapr.github.io/helm-charts', name: 'dapr', version: '1.18.3' },
      namespace: 'dapr-system',
      manifests: [],
      scope: 'Cluster',
      dependsOn: [],
      values: {},
    },
    // Sleep for vcluster environments (lifecycle.kubeGreen.tool): the chart's own Job makes the webhook
    // certificate, so it needs no cert-manager (chart README, charts/kube-green at v0.7.1).
    'kube-green': {
      chart: { repository: 'https://kube-green.github.io/helm-charts', name: 'kube-green', version: '0.7.1' },
      namespace: 'kube-green',
      manifests: [],
      scope: 'Cluster',
      dependsOn: [],
      values: { certManager: { enabled: false }, jobsCert: { enabled: true } },
    },
    'knative-operator': {
      chart: {
        repository: 'https://knative.github.io/operator',
        name: 'knative-operator',
        version: 'v1.23.0',
      },
      namespace: 'knative-operator',
      manifests: [],
      scope: 'Cluster',
      dependsOn: [],
      values: {},
    },
    // Knative Serving through the operator: its namespace and a KnativeServing with Kourier.
    'knative-serving': {
      namespace: 'knative-serving',
      manifests: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'knative-serving' } },
        {
          apiVersion: 'operator.knative.dev/v1beta1',
          kind: 'KnativeServing',
          metadata: { name: 'knative-serving', namespace: 'knative-serving' },
          spec: {
            version: '1.23',
            ingress: { kourier: { enabled: true } },
            config: { network: { 'ingress-class': 'kourier.ingress.networking.knative.dev' } },
          },
        },
      ],
      scope: 'Cluster',
      dependsOn: ['knative-operator'],
      values: {},
    },
    'cloudnative-pg': {
      chart: {
        repository: 'https://cloudnative-pg.github.io/charts',
        name: 'cloudnative-pg',
        version: '0.29.0',
      },
      namespace: 'cnpg-system',
      manifests: [],
      scope: 'Cluster',
      dependsOn: [],
      values: {},
    },
    // External Secrets, with the password generator AppStack databases take their credentials from.
    'external-secrets': {
      chart: { repository: 'https://charts.external-secrets.io', name: 'external-secrets', version: '2.9.0' },
      namespace: 'external-secrets',
      manifests: [
        {
          apiVersion: 'generators.external-secrets.io/v1alpha1',
          kind: 'ClusterGenerator',
          metadata: { name: 'devplatform-db-password' },
          spec: {
            kind: 'Password',
            generator: {
              passwordSpec: { length: 32, digits: 6, symbols: 0, noUpper: false, allowRepeat: true },
            },
          },
        },
      ],
      scope: 'Cluster',
      dependsOn: [],
      values: {},
    },
    'tekton-pipelines': {
      chart: {
        repository: 'https://cdfoundation.github.io/tekton-helm-chart',
        name: 'tekton-pipeline',
        version: '1.1.4',
      },
      namespace: 'tekton-pipelines',
      manifests: [],
      scope: 'Cluster',
      dependsOn: [],
      values: {},
    },
  },
};

// Composed objects take parts of these without copying them (resources/model-object.ts). Frozen, a
// write to one throws instead of changing what every later request composes.
for (const shared of [
  GKE_NETWORK,
  EKS_NETWORK,
  UPSTREAM_END_OF_LIFE,
  GKE_END_OF_SUPPORT,
  EKS_END_OF_STANDARD_SUPPORT,
  DEFAULT_POLICY,
]) {
  deepFreeze(shared);
}
