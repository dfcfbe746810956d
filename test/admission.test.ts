import type { JsonObject } from '../functions/shared/objects.js';
import { readYaml } from './support/request.js';
import { admit, xrdValidateBinary, type Admission, type AdmissionCase } from './support/xrd-validate.js';

/**
 * The XRDs reject bad specs at the API, so most bad input never reaches the function: every example
 * passes the API server's own validation; wrong types, enums and patterns fail; and CEL transition
 * rules keep type, region, environmentRef and the database (engine, and the database itself) fixed
 * once set. Both flavours: v2 XRs and legacy XRs with their claims.
 */
const EXAMPLES = [
  'examples/devenvironment/namespace/xr.yaml',
  'examples/devenvironment/vcluster/xr.yaml',
  'examples/devenvironment/gke/xr.yaml',
  'examples/devenvironment/eks/xr.yaml',
  'examples/appstack/namespace/xr.yaml',
  'examples/appstack/vcluster/xr.yaml',
  'examples/appstack/gke/xr.yaml',
  'examples/appstack/eks/xr.yaml',
  'examples/claims/devenvironment/xr.yaml',
  'examples/claims/devenvironment/claim.yaml',
  'examples/claims/devenvironment-gke/xr.yaml',
  'examples/claims/devenvironment-gke/claim.yaml',
  'examples/claims/devenvironment-eks/xr.yaml',
  'examples/claims/devenvironment-eks/claim.yaml',
  'examples/claims/appstack/xr.yaml',
  'examples/claims/appstack/claim.yaml',
];

function withSpec(obj: JsonObject, change: (spec: JsonObject) => void): JsonObject {
  const copy = structuredClone(obj);
  change(copy.spec as JsonObject);
  return copy;
}

/** The DevEnvironment and AppStack of each flavour, as a base to change (the gke ones, with a region). */
const FLAVOURS = {
  v2: {
    env: readYaml('examples/devenvironment/gke/xr.yaml'),
    app: readYaml('examples/appstack/gke/xr.yaml'),
  },
  legacy: {
    env: withSpec(
      readYaml('examples/claims/devenvironment-gke/claim.yaml'),
      (s) => (s.region ??= 'europe-west3'),
    ),
    app: readYaml('examples/claims/appstack/claim.yaml'),
  },
};

const database = { engine: 'postgres', size: 'small' };

/** [name, case, expected error (a regular expression) or undefined for "admitted"]. */
type Expectation = [AdmissionCase, RegExp | undefined];

function expectations(flavour: 'v2' | 'legacy'): Expectation[] {
  const { env, app } = FLAVOURS[flavour];
  const appWithDb = withSpec(app, (s) => (s.database = database));
  const appWithoutDb = withSpec(app, (s) => delete s.database);
  const envWithoutRegion = withSpec(env, (s) => delete s.region);
  const appWithCaps = withSpec(
    app,
    (s) => (s.capabilities = [{ type: 'statestore', name: 'orders' }, { type: 'pubsub' }]),
  );
  const appWithoutCaps = withSpec(app, (s) => delete s.capabilities);
  const cases: Array<[string, JsonObject, JsonObject | undefined, RegExp | undefined]> = [
    // Creation: schema types, enums, patterns, required fields.
    [
      'env: unknown type',
      withSpec(env, (s) => (s.type = 'openshift')),
      undefined,
      /spec\.type: Unsupported value: "openshift"/,
    ],
    ['env: ttl pattern', withSpec(env, (s) => (s.ttl = '3 days')), undefined, /spec\.ttl.*should match/],
    [
      'env: tools of the wrong type',
      withSpec(env, (s) => (s.tools = 'argocd')),
      undefined,
      /spec\.tools: Invalid value: "string"/,
    ],
    ['env: no team', withSpec(env, (s) => delete s.team), undefined, /spec\.team: Required value/],
    [
      'env: unknown size',
      withSpec(env, (s) => (s.size = 'huge')),
      undefined,
      /spec\.size: Unsupported value/,
    ],
    ['app: no source', withSpec(app, (s) => delete s.source), undefined, /spec\.source: Required value/],
    [
      'app: unknown engine',
      withSpec(app, (s) => (s.database = { engine: 'mysql' })),
      undefined,
      /spec\.database\.engine: Unsupported value: "mysql"/,
    ],
    [
      'app: database version pattern',
      withSpec(app, (s) => (s.database = { engine: 'postgres', version: 'latest' })),
      undefined,
      /spec\.database\.version.*should match/,
    ],
    [
      'app: unknown capability type',
      withSpec(app, (s) => (s.capabilities = [{ type: 'queue' }])),
      undefined,
      /spec\.capabilities\[0\]\.type: Unsupported value: "queue"/,
    ],
    [
      'app: two capabilities named after one type',
      withSpec(app, (s) => (s.capabilities = [{ type: 'statestore' }, { type: 'statestore' }])),
      undefined,
      /capability names must be unique/,
    ],
    [
      'app: a name given twice',
      withSpec(
        app,
        (s) =>
          (s.capabilities = [
            { type: 'statestore', name: 'x' },
            { type: 'pubsub', name: 'x' },
          ]),
      ),
      undefined,
      /capability names must be unique/,
    ],
    [
      'app: capability name pattern',
      withSpec(app, (s) => (s.capabilities = [{ type: 'pubsub', name: 'Events_1' }])),
      undefined,
      /spec\.capabilities\[0\]\.name.*should match/,
    ],
    // Updates: what may change.
    ['app: capabilities added later', appWithCaps, appWithoutCaps, undefined],
    [
      'app: a capability added',
      withSpec(appWithCaps, (s) => (s.capabilities as JsonObject[]).push({ type: 'secretstore' })),
      appWithCaps,
      undefined,
    ],
    ['env: unchanged', env, env, undefined],
    [
      'env: size and tools change',
      withSpec(env, (s) => ((s.size = 'large'), (s.tools = ['argocd']))),
      env,
      undefined,
    ],
    ['env: region set where there was none', env, envWithoutRegion, undefined],
    ['app: database added later', appWithDb, appWithoutDb, undefined],
    [
      'app: database resized',
      withSpec(appWithDb, (s) => ((s.database as JsonObject).size = 'large')),
      appWithDb,
      undefined,
    ],
    // Updates: what may not.
    [
      'env: type changed',
      withSpec(env, (s) => (s.type = 'eks')),
      env,
      /spec\.type: Invalid value: "eks": type is immutable/,
    ],
    [
      'env: region changed',
      withSpec(env, (s) => (s.region = 'us-east1')),
      env,
      /spec\.region: Invalid value: "us-east1": region is immutable/,
    ],
    [
      'env: region removed',
      envWithoutRegion,
      env,
      /spec: Invalid value: .*region cannot be removed once set/,
    ],
    [
      'app: environment changed',
      withSpec(app, (s) => (s.environmentRef = { name: 'other' })),
      app,
      /environmentRef\.name is immutable/,
    ],
    ['app: database removed', appWithoutDb, appWithDb, /database cannot be removed once set/],
    ['app: capabilities removed', appWithoutCaps, appWithCaps, /a capability cannot be removed/],
    [
      'app: a capability renamed',
      withSpec(appWithCaps, (s) => ((s.capabilities as JsonObject[])[0]!.name = 'carts')),
      appWithCaps,
      /a capability cannot be removed, renamed or change its type/,
    ],
    [
      'app: a capability changes type',
      withSpec(appWithCaps, (s) => ((s.capabilities as JsonObject[])[1]!.type = 'statestore')),
      appWithCaps,
      /a capability cannot be removed, renamed or change its type/,
    ],
    [
      'app: daprAppId set later',
      withSpec(app, (s) => (s.daprAppId = 'other')),
      app,
      /daprAppId cannot be set, changed or removed/,
    ],
    [
      'app: engine changed',
      withSpec(appWithDb, (s) => ((s.database as JsonObject).engine = 'mysql')),
      appWithDb,
      /spec\.database\.engine: Invalid value: "mysql": engine is immutable/,
    ],
  ];
  return cases.map(([name, object, old, error]) => [
    { name: `${flavour} ${name}`, object, ...(old !== undefined ? { old } : {}) },
    error,
  ]);
}

describe('admission by the XRDs (the API server’s validation code)', () => {
  let results: Map<string, Admission>;
  const all: Expectation[] = [
    ...EXAMPLES.map((file): Expectation => [{ name: file, object: readYaml(file) }, undefined]),
    ...expectations('v2'),
    ...expectations('legacy'),
  ];

  beforeAll(() => {
    results = admit(
      xrdValidateBinary(),
      all.map(([c]) => c),
    );
  }, 600_000);

  it.each(all.map(([c, error]) => [c.name, error] as const))('%s', (name, error) => {
    const result = results.get(name)!;
    if (error === undefined) {
      expect(result.errors).toEqual([]);
      expect(result.pruned).toEqual([]);
    } else {
      expect(result.errors).toEqual(expect.arrayContaining([expect.stringMatching(error)]));
    }
  });
});
