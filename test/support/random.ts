/** mulberry32: a small seeded generator, so property tests reproduce their failures. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
