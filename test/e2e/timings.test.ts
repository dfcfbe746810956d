import {
  bucketOpensAt,
  bySource,
  composedEventSource,
  compositeEventSource,
  tokensOf,
} from '../../scripts/e2e/timings.mjs';

/**
 * The e2e's booking of watch events (scripts/e2e/timings.mjs), without a control plane: who caused
 * each change, and when Crossplane's circuit breaker (internal/circuit/token_bucket.go, v2.2.1) would
 * open over a series of events.
 */
const base = {
  apiVersion: 'ec2.aws.m.upbound.io/v1beta1',
  kind: 'VPC',
  metadata: { name: 'vpc', labels: { 'crossplane.io/composite': 'payments-load' } },
  spec: { forProvider: { region: 'eu-west-1' } },
};
const usage = {
  apiVersion: 'protection.crossplane.io/v1beta1',
  kind: 'Usage',
  metadata: { name: 'usage' },
  spec: { of: { kind: 'VPC', resourceSelector: { matchControllerRef: true } } },
};
const withMeta = (o: typeof base | typeof usage, meta: Record<string, unknown>) => ({
  ...o,
  metadata: { ...o.metadata, ...meta },
});

describe('who caused a watch event', () => {
  it.each([
    ['a new resource', 'ADDED', undefined, base, 'Crossplane: creates it (function desired state)'],
    [
      'the provider finalizer',
      'MODIFIED',
      base,
      withMeta(base, { finalizers: ['finalizer.managedresource.crossplane.io'] }),
      'provider: finalizer',
    ],
    [
      'a provider status',
      'MODIFIED',
      base,
      { ...base, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      'provider: status',
    ],
    [
      'the in-use label',
      'MODIFIED',
      base,
      withMeta(base, { labels: { ...base.metadata.labels, 'crossplane.io/in-use': 'true' } }),
      'Usage controller: in-use label on the used resource',
    ],
    [
      'a changed spec',
      'MODIFIED',
      base,
      { ...base, spec: { forProvider: { region: 'eu-west-2' } } },
      'Crossplane: updates it (function desired state)',
    ],
    [
      'a Usage resolved',
      'MODIFIED',
      usage,
      { ...usage, spec: { of: { ...usage.spec.of, resourceRef: { name: 'vpc' } } } },
      'Usage controller: resolves selectors',
    ],
    [
      "a Usage's finalizer",
      'MODIFIED',
      usage,
      withMeta(usage, { finalizers: ['usage.apiextensions.crossplane.io'] }),
      'Usage controller: Usage finalizer',
    ],
    [
      "a Usage's status",
      'MODIFIED',
      usage,
      { ...usage, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      'Usage controller: Usage status',
    ],
  ] as const)('%s', (_, type, prev, next, source) => {
    expect(composedEventSource(type, prev, next)).toBe(source);
  });

  it('tells the composite status from its spec', () => {
    const xr = {
      apiVersion: 'devplatform.io/v1alpha1',
      kind: 'DevEnvironment',
      metadata: { name: 'x' },
      spec: {},
    };
    expect(compositeEventSource('MODIFIED', xr, { ...xr, status: { phase: 'Ready' } })).toBe(
      'Crossplane: composite status (phase)',
    );
    const waiting = { type: 'EnvironmentReady', status: 'False', message: 'waiting for: a' };
    expect(
      compositeEventSource(
        'MODIFIED',
        { ...xr, status: { conditions: [waiting] } },
        { ...xr, status: { conditions: [{ ...waiting, message: 'waiting for: b' }] } },
      ),
    ).toBe('Crossplane: composite status (conditions EnvironmentReady)');
    expect(compositeEventSource('MODIFIED', xr, { ...xr, spec: { crossplane: { resourceRefs: [] } } })).toBe(
      'Crossplane: composite spec (resource references)',
    );
  });
});

describe("Crossplane's token bucket", () => {
  const at = (seconds: number, type: 'ADDED' | 'MODIFIED' = 'MODIFIED') => ({
    at: seconds * 1000,
    tokens: tokensOf(type),
  });

  it('takes two tokens for an update and one for a create', () => {
    expect(tokensOf('MODIFIED')).toBe(2);
    expect(tokensOf('ADDED')).toBe(1);
  });

  it('opens on the 51st update within the same instant (burst 100)', () => {
    const events = Array.from({ length: 51 }, () => at(0));
    expect(bucketOpensAt(events.slice(0, 50))).toBeUndefined();
    expect(bucketOpensAt(events)).toBe(0);
  });

  it('stays closed at one update every two seconds, the rate it refills at', () => {
    const events = Array.from({ length: 500 }, (_, i) => at(i * 2));
    expect(bucketOpensAt(events)).toBeUndefined();
  });

  it('opens when updates outpace the refill after the burst is spent', () => {
    // 1 update a second costs 2 tokens and refills 1: the 100-token burst lasts about 100 s.
    const events = Array.from({ length: 200 }, (_, i) => at(i));
    const opened = bucketOpensAt(events);
    expect(opened).toBeGreaterThan(95_000);
    expect(opened).toBeLessThan(105_000);
  });
});

describe('events by source', () => {
  it('adds events and tokens per source, most tokens first', () => {
    expect(
      bySource([
        { source: 'a', tokens: 1 },
        { source: 'b', tokens: 2 },
        { source: 'b', tokens: 2 },
      ]),
    ).toEqual({ b: { events: 2, tokens: 4 }, a: { events: 1, tokens: 1 } });
  });
});
