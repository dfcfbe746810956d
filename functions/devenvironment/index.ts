import type { CompositeKind } from '../shared/composites.js';
import { composeDevEnvironment } from './compose.js';
import { USAGE_PREFIX } from '../shared/graph/graph.js';
import { RESOURCE } from './naming.js';
import { DEV_ENVIRONMENT_GROUPS } from './spec.js';

/**
 * Tools and spec.access grants (with their Usages) go away when the team takes them out of the spec,
 * and the SleepInfo once the environment woke for good (workload-sleep.ts).
 */
function isDeliberateRemoval(name: string): boolean {
  const removable = [
    RESOURCE.tool(''),
    RESOURCE.eksAccessEntry(''),
    RESOURCE.eksAccessPolicy(''),
    RESOURCE.sleepInfo,
  ];
  return (
    name === RESOURCE.accessBinding ||
    removable.some((prefix) => name.startsWith(prefix) || name.startsWith(`${USAGE_PREFIX}${prefix}`))
  );
}

/** DevEnvironment in both flavours: namespaced v2 XRs and legacy XRs with claims. */
export const devEnvironmentKinds: CompositeKind[] = (['namespaced', 'legacy'] as const).map((flavor) => ({
  ...DEV_ENVIRONMENT_GROUPS[flavor],
  flavor,
  compose: composeDevEnvironment,
  isDeliberateRemoval,
}));
