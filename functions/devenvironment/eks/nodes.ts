import type { Need } from '../../shared/graph/graph.js';
import { AWS } from '../../shared/resources/aws.js';
import { managedResource, selectComponent } from '../../shared/resources/managed.js';
import { kubernetesPlan } from '../context.js';
import { RESOURCE, stableExternalName } from '../naming.js';
import { IN_CLUSTER, inEksCluster } from './cluster.js';
import type { EksNetwork } from './network.js';
import type { EksStage } from './stage.js';

/** The NodeGroup sized by spec.size, in the subnets the policy gives nodes. */
export function composeEksNodeGroup(stage: EksStage, network: EksNetwork, role: Need[]): void {
  const { ctx, graph, policy, clusterName, tags, common } = stage;
  const size = policy.sizes[ctx.env.spec.size];
  graph.add({
    name: RESOURCE.eksNodeGroup,
    what: `node group of ${clusterName}`,
    needs: [{ ...IN_CLUSTER, for: 'the cluster its nodes join' }, ...role],
    body: managedResource(ctx.env.identity.flavor, AWS.nodeGroup, {
      ...common,
      externalName: stableExternalName(ctx, RESOURCE.eksNodeGroup, 'devenv-nodes'),
      forProvider: {
        ...inEksCluster(stage),
        nodeRoleArnSelector: selectComponent(RESOURCE.eksNodeRole),
        ...network.nodeSubnets,
        // The control plane's version once it reports it (kubernetes-version.ts): nodes follow it.
        version: kubernetesPlan(ctx).nodes,
        instanceTypes: size.instanceTypes,
        capacityType: size.capacityType ?? 'ON_DEMAND',
        ...(size.diskSize !== undefined ? { diskSize: size.diskSize } : {}),
        // Asleep: no nodes, so no node-hours (EKS needs maxSize of at least 1).
        scalingConfig: ctx.sleep?.state.asleep
          ? { minSize: 0, maxSize: Math.max(size.maxNodes, 1), desiredSize: 0 }
          : {
              minSize: size.minNodes,
              maxSize: size.maxNodes,
              desiredSize: size.desiredNodes ?? Math.max(size.minNodes, 1),
            },
        tags,
      },
    }),
  });
}
