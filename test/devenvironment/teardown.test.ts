import type { JsonObject } from '../../functions/shared/objects.js';
import { componentLabelValue } from '../../functions/shared/resources/managed.js';
import { compositionInput, desiredOf, readYaml } from '../support/request.js';
import { simulate } from '../support/simulate.js';

/**
 * Deletion order: every Usage says `by` must be gone before `of` may go. Checked as a graph over the
 * finished environment: tools and registrations before the cluster's nodes, nodes before the cluster,
 * the cluster before its network.
 */
interface Edge {
  of: string;
  by: string;
}

function usages(desired: Record<string, JsonObject>): Edge[] {
  const byLabel = new Map(Object.keys(desired).map((k) => [componentLabelValue(k), k]));
  return Object.values(desired)
    .filter((b) => b.kind === 'Usage' || b.kind === 'ClusterUsage')
    .map((b) => {
      const spec = b.spec as {
        of: { resourceSelector: { matchLabels: Record<string, string> } };
        by: { resourceSelector: { matchLabels: Record<string, string> } };
        replayDeletion: boolean;
      };
      expect(spec.replayDeletion).toBe(true);
      return {
        of: byLabel.get(spec.of.resourceSelector.matchLabels['devplatform.io/component'] ?? '') ?? '',
        by: byLabel.get(spec.by.resourceSelector.matchLabels['devplatform.io/component'] ?? '') ?? '',
      };
    });
}

/** Whether `first` must be deleted before `then` (a chain of Usages leads from `then` to `first`). */
function deletedBefore(edges: Edge[], first: string, then: string): boolean {
  const seen = new Set<string>();
  const walk = (of: string): boolean => {
    for (const e of edges.filter((x) => x.of === of)) {
      if (e.by === first) return true;
      if (!seen.has(e.by)) {
        seen.add(e.by);
        if (walk(e.by)) return true;
      }
    }
    return false;
  };
  return walk(then);
}

function finished(example: string, composition: string): Record<string, JsonObject> {
  const rounds = simulate(readYaml(example), compositionInput(composition));
  return desiredOf(rounds[rounds.length - 1]!.response);
}

const V2 = 'apis/devenvironment/composition.yaml';

describe('ordered teardown', () => {
  it('every Usage selects composed resources of this environment that exist', () => {
    for (const example of ['gke', 'eks', 'vcluster']) {
      const desired = finished(`examples/devenvironment/${example}/xr.yaml`, V2);
      for (const { of, by } of usages(desired)) {
        expect(desired[of]).toBeDefined();
        expect(desired[by]).toBeDefined();
      }
    }
  });

  it('gke: tools and the registration go first, then nodes, cluster, network', () => {
    const edges = usages(finished('examples/devenvironment/gke/xr.yaml', V2));
    for (const tool of ['tool-argocd', 'tool-knative-operator', 'cluster-admin-binding']) {
      expect(deletedBefore(edges, tool, 'gke-cluster')).toBe(true);
      expect(deletedBefore(edges, tool, 'gke-nodepool')).toBe(true);
    }
    expect(deletedBefore(edges, 'argocd-cluster', 'gke-cluster')).toBe(true);
    expect(deletedBefore(edges, 'gke-nodepool', 'gke-cluster')).toBe(true);
    expect(deletedBefore(edges, 'gke-cluster', 'gke-network')).toBe(true);
    expect(deletedBefore(edges, 'gke-nodepool', 'gke-node-serviceaccount')).toBe(true);
    expect(deletedBefore(edges, 'gke-network', 'gke-cluster')).toBe(false);
  });

  it('eks: tools go before nodes and kubeconfig, nodes and access before the cluster, the cluster before network and roles', () => {
    const edges = usages(finished('examples/devenvironment/eks/xr.yaml', V2));
    for (const tool of ['tool-tekton-pipelines', 'tool-dapr']) {
      expect(deletedBefore(edges, tool, 'eks-nodegroup')).toBe(true);
      expect(deletedBefore(edges, tool, 'eks-clusterauth')).toBe(true);
      expect(deletedBefore(edges, tool, 'eks-cluster')).toBe(true);
    }
    expect(deletedBefore(edges, 'eks-access-team', 'eks-cluster')).toBe(true);
    expect(deletedBefore(edges, 'eks-cluster', 'eks-vpc')).toBe(true);
    expect(deletedBefore(edges, 'eks-cluster', 'eks-subnet-private-a')).toBe(true);
    expect(deletedBefore(edges, 'eks-cluster', 'eks-cluster-role')).toBe(true);
    expect(deletedBefore(edges, 'eks-nodegroup', 'eks-node-role')).toBe(true);
    expect(deletedBefore(edges, 'argocd-cluster', 'eks-cluster')).toBe(true);
  });

  it('vcluster: what runs inside and the registration go before the vcluster, which goes before its namespace', () => {
    const edges = usages(finished('examples/devenvironment/vcluster/xr.yaml', V2));
    for (const inside of ['tool-argocd', 'tool-dapr', 'cluster-admin-binding', 'argocd-cluster']) {
      expect(deletedBefore(edges, inside, 'vcluster')).toBe(true);
    }
    expect(deletedBefore(edges, 'vcluster', 'namespace')).toBe(true);
  });
});
