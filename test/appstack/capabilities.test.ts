import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import { getPath, type JsonObject } from '../../functions/shared/objects.js';
import { validateComposed } from '../support/models.js';
import {
  asObservedReady,
  compositionInput,
  desiredOf,
  readYaml,
  readYamlDocs,
  requestFor,
  statusOf,
} from '../support/request.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

/**
 * AppStack capabilities (spec.capabilities): what backs each by environment type and policy, the
 * Dapr components and how they get their credentials, the order they are created in, and that a
 * backend, once chosen, is never renamed or replaced. The providers are the tests' stand-ins
 * (scripts/providers.mjs): they report addresses, never run Redis or Dapr.
 */
const NOW = { now: () => FIXED_NOW };
const V2 = compositionInput('apis/appstack/composition.yaml');
const LEGACY = compositionInput('apis/claims/appstack/composition.yaml');

interface Example {
  xr: JsonObject;
  environment: JsonObject;
  input: JsonObject;
}

function example(dir: string): Example {
  return {
    xr: readYaml(`examples/${dir}/xr.yaml`),
    environment: readYamlDocs(`examples/${dir}/required/environment.yaml`)[0]!,
    input: dir.startsWith('claims/') ? LEGACY : V2,
  };
}

/** The policy with `capabilities` replaced. */
const withCapabilitiesPolicy = (input: JsonObject, capabilities: JsonObject): JsonObject => ({
  ...input,
  capabilities,
});

function finalRound({ xr, environment, input }: Example) {
  const rounds = simulate(xr, input, 14, { environment: [environment] });
  return { rounds, last: rounds[rounds.length - 1]!.response };
}

const manifest = (o: JsonObject | undefined): JsonObject =>
  (o?.spec as { forProvider: { manifest: JsonObject } }).forProvider.manifest;

describe.each([
  {
    dir: 'appstack/namespace',
    want: { carts: 'postgres', events: 'redis', secretstore: 'kubernetes-secrets' },
  },
  {
    dir: 'appstack/vcluster',
    want: { rankings: 'postgres', events: 'redis', secretstore: 'kubernetes-secrets' },
  },
  {
    dir: 'appstack/gke',
    want: { predictions: 'postgres', events: 'memorystore', secretstore: 'kubernetes-secrets' },
  },
  {
    dir: 'appstack/eks',
    want: { ledger: 'postgres', events: 'elasticache', secretstore: 'kubernetes-secrets' },
  },
  { dir: 'claims/appstack', want: { statestore: 'redis', notifications: 'redis' } },
  {
    dir: 'appstack/gke',
    policy: { statestore: { onDatabase: false }, redis: { backends: { gke: 'InCluster' } } },
    want: { predictions: 'redis', events: 'redis', secretstore: 'kubernetes-secrets' },
  },
])('capabilities of $dir (policy $policy)', ({ dir, policy, want }) => {
  const base = example(dir);
  const ex = policy === undefined ? base : { ...base, input: withCapabilitiesPolicy(base.input, policy) };
  const { last } = finalRound(ex);
  const status = statusOf(last);

  it('reports each capability with its backend, ready, and the app ID', () => {
    const reported = status.capabilities as Array<{ name: string; backend: string; ready: boolean }>;
    expect(Object.fromEntries(reported.map((c) => [c.name, c.backend]))).toEqual(want);
    expect(reported.every((c) => c.ready)).toBe(true);
    expect(status.daprAppId).toBe((ex.xr.metadata as { name: string }).name.replace(/-[a-z0-9]{5}$/, ''));
    expect(status.phase).toBe('Ready');
    expect(last.conditions.find((c) => c.type === 'CapabilitiesReady')).toMatchObject({
      reason: 'Available',
    });
  });

  it('composes one schema-valid Dapr component per capability, scoped to the app, credentials by reference', () => {
    const desired = desiredOf(last);
    for (const body of Object.values(desired)) validateComposed(body);
    for (const name of Object.keys(want)) {
      const component = manifest(desired[`dapr-component-${name}`]);
      expect(component).toMatchObject({
        apiVersion: 'dapr.io/v1alpha1',
        kind: 'Component',
        metadata: { name },
      });
      expect(component.scopes).toEqual([status.daprAppId]);
      const metadata = (component.spec as { metadata: Array<{ name: string; value?: unknown }> }).metadata;
      for (const entry of metadata.filter((m) => /password|connectionString/i.test(m.name))) {
        expect(entry).not.toHaveProperty('value');
        expect(entry).toHaveProperty('secretKeyRef');
      }
    }
  });

  it('creates the Application only after every component, and keeps each component while it exists', () => {
    const desired = desiredOf(last);
    for (const name of Object.keys(want)) {
      expect(desired[`usage-application-uses-dapr-component-${name}`]).toBeDefined();
    }
  });
});

describe('the Dapr components wait for what backs them', () => {
  const { rounds } = finalRound(example('appstack/gke'));
  const firstRound = (key: string) => rounds.findIndex((r) => key in desiredOf(r.response));

  it.each([
    ['redis-password', 'redis'],
    ['redis-ca', 'redis'],
    ['dapr-component-events', 'redis-password'],
    ['dapr-component-events', 'redis-ca'],
    ['dapr-component-predictions', 'database-credentials'],
    ['application', 'dapr-component-events'],
    ['application', 'dapr-resiliency'],
  ])('%s after %s', (later, earlier) => {
    expect(firstRound(earlier)).toBeGreaterThanOrEqual(0);
    expect(firstRound(later)).toBeGreaterThan(firstRound(earlier));
  });

  it('says what the capabilities wait for meanwhile', () => {
    const waiting = rounds.find(
      (r) => !('dapr-component-events' in desiredOf(r.response)) && 'redis' in desiredOf(r.response),
    );
    const message = waiting?.response.conditions.find((c) => c.type === 'CapabilitiesReady')?.message;
    expect(message).toMatch(/^not ready yet: .*events \(pubsub on memorystore\)/);
  });
});

describe('Redis credentials never pass through desired state', () => {
  it('in-cluster: generated in the namespace, read by the chart from its Secret', () => {
    const desired = desiredOf(finalRound(example('claims/appstack')).last);
    expect(manifest(desired['redis-password'])).toMatchObject({
      kind: 'ExternalSecret',
      spec: {
        refreshPolicy: 'CreatedOnce',
        target: { name: 'legacy-web-redis-password', creationPolicy: 'Orphan' },
      },
    });
    const release = desired.redis!.spec as { forProvider: { values: JsonObject; namespace: string } };
    expect(release.forProvider.values).toMatchObject({
      fullnameOverride: 'legacy-web-redis',
      auth: {
        enabled: true,
        usersExistingSecret: 'legacy-web-redis-password',
        aclUsers: { default: { passwordKey: 'password' } },
      },
    });
    expect(manifest(desired['dapr-component-statestore']).spec).toMatchObject({
      type: 'state.redis',
      metadata: expect.arrayContaining([
        { name: 'redisHost', value: 'legacy-web-redis.legacy-web.svc:6379' },
        { name: 'redisPassword', secretKeyRef: { name: 'legacy-web-redis-password', key: 'password' } },
        { name: 'enableTLS', value: 'false' },
      ]),
    });
  });

  it('Memorystore: AUTH and TLS on; the AUTH string is copied from the platform Secret when applied', () => {
    const desired = desiredOf(finalRound(example('appstack/gke')).last);
    expect((desired.redis!.spec as { forProvider: JsonObject }).forProvider).toMatchObject({
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      authorizedNetwork: 'projects/acme-dev-environments/global/networks/devenv-team-ml-ml-sandbox',
    });
    expect(desired.redis!.spec).toMatchObject({ writeConnectionSecretToRef: { name: 'model-server-redis' } });
    const password = desired['redis-password']!;
    expect(manifest(password)).toEqual(expect.not.objectContaining({ data: expect.anything() }));
    expect(password.spec).toMatchObject({
      references: [
        {
          patchesFrom: {
            kind: 'Secret',
            name: 'model-server-redis',
            namespace: 'team-ml',
            fieldPath: 'data[attribute.auth_string]',
          },
          toFieldPath: 'spec.forProvider.manifest.data.password',
        },
      ],
    });
    expect(manifest(desired['dapr-component-events']).spec).toMatchObject({
      type: 'pubsub.redis',
      metadata: expect.arrayContaining([
        { name: 'redisHost', value: '10.64.1.4:6378' },
        { name: 'enableTLS', value: 'true' },
      ]),
    });
    expect(manifest(desired['redis-ca'])).toMatchObject({
      kind: 'ConfigMap',
      data: { 'ca.crt': expect.stringContaining('BEGIN CERTIFICATE') },
    });
  });

  it('ElastiCache: the auth token is generated in the environment and mirrored for the provider', () => {
    const desired = desiredOf(finalRound(example('appstack/eks')).last);
    expect(desired['redis-password']!.spec).toMatchObject({
      connectionDetails: [
        expect.objectContaining({ name: 'payments-api-redis-password', fieldPath: 'data.password' }),
      ],
      writeConnectionSecretToRef: { name: 'payments-api-redis' },
    });
    expect((desired.redis!.spec as { forProvider: JsonObject }).forProvider).toMatchObject({
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: 'true',
      authTokenSecretRef: { name: 'payments-api-redis', key: 'password' },
    });
    expect((desired['redis-ingress']!.spec as { forProvider: JsonObject }).forProvider).toMatchObject({
      fromPort: 6379,
      toPort: 6379,
      referencedSecurityGroupId: 'sg-0c0ffee0c0ffee001',
    });
  });
});

describe('capabilities the environment cannot serve are refused, naming the field and the fix', () => {
  it.each([
    {
      name: 'a vcluster without Dapr',
      dir: 'appstack/vcluster',
      change: (env: JsonObject) => {
        const status = env.status as { tools: Array<{ name: string }> };
        status.tools = status.tools.filter((t) => t.name !== 'dapr');
      },
      input: V2,
      error:
        /spec\.capabilities: DevEnvironment ranking needs the tools dapr for the app's capabilities; add them to its spec\.tools/,
    },
    {
      name: 'a namespace environment on a host without Dapr',
      dir: 'appstack/namespace',
      change: () => undefined,
      input: withCapabilitiesPolicy(V2, { dapr: { onHost: false } }),
      error:
        /spec\.capabilities: DevEnvironment checkout-dev is a namespace environment and the platform's host cluster does not run Dapr/,
    },
  ])('$name', ({ dir, change, input, error }) => {
    const { xr, environment } = example(dir);
    const env = structuredClone(environment);
    change(env);
    const rsp = runFunction(requestFor(xr, { input, required: { environment: [env] } }), NOW);
    const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
    expect(fatal?.message).toMatch(error);
    expect(desiredOf(rsp)).toEqual({});
  });
});

describe('a backend, once chosen, stays', () => {
  it('a state store on Redis stays on Redis when the app gets a database later', () => {
    const ex = example('claims/appstack');
    const { last } = finalRound(ex);
    const observed = Object.entries(desiredOf(last)).map(([n, b]) => asObservedReady(ex.xr, n, b));
    const withDb = { ...ex.xr, spec: { ...(ex.xr.spec as JsonObject), database: { engine: 'postgres' } } };
    const environment = structuredClone(ex.environment);
    (environment.status as { tools: JsonObject[] }).tools.push({ name: 'cloudnative-pg', ready: true });
    const rsp = runFunction(
      requestFor(withDb, { input: ex.input, observed, required: { environment: [environment] } }),
      NOW,
    );
    expect(manifest(desiredOf(rsp)['dapr-component-statestore']).spec).toMatchObject({ type: 'state.redis' });
    expect((statusOf(rsp).capabilities as JsonObject[])[0]).toMatchObject({
      name: 'statestore',
      backend: 'redis',
    });
  });
});

/**
 * Over random observed subsets of each example's capabilities and a policy that would now choose
 * differently (in-cluster Redis everywhere, state never on the database): nothing observed is
 * dropped, each component keeps its type and name, and the Redis keeps its kind and cloud name.
 */
const STATES = propertyRuns(60);
describe.each(['appstack/gke', 'appstack/eks', 'appstack/vcluster', 'claims/appstack'])(
  'random states of the capabilities of %s under a changed policy',
  (dir) => {
    const ex = example(dir);
    const { last } = finalRound(ex);
    const universe = desiredOf(last);
    const names = Object.keys(universe);
    const changed = withCapabilitiesPolicy(ex.input, {
      statestore: { onDatabase: false },
      redis: { backends: { gke: 'InCluster', eks: 'InCluster' } },
    });
    /** What must never change about a backend or a component: its kind, cloud name, Dapr type and name. */
    const identity = (body: JsonObject | undefined) => ({
      kind: body?.kind,
      externalName: getPath(body, ['metadata', 'annotations', 'crossplane.io/external-name']),
      type: getPath(body, 'spec.forProvider.manifest.spec.type'),
      name: getPath(body, 'spec.forProvider.manifest.metadata.name'),
    });

    it(
      `keeps every backend over ${STATES} states`,
      () => {
        const next = random(propertySeed(names.length * 7919 + dir.length));
        for (let i = 0; i < STATES; i++) {
          const present = names.filter((n) => n === 'redis' || next() < 0.5);
          const observed = present.map((n) => asObservedReady(ex.xr, n, universe[n]!, next() < 0.7));
          const rsp = runFunction(
            requestFor(ex.xr, { input: changed, observed, required: { environment: [ex.environment] } }),
            NOW,
          );
          const desired = desiredOf(rsp);
          const context = `state ${i}: ${present.join(', ')}`;
          expect({
            context,
            fatal: rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL)?.message,
          }).toEqual({
            context,
            fatal: undefined,
          });
          for (const n of present.filter((p) => p === 'redis' || p.startsWith('dapr-component-'))) {
            expect({ context, n, kept: identity(desired[n]) }).toEqual({
              context,
              n,
              kept: identity(universe[n]),
            });
          }
          expect({ context, dropped: present.filter((n) => desired[n] === undefined) }).toEqual({
            context,
            dropped: [],
          });
        }
      },
      propertyTimeout(STATES),
    );
  },
);

describe('several capabilities of one type', () => {
  const ex = example('appstack/vcluster');
  const xr = {
    ...ex.xr,
    spec: {
      ...(ex.xr.spec as JsonObject),
      capabilities: [
        { type: 'statestore', name: 'orders' },
        { type: 'statestore', name: 'carts' },
        { type: 'secretstore', name: 'app-secrets' },
        { type: 'secretstore', name: 'more-secrets' },
      ],
    },
  };
  const { last } = finalRound({
    ...ex,
    xr,
    input: withCapabilitiesPolicy(ex.input, { statestore: { onDatabase: false } }),
  });
  const desired = desiredOf(last);
  const metadataOf = (name: string) =>
    (manifest(desired[`dapr-component-${name}`]).spec as { metadata: JsonObject[] }).metadata;

  it('keeps each state store apart on the shared backend', () => {
    expect(metadataOf('orders')).toContainEqual({ name: 'keyPrefix', value: 'name' });
    expect(metadataOf('carts')).toContainEqual({ name: 'keyPrefix', value: 'name' });
  });

  it('grants the secret stores one reader', () => {
    expect(Object.keys(desired).filter((k) => k.startsWith('dapr-secret-reader'))).toEqual([
      'dapr-secret-reader-role',
      'dapr-secret-reader-binding',
    ]);
    expect(statusOf(last).phase).toBe('Ready');
  });
});

it('a state store in the database gets tables of its own', () => {
  const desired = desiredOf(finalRound(example('appstack/gke')).last);
  expect(
    (manifest(desired['dapr-component-predictions']).spec as { metadata: JsonObject[] }).metadata,
  ).toContainEqual({
    name: 'tablePrefix',
    value: 'predictions_',
  });
});

describe('while the environment sleeps', () => {
  it.each([
    ['appstack/gke', /Memorystore keeps running, and is billed, while the environment sleeps/],
    ['appstack/eks', /ElastiCache keeps running, and is billed, while the environment sleeps/],
  ])('%s says what keeps running', (dir, message) => {
    const ex = example(dir);
    const { last } = finalRound(ex);
    const observed = Object.entries(desiredOf(last)).map(([n, b]) => asObservedReady(ex.xr, n, b));
    const asleep = structuredClone(ex.environment);
    Object.assign(asleep.status as JsonObject, {
      phase: 'Asleep',
      sleep: { asleep: true, reason: 'Manual', since: '2026-11-21T18:00:00Z' },
    });
    const rsp = runFunction(
      requestFor(ex.xr, { input: ex.input, observed, required: { environment: [asleep] } }),
      NOW,
    );
    expect(rsp.conditions.find((c) => c.type === 'CapabilitiesReady')?.message).toMatch(message);
    expect(Object.keys(desiredOf(rsp)).sort()).toEqual(Object.keys(desiredOf(last)).sort());
  });
});
