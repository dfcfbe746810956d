import type { JsonObject } from '../../functions/shared/objects.js';
import { compositionInput, desiredOf, readYaml, statusOf } from '../support/request.js';
import { simulate } from '../support/simulate.js';

/**
 * Names at the providers' limits: with the longest names Kubernetes allows (a 253-character XR name
 * in a 63-character namespace, and for claims a 253-character claim name), every name the clouds,
 * Helm and Kubernetes get stays within its limit and shape.
 */
const LONG_NAME = `${'a-very-long-environment-name.'.repeat(8)}and-then-some`.slice(0, 253);
const LONG_NAMESPACE = `team-${'x'.repeat(58)}`;

const LIMITS: Array<{
  what: string;
  pick: (key: string, body: JsonObject) => string | undefined;
  max: number;
  shape: RegExp;
}> = [
  {
    what: 'GKE cluster name',
    pick: (k, b) => (k === 'gke-cluster' ? externalName(b) : undefined),
    max: 40,
    shape: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  },
  {
    what: 'GKE node pool name',
    pick: (k, b) => (k === 'gke-nodepool' ? externalName(b) : undefined),
    max: 40,
    shape: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  },
  {
    what: 'GCP network and subnetwork names',
    pick: (k, b) => (k === 'gke-network' || k === 'gke-subnetwork' ? externalName(b) : undefined),
    max: 63,
    shape: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  },
  {
    what: 'GCP service account id',
    pick: (k, b) => (k === 'gke-node-serviceaccount' ? externalName(b) : undefined),
    max: 30,
    shape: /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/,
  },
  {
    what: 'Helm release name',
    pick: (_k, b) => (b.kind === 'Release' ? externalName(b) : undefined),
    max: 53,
    shape: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  },
  {
    what: 'IAM role name',
    pick: (k, b) => (k === 'eks-cluster-role' || k === 'eks-node-role' ? externalName(b) : undefined),
    max: 64,
    shape: /^[\w+=,.@-]+$/,
  },
  {
    what: 'EKS cluster name',
    pick: (k, b) => (k === 'eks-cluster' ? externalName(b) : undefined),
    max: 100,
    shape: /^[0-9A-Za-z][A-Za-z0-9\-_]*$/,
  },
  {
    what: 'host namespace',
    pick: (k, b) => (k === 'namespace' ? manifestName(b) : undefined),
    max: 63,
    shape: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  },
  {
    what: 'object names (ProviderConfigs, Argo CD clusters and projects)',
    pick: (_k, b) => (String(b.kind).endsWith('ProviderConfig') ? metadataName(b) : manifestName(b)),
    max: 253,
    shape: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
  },
];

function externalName(b: JsonObject): string | undefined {
  return (b.metadata as { annotations?: Record<string, string> }).annotations?.[
    'crossplane.io/external-name'
  ];
}
function metadataName(b: JsonObject): string | undefined {
  return (b.metadata as { name?: string }).name;
}
function manifestName(b: JsonObject): string | undefined {
  return (b.spec as { forProvider?: { manifest?: { metadata?: { name?: string } } } }).forProvider?.manifest
    ?.metadata?.name;
}

function longXr(example: string): JsonObject {
  const xr = readYaml(example);
  const metadata = { ...(xr.metadata as JsonObject) };
  if (String(xr.apiVersion).startsWith('claims.')) {
    metadata.name = `${LONG_NAME.slice(0, 247)}-x7k2q`;
    metadata.labels = {
      'crossplane.io/claim-name': LONG_NAME,
      'crossplane.io/claim-namespace': LONG_NAMESPACE,
    };
  } else {
    metadata.name = LONG_NAME;
    metadata.namespace = LONG_NAMESPACE;
  }
  return { ...xr, metadata };
}

const CASES = [
  ['namespace', 'examples/devenvironment/namespace/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['vcluster', 'examples/devenvironment/vcluster/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['gke', 'examples/devenvironment/gke/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['eks', 'examples/devenvironment/eks/xr.yaml', 'apis/devenvironment/composition.yaml'],
  ['gke claim', 'examples/claims/devenvironment-gke/xr.yaml', 'apis/claims/devenvironment/composition.yaml'],
  ['eks claim', 'examples/claims/devenvironment-eks/xr.yaml', 'apis/claims/devenvironment/composition.yaml'],
] as const;

describe.each(CASES)('%s with the longest names', (_type, example, composition) => {
  const rounds = simulate(longXr(example), compositionInput(composition));
  const desired = desiredOf(rounds[rounds.length - 1]!.response);

  it('becomes ready', () => {
    expect(statusOf(rounds[rounds.length - 1]!.response).phase).toBe('Ready');
  });

  it.each(LIMITS.map((l) => [l.what, l] as const))('keeps %s within its limit', (_what, limit) => {
    for (const [key, body] of Object.entries(desired)) {
      const name = limit.pick(key, body);
      if (name === undefined) continue;
      expect({ key, name, length: name.length <= limit.max, shape: limit.shape.test(name) }).toEqual({
        key,
        name,
        length: true,
        shape: true,
      });
    }
  });

  it('keeps every label value a valid label of at most 63 characters', () => {
    for (const [key, body] of Object.entries(desired)) {
      const labels = (body.metadata as { labels?: Record<string, string> }).labels ?? {};
      for (const [k, v] of Object.entries(labels)) {
        expect({
          key,
          label: k,
          ok: v.length <= 63 && /^([a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?)?$/.test(v),
        }).toEqual({
          key,
          label: k,
          ok: true,
        });
      }
    }
  });
});
