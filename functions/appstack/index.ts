import type { CompositeKind } from '../shared/composites.js';
import { composeAppStack } from './compose.js';
import { APP_STACK_GROUPS } from './spec.js';

/** Nothing an AppStack composed goes away by being left out: the app is removed by deleting the AppStack. */
function isDeliberateRemoval(): boolean {
  return false;
}

/** AppStack in both flavours: namespaced v2 XRs and legacy XRs with claims. */
export const appStackKinds: CompositeKind[] = (['namespaced', 'legacy'] as const).map((flavor) => ({
  ...APP_STACK_GROUPS[flavor],
  flavor,
  compose: composeAppStack,
  isDeliberateRemoval,
}));
