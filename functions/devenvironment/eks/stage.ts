import type { ResourceGraph } from '../../shared/graph/graph.js';
import type { EksEnvironmentPolicy } from '../../shared/policy/policy.js';
import type { DevEnvironmentContext } from '../context.js';
import { cloudLabels, environmentLabels } from '../naming.js';
import { eksClusterName, eksRegion } from './cluster.js';

/** What every stage of an eks environment composes with. */
export interface EksStage {
  ctx: DevEnvironmentContext;
  graph: ResourceGraph;
  policy: EksEnvironmentPolicy;
  region: string;
  clusterName: string;
  /** AWS tags on every resource that takes them. */
  tags: Record<string, string>;
  /** The provider-upjet-aws ProviderConfig and the environment's labels, on every managed resource. */
  common: { providerConfig: EksEnvironmentPolicy['providerConfig']; labels: Record<string, string> };
}

export function eksStage(ctx: DevEnvironmentContext, graph: ResourceGraph): EksStage {
  const policy = ctx.policy.environments.eks;
  return {
    ctx,
    graph,
    policy,
    region: eksRegion(ctx, policy),
    clusterName: eksClusterName(ctx),
    tags: cloudLabels(ctx),
    common: { providerConfig: policy.providerConfig, labels: environmentLabels(ctx) },
  };
}
