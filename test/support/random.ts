/** mulberry32, shared with the fuzzer (scripts/random.mjs). */
export { random } from '../../scripts/random.mjs';

/**
 * How many random states a property test tries: `ci` on every run, PROPERTY_RUNS when set (the
 * nightly size: `make properties RUNS=5000`).
 */
export function propertyRuns(ci: number): number {
  const runs = Number(process.env.PROPERTY_RUNS ?? ci);
  if (!Number.isInteger(runs) || runs <= 0) throw new Error(`PROPERTY_RUNS must be a positive integer`);
  return runs;
}

/** A property test's seed: fixed in CI; PROPERTY_SEED shifts it to explore other states (and replay them). */
export function propertySeed(base: number): number {
  return base + Number(process.env.PROPERTY_SEED ?? 0);
}

/** A jest timeout for `runs` states (each a few milliseconds; generous for shared machines). */
export function propertyTimeout(runs: number): number {
  return 30_000 + runs * 50;
}
