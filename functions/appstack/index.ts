import type { CompositeKind } from '../shared/composites.js';
import { composeAppStack } from './compose.js';
import { USAGE_PREFIX } from '../shared/graph/graph.js';
import { RESOURCE } from './naming.js';
import { APP_STACK_GROUPS } from './spec.js';

/**
 * Nothing an AppStack composed goes away by being left out (the app is removed by deleting the
 * AppStack), except its SleepInfo once the environment woke for good (sleep.ts).
 */
function isDeliberateRemoval(name: string): boolean {
  return name === RESOURCE.sleepInfo || name.startsWith(`${USAGE_PREFIX}${RESOURCE.sleepInfo}`);
}

/** AppStack in both flavours: namespaced v2 XRs and legacy XRs with claims. */
export const appStackKinds: CompositeKind[] = (['namespaced', 'legacy'] as const).map((flavor) => ({
  ...APP_STACK_GROUPS[flavor],
  flavor,
  compose: composeAppStack,
  isDeliberateRemoval,
}));
