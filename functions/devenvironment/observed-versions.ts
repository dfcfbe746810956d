import { getPath, getString } from '../shared/objects.js';
import type { ObservedResources } from '../shared/observed.js';
import type { EnvironmentType } from './spec.js';
import { RESOURCE } from './naming.js';

/** What the observed resources say about the versions an environment runs. */
export interface ObservedVersions {
  /** What the control plane was last asked to run (its observed spec). */
  controlPlaneAsked?: string;
  /** What the provider reports the control plane runs. */
  controlPlaneRuns?: string;
  /** What the nodes were last asked to run (eks node groups). */
  nodesAsked?: string;
  /** What the nodes report they run. */
  nodesRun?: string;
  /** Whether the environment has nodes of its own that follow the control plane. */
  hasNodes: boolean;
}

/** The vcluster control plane's image tag in the observed Release's values. */
export function observedVclusterImageTag(observed: ObservedResources): string | undefined {
  const tag = getPath(observed.get(RESOURCE.vcluster), [
    'spec',
    'forProvider',
    'values',
    'controlPlane',
    'distro',
    'k8s',
    'image',
    'tag',
  ]);
  return typeof tag === 'string' && tag !== '' ? tag : undefined;
}

/**
 * Per type: gke reports masterVersion on the cluster and version on the node pool (which GKE
 * upgrades itself: node auto-upgrade, required on release channels); eks reports version on both;
 * a vcluster runs the image its Release was given, which it reports by being Ready.
 */
export function observedVersions(type: EnvironmentType, observed: ObservedResources): ObservedVersions {
  const read = (name: string, path: string) => getString(observed.get(name), path);
  switch (type) {
    case 'gke':
      return {
        controlPlaneAsked: read(RESOURCE.gkeCluster, 'spec.forProvider.minMasterVersion'),
        controlPlaneRuns: read(RESOURCE.gkeCluster, 'status.atProvider.masterVersion'),
        nodesRun: read(RESOURCE.gkeNodePool, 'status.atProvider.version'),
        hasNodes: observed.has(RESOURCE.gkeNodePool),
      };
    case 'eks':
      return {
        controlPlaneAsked: read(RESOURCE.eksCluster, 'spec.forProvider.version'),
        controlPlaneRuns: read(RESOURCE.eksCluster, 'status.atProvider.version'),
        nodesAsked: read(RESOURCE.eksNodeGroup, 'spec.forProvider.version'),
        nodesRun: read(RESOURCE.eksNodeGroup, 'status.atProvider.version'),
        hasNodes: observed.has(RESOURCE.eksNodeGroup),
      };
    default: {
      const tag = observedVclusterImageTag(observed);
      return { ...(tag !== undefined ? { controlPlaneAsked: tag } : {}), hasNodes: false };
    }
  }
}
