import type { CompositeKind } from '../shared/composites.js';
import { composeDevEnvironment } from './compose.js';
import { RESOURCE } from './naming.js';
import { DEV_ENVIRONMENT_GROUPS } from './spec.js';

/** Tools and spec.access bindings go away when the team takes them out of the spec. */
function isDeliberateRemoval(name: string): boolean {
  return name.startsWith(RESOURCE.tool('')) || name === RESOURCE.accessBinding;
}

/** DevEnvironment in both flavours: namespaced v2 XRs and legacy XRs with claims. */
export const devEnvironmentKinds: CompositeKind[] = (['namespaced', 'legacy'] as const).map((flavor) => ({
  ...DEV_ENVIRONMENT_GROUPS[flavor],
  flavor,
  compose: composeDevEnvironment,
  isDeliberateRemoval,
}));
