import type { Need } from '../../shared/graph/graph.js';
import { GCP } from '../../shared/resources/gcp.js';
import { managedResource, selectComponent } from '../../shared/resources/managed.js';
import { cloudLabels, RESOURCE, stableExternalName } from '../naming.js';
import { gkeClusterName } from './cluster.js';
import type { NodeIdentity } from './node-identity.js';
import type { GkeStage } from './stage.js';

/** The NodePool sized by spec.size. Returns what runs on the cluster needs of it. */
export function composeGkeNodePool(stage: GkeStage, cluster: Need[], identity: NodeIdentity): Need[] {
  const { ctx, graph, policy, project, region, common } = stage;
  const size = policy.sizes[ctx.env.spec.size];
  const resourceLabels = cloudLabels(ctx);
  graph.add({
    name: RESOURCE.gkeNodePool,
    what: `node pool of ${gkeClusterName(ctx)}`,
    needs: [...cluster, ...identity.needs],
    body: managedResource(ctx.env.identity.flavor, GCP.nodePool, {
      ...common,
      // No late initialisation: forProvider is the whole truth, so leaving autoscaling out while
      // asleep turns it off rather than being filled back in from what GKE reports.
      managementPolicies: ['Observe', 'Create', 'Update', 'Delete'],
      externalName: stableExternalName(ctx, RESOURCE.gkeNodePool, 'devenv-nodes'),
      forProvider: {
        project,
        location: region,
        clusterSelector: selectComponent(RESOURCE.gkeCluster),
        initialNodeCount: Math.max(size.minNodes, 1),
        // Asleep: autoscaling off and no nodes (GKE's autoscaler needs a maximum above zero, and would
        // bring nodes back for the cluster's own pods). Awake: autoscaling between the size's bounds.
        ...(ctx.sleep?.state.asleep
          ? { nodeCount: 0 }
          : { autoscaling: { minNodeCount: size.minNodes, maxNodeCount: size.maxNodes } }),
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: {
          machineType: size.machineType,
          spot: size.spot ?? false,
          ...(size.diskSizeGb !== undefined ? { diskSizeGb: size.diskSizeGb } : {}),
          serviceAccount: identity.email,
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
          workloadMetadataConfig: { mode: 'GKE_METADATA' },
          resourceLabels,
        },
      },
    }),
  });
  return [{ on: RESOURCE.gkeNodePool, for: 'nodes to run on' }];
}
