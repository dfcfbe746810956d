import type { ObservedResources } from '../shared/observed.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import type { ParsedDevEnvironment } from './spec.js';

/** Everything a DevEnvironment composer reads. Composers are pure functions of it. */
export interface DevEnvironmentContext {
  env: ParsedDevEnvironment;
  policy: ResolvedPolicy;
  observed: ObservedResources;
  now: Date;
}
