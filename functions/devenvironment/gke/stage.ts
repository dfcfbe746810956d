import type { ResourceGraph } from '../../shared/graph/graph.js';
import type { GkeEnvironmentPolicy } from '../../shared/policy/policy.js';
import type { DevEnvironmentContext } from '../context.js';
import { environmentLabels } from '../naming.js';
import { gkeRegion } from './cluster.js';

/** What every stage of a gke environment composes with. */
export interface GkeStage {
  ctx: DevEnvironmentContext;
  graph: ResourceGraph;
  policy: GkeEnvironmentPolicy;
  project: string;
  region: string;
  /** The provider-upjet-gcp ProviderConfig and the environment's labels, on every managed resource. */
  common: { providerConfig: GkeEnvironmentPolicy['providerConfig']; labels: Record<string, string> };
}

export function gkeStage(ctx: DevEnvironmentContext, graph: ResourceGraph): GkeStage {
  const policy = ctx.policy.environments.gke;
  return {
    ctx,
    graph,
    policy,
    project: policy.project,
    region: gkeRegion(ctx, policy),
    common: { providerConfig: policy.providerConfig, labels: environmentLabels(ctx) },
  };
}
