import type { ResolvedPolicy } from './policy.js';

/**
 * The platform decisions used where the Composition's input says nothing. The platform team
 * overrides any of them in the function input (package/input/ has the schema); README.md lists them.
 */
export const DEFAULT_POLICY: ResolvedPolicy = {
  hostCluster: {
    kubernetesProviderConfig: { kind: 'ClusterProviderConfig', name: 'default' },
    helmProviderConfig: { kind: 'ClusterProviderConfig', name: 'default' },
    namespacePrefix: '',
    isPlatformCluster: true,
  },
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
      defaultKubernetesVersion: '1.33',
      kubernetesVersions: { '1.32': 'v1.32.1', '1.33': 'v1.33.4' },
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
  },
  tools: {
    argocd: {
      chart: { repository: 'https://argoproj.github.io/argo-helm', name: 'argo-cd', version: '9.1.0' },
      namespace: 'argocd',
      scope: 'Cluster',
      dependsOn: [],
      values: { configs: { params: { 'server.insecure': true } } },
    },
    dapr: {
      chart: { repository: 'https://dapr.github.io/helm-charts', name: 'dapr', version: '1.18.3' },
      namespace: 'dapr-system',
      scope: 'Cluster',
      dependsOn: [],
      values: {},
    },
  },
};
