import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
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
import { FIXED_NOW, simulate } from '../support/simulate.js';

const NOW = { now: () => FIXED_NOW };
const V2 = compositionInput('apis/appstack/composition.yaml');
const LEGACY = compositionInput('apis/claims/appstack/composition.yaml');
const example = (type: string) => ({
  xr: readYaml(`examples/appstack/${type}/xr.yaml`),
  environment: readYamlDocs(`examples/appstack/${type}/required/environment.yaml`)[0]!,
});
/** The XR without capabilities, for tests about the database and the Application alone. */
const withoutCapabilities = (xr: JsonObject): JsonObject => {
  const { capabilities: _capabilities, ...spec } = xr.spec as JsonObject;
  return { ...xr, spec };
};
const manifest = (o: JsonObject | undefined) =>
  (o?.spec as { forProvider: { manifest: JsonObject } }).forProvider.manifest;
const condition = (rsp: ReturnType<typeof runFunction>, type: string) =>
  rsp.conditions.find((c) => c.type === type);

describe('AppStack and its DevEnvironment', () => {
  const { xr, environment } = example('gke');

  it('asks Crossplane for the DevEnvironment by name in its namespace, on every call', () => {
    for (const required of [undefined, { environment: [environment] }]) {
      const rsp = runFunction(requestFor(xr, { input: V2, ...(required ? { required } : {}) }), NOW);
      expect(rsp.requirements?.resources).toEqual({
        environment: {
          apiVersion: 'devplatform.io/v1alpha1',
          kind: 'DevEnvironment',
          matchName: 'ml-sandbox',
          namespace: 'team-ml',
        },
      });
    }
  });

  it('composes nothing while the DevEnvironment has not been fetched yet', () => {
    const rsp = runFunction(requestFor(xr, { input: V2 }), NOW);
    expect(desiredOf(rsp)).toEqual({});
    expect(condition(rsp, 'EnvironmentReady')).toMatchObject({ reason: 'Fetching' });
    expect(statusOf(rsp).phase).toBe('Waiting');
  });

  it('says so when the DevEnvironment does not exist, composing nothing', () => {
    const rsp = runFunction(requestFor(xr, { input: V2, required: { environment: [] } }), NOW);
    expect(desiredOf(rsp)).toEqual({});
    expect(condition(rsp, 'EnvironmentReady')?.message).toBe(
      'DevEnvironment ml-sandbox does not exist in namespace team-ml; create it or fix spec.environmentRef.name',
    );
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
  });

  it('waits for a DevEnvironment that is not ready, and keeps an Application that already exists', () => {
    const provisioning = { ...environment, status: { phase: 'Provisioning' } };
    const waiting = runFunction(
      requestFor(xr, { input: V2, required: { environment: [provisioning] } }),
      NOW,
    );
    expect(desiredOf(waiting)).toEqual({});
    expect(condition(waiting, 'EnvironmentReady')?.message).toBe(
      'waiting for DevEnvironment ml-sandbox: its phase is Provisioning',
    );

    const ready = simulate(xr, V2, 10, { environment: [environment] });
    const existing = desiredOf(ready[ready.length - 1]!.response);
    const observed = Object.entries(existing).map(([n, b]) => asObservedReady(xr, n, b));
    const kept = runFunction(
      requestFor(xr, { input: V2, observed, required: { environment: [provisioning] } }),
      NOW,
    );
    expect(Object.keys(desiredOf(kept)).sort()).toEqual(Object.keys(existing).sort());
    expect(kept.results.filter((r) => r.severity === Severity.SEVERITY_WARNING)).toEqual([]);
  });

  it('sleeps with its DevEnvironment: Cloud SQL stopped, the app kept, phase Asleep', () => {
    const asleep = {
      ...environment,
      status: {
        ...(environment.status as JsonObject),
        phase: 'Asleep',
        sleep: {
          asleep: true,
          reason: 'Schedule',
          since: '2026-11-20T19:00:00Z',
          nextChange: '2026-11-23T07:00:00Z',
        },
      },
    };
    const ready = simulate(xr, V2, 10, { environment: [environment] });
    const existing = desiredOf(ready[ready.length - 1]!.response);
    const observed = Object.entries(existing).map(([n, b]) => asObservedReady(xr, n, b));
    const rsp = runFunction(
      requestFor(xr, { input: V2, observed, required: { environment: [asleep] } }),
      NOW,
    );
    const desired = desiredOf(rsp);
    expect(Object.keys(desired).sort()).toEqual(Object.keys(existing).sort());
    const settings = (desired.database?.spec as { forProvider: { settings: JsonObject } }).forProvider
      .settings;
    expect(settings.activationPolicy).toBe('NEVER');
    expect(
      (existing.database?.spec as { forProvider: { settings: JsonObject } }).forProvider.settings
        .activationPolicy,
    ).toBe('ALWAYS');
    expect(statusOf(rsp).phase).toBe('Asleep');
    expect(statusOf(rsp).database).toMatchObject({ stopped: true });
    expect(condition(rsp, 'EnvironmentReady')?.message).toBe(
      'DevEnvironment ml-sandbox is asleep (Schedule) until 2026-11-23T07:00:00Z; the app and its database run again, unchanged, once it wakes',
    );
    // Called back 30 s after the environment wakes, not up to ten minutes later; and once that time
    // has passed without the environment reporting it, at the usual interval, not every second.
    const at = (now: string) =>
      runFunction(requestFor(xr, { input: V2, observed, required: { environment: [asleep] } }), {
        now: () => new Date(now),
      }).meta?.ttl?.seconds;
    expect(at('2026-11-23T06:59:00Z')).toBe(90);
    expect(at('2026-11-23T07:05:00Z')).toBe(600);
  });

  it('says an RDS database stays billed while its environment sleeps', () => {
    const eks = example('eks');
    const asleep = {
      ...eks.environment,
      status: {
        ...(eks.environment.status as JsonObject),
        phase: 'Asleep',
        sleep: { asleep: true, reason: 'Manual' },
      },
    };
    const ready = simulate(eks.xr, V2, 10, { environment: [eks.environment] });
    const observed = Object.entries(desiredOf(ready[ready.length - 1]!.response)).map(([n, b]) =>
      asObservedReady(eks.xr, n, b),
    );
    const rsp = runFunction(
      requestFor(eks.xr, { input: V2, observed, required: { environment: [asleep] } }),
      NOW,
    );
    expect(statusOf(rsp).database).toMatchObject({ stopped: false });
    expect(condition(rsp, 'DatabaseReady')?.message).toMatch(
      /keeps running, and is billed, while the environment sleeps/,
    );
  });
});

describe('AppStack in a sleeping vcluster environment', () => {
  const { xr, environment } = example('vcluster-asleep');
  const rounds = simulate(xr, V2, 10, { environment: [environment] });
  const last = rounds[rounds.length - 1]!.response;
  const desired = desiredOf(last);
  const observed = Object.entries(desired).map(([n, b]) => asObservedReady(xr, n, b));
  const awake = {
    ...environment,
    spec: { ...(environment.spec as JsonObject), sleep: { asleep: false } },
    status: {
      ...(environment.status as JsonObject),
      phase: 'Ready',
      sleep: { asleep: false, since: '2026-11-21T11:00:00Z' },
    },
  };
  /** The app's SleepInfo as kube-green reports it after it last acted. */
  const reporting = (operation: string) =>
    Object.entries(desired).map(([name, body]) => {
      const object = asObservedReady(xr, name, body);
      if (name !== 'app-sleepinfo') return object;
      const status = { operation, lastScheduleTime: '2026-11-21T11:00:30Z' };
      const atProvider = { manifest: { ...manifest(body), status } };
      return { ...object, status: { ...(object.status as JsonObject), atProvider } };
    });
  const wake = (operation: string) =>
    desiredOf(
      runFunction(
        requestFor(xr, { input: V2, observed: reporting(operation), required: { environment: [awake] } }),
        NOW,
      ),
    );

  it('scales its namespace to zero through kube-green in the environment, once kube-green is ready', () => {
    expect(manifest(desired['app-sleepinfo'])).toMatchObject({
      kind: 'SleepInfo',
      metadata: { namespace: 'ranking' },
      spec: { weekdays: '*', sleepAt: '*:*', suspendCronJobs: true },
    });
    const notReady = {
      ...environment,
      status: {
        ...(environment.status as JsonObject),
        tools: ((environment.status as JsonObject).tools as JsonObject[]).map((t) => ({
          ...t,
          ready: false,
        })),
      },
    };
    const rsp = runFunction(
      requestFor(xr, { input: V2, observed, required: { environment: [notReady] } }),
      NOW,
    );
    expect(Object.keys(desiredOf(rsp))).toContain('app-sleepinfo');
    const fresh = runFunction(requestFor(xr, { input: V2, required: { environment: [notReady] } }), NOW);
    expect(Object.keys(desiredOf(fresh))).not.toContain('app-sleepinfo');
  });

  it('hibernates its PostgreSQL and keeps Argo CD from scaling the app back up', () => {
    expect(manifest(desired.database).metadata).toMatchObject({
      annotations: { 'cnpg.io/hibernation': 'on' },
    });
    expect(manifest(desired.application).spec).toMatchObject({
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] },
      ],
      syncPolicy: { syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'] },
    });
    expect(statusOf(last)).toMatchObject({ phase: 'Asleep', database: { stopped: true } });
    expect(condition(last, 'DatabaseReady')?.message).toMatch(/hibernated while the environment sleeps/);
  });

  it('wakes its namespace when the environment wakes, then lets the SleepInfo go', () => {
    const waking = wake('SLEEP');
    expect(manifest(waking['app-sleepinfo'])).toMatchObject({ spec: { wakeUpAt: '*:*', timeZone: 'UTC' } });
    expect(manifest(waking.database).metadata).toMatchObject({
      annotations: { 'cnpg.io/hibernation': 'off' },
    });
    const woken = wake('WAKE_UP');
    expect(Object.keys(woken)).not.toContain('app-sleepinfo');
    expect(Object.keys(woken).filter((n) => n.includes('sleepinfo'))).toEqual([]);
  });
});

describe.each(['namespace', 'vcluster', 'gke', 'eks'])('AppStack into a %s environment', (type) => {
  const { xr, environment } = example(type);
  const rounds = simulate(xr, V2, 10, { environment: [environment] });
  const last = rounds[rounds.length - 1]!.response;
  const desired = desiredOf(last);
  const env = environment.status as { argocdClusterName: string; argocdProject: string; namespace?: string };
  const envName = (environment.metadata as { name: string }).name;

  it('delivers the app with an Argo CD Application into the environment cluster and project', () => {
    const app = manifest(desired.application);
    expect(app).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: env.argocdProject,
        destination: { name: env.argocdClusterName },
        // Its environment's ttl puts it to sleep; in namespace and vcluster environments kube-green
        // then scales the app, which Argo CD must not undo.
        syncPolicy: {
          syncOptions:
            type === 'namespace' || type === 'vcluster'
              ? ['CreateNamespace=true', 'RespectIgnoreDifferences=true']
              : ['CreateNamespace=true'],
        },
      },
    });
    expect(desired.application?.spec).toMatchObject({ readiness: { policy: 'DeriveFromCelQuery' } });
    for (const body of Object.values(desired)) validateComposed(body);
  });

  it('names the Usages that keep its DevEnvironment after itself, so a refused delete says who uses it', () => {
    const first = desiredOf(
      rounds.find((r) => desiredOf(r.response)['usage-application-uses-environment'])!.response,
    );
    expect(first['usage-application-uses-environment']?.metadata).toMatchObject({
      name: `appstack-${(xr.metadata as { name: string }).name}-application-uses-${envName}`,
    });
    // Once it exists it keeps the name it has (an AppStack from before this naming keeps its own).
    expect(desired['usage-application-uses-environment']?.metadata).not.toHaveProperty('name');
  });

  it('keeps the environment while the app exists', () => {
    expect(desired['usage-application-uses-environment']?.spec).toMatchObject({
      of: {
        apiVersion: 'devplatform.io/v1alpha1',
        kind: 'DevEnvironment',
        resourceRef: { name: envName },
      },
      by: {
        kind: 'Object',
        resourceSelector: { matchLabels: { 'devplatform.io/component': 'application' } },
      },
      replayDeletion: true,
    });
  });

  it('reports the Application and its destination', () => {
    const status = statusOf(last);
    expect(status).toMatchObject({
      phase: 'Ready',
      application: (manifest(desired.application).metadata as { name: string }).name,
      destination: { cluster: env.argocdClusterName },
    });
    if (type === 'namespace') {
      expect(status.destination).toMatchObject({ namespace: env.namespace });
    }
  });
});

describe('AppStack spec', () => {
  it('maps source and sync to the Application', () => {
    const { xr: withDatabase, environment } = example('vcluster');
    const { database: _database, ...spec } = withoutCapabilities(withDatabase).spec as JsonObject;
    const xr = { ...withDatabase, spec };
    const rsp = runFunction(requestFor(xr, { input: V2, required: { environment: [environment] } }), NOW);
    expect(manifest(desiredOf(rsp).application).spec).toMatchObject({
      source: {
        repoURL: 'https://github.com/acme/ranking.git',
        path: 'charts/ranking-api',
        targetRevision: 'HEAD',
        helm: { valuesObject: { replicaCount: 2, image: { tag: '1.4.0' } } },
      },
      destination: { namespace: 'ranking' },
      syncPolicy: { syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'] },
    });
    expect((manifest(desiredOf(rsp).application).spec as JsonObject).syncPolicy).not.toHaveProperty(
      'automated',
    );
  });

  it('refuses another namespace in a namespace environment, naming the field', () => {
    const { xr, environment } = example('namespace');
    const elsewhere = { ...xr, spec: { ...(xr.spec as JsonObject), namespace: 'somewhere-else' } };
    const rsp = runFunction(
      requestFor(elsewhere, { input: V2, required: { environment: [environment] } }),
      NOW,
    );
    expect(rsp.results[0]?.severity).toBe(Severity.SEVERITY_FATAL);
    expect(rsp.results[0]?.message).toMatch(
      /^invalid AppStack: spec\.namespace: DevEnvironment checkout-dev is a namespace environment/,
    );
  });

  it.each([
    [{ source: { repoURL: 'x' } }, /spec\.environmentRef: is required/],
    [{ environmentRef: { name: 'e' } }, /spec\.source: is required/],
    [
      { environmentRef: { name: 'e' }, source: { repoURL: 'x' }, namespace: 'Bad_NS' },
      /spec\.namespace: must match pattern/,
    ],
    [
      { environmentRef: { name: 'e' }, source: { repoURL: 'x' }, database: { engine: 'mysql' } },
      /spec\.database\.engine: must be one of "postgres"/,
    ],
  ])('rejects %j naming the field', (spec, message) => {
    const xr = {
      apiVersion: 'devplatform.io/v1alpha1',
      kind: 'AppStack',
      metadata: { name: 'a', namespace: 'n' },
      spec,
    };
    const rsp = runFunction(requestFor(xr, { input: V2 }), NOW);
    expect(rsp.results[0]?.severity).toBe(Severity.SEVERITY_FATAL);
    expect(rsp.results[0]?.message).toMatch(message);
    expect(desiredOf(rsp)).toEqual({});
  });
});

describe('legacy AppStack claim', () => {
  const xr = withoutCapabilities(readYaml('examples/claims/appstack/xr.yaml'));
  const environment = readYamlDocs('examples/claims/appstack/required/environment.yaml')[0]!;

  it('asks for the DevEnvironment claim in the claim namespace and protects the XR behind it', () => {
    const rsp = runFunction(requestFor(xr, { input: LEGACY, required: { environment: [environment] } }), NOW);
    expect(rsp.requirements?.resources.environment).toEqual({
      apiVersion: 'claims.devplatform.io/v1alpha1',
      kind: 'DevEnvironment',
      matchName: 'legacy-app',
      namespace: 'team-legacy',
    });
    const desired = desiredOf(rsp);
    expect(desired.application?.apiVersion).toBe('kubernetes.crossplane.io/v1alpha2');
    expect(desired['usage-application-uses-environment']).toMatchObject({
      kind: 'ClusterUsage',
      spec: { of: { kind: 'XDevEnvironment', resourceRef: { name: 'legacy-app-7x2kq' } } },
    });
    for (const body of Object.values(desired)) validateComposed(body);
  });

  it.each([
    {
      type: 'gke',
      kinds: {
        database: 'sql.gcp.upbound.io/v1beta2',
        'database-sql-user': 'sql.gcp.upbound.io/v1beta2',
        'database-sql-database': 'sql.gcp.upbound.io/v1beta1',
      },
      holder: 'database-sql-user',
    },
    {
      type: 'eks',
      kinds: {
        database: 'rds.aws.upbound.io/v1beta3',
        'database-subnet-group': 'rds.aws.upbound.io/v1beta1',
        'database-security-group': 'ec2.aws.upbound.io/v1beta1',
        'database-ingress': 'ec2.aws.upbound.io/v1beta1',
      },
      holder: 'database',
    },
  ])(
    'composes a $type cloud database in the legacy groups, reading the password Secret in the claim namespace',
    ({ type, kinds, holder }) => {
      // The v2 example environment's final status, as the DevEnvironment claim in team-legacy would carry it.
      const cloud = readYamlDocs(`examples/appstack/${type}/required/environment.yaml`)[0]!;
      const env = {
        ...environment,
        spec: { ...(environment.spec as JsonObject), type },
        status: cloud.status,
      };
      const withDb = { ...xr, spec: { ...(xr.spec as JsonObject), database: { engine: 'postgres' } } };
      const rounds = simulate(withDb, LEGACY, 12, { environment: [env] });
      const desired = desiredOf(rounds[rounds.length - 1]!.response);
      for (const [key, apiVersion] of Object.entries(kinds))
        expect(desired[key]?.apiVersion).toBe(apiVersion);
      for (const body of Object.values(desired)) validateComposed(body);
      expect((desired[holder]!.spec as { forProvider: JsonObject }).forProvider.passwordSecretRef).toEqual({
        name: 'legacy-web-db-password',
        namespace: 'team-legacy',
        key: 'password',
      });
      expect(desired['database-password']?.spec).toMatchObject({
        writeConnectionSecretToRef: { name: 'legacy-web-db-password', namespace: 'team-legacy' },
      });
      expect(statusOf(rounds[rounds.length - 1]!.response).phase).toBe('Ready');
    },
  );

  it('refuses a legacy XR that did not come from a claim', () => {
    const bare = { ...xr, metadata: { name: 'orphan' } };
    const rsp = runFunction(requestFor(bare, { input: LEGACY }), NOW);
    expect(rsp.results[0]?.message).toMatch(
      /metadata\.labels: a legacy XAppStack must come from an AppStack claim/,
    );
  });
});

describe('AppStack database in the environment', () => {
  const { xr: withCapabilities, environment } = example('vcluster');
  const xr = withoutCapabilities(withCapabilities);
  const rounds = simulate(xr, V2, 10, { environment: [environment] });
  const desired = desiredOf(rounds[rounds.length - 1]!.response);
  const keys = (i: number) =>
    Object.keys(desiredOf(rounds[i]!.response))
      .filter((k) => !k.startsWith('usage-'))
      .sort();

  it('creates the namespace, the credentials, the database, then the app', () => {
    expect(keys(0)).toEqual(['app-namespace']);
    expect(keys(1)).toEqual(['app-namespace', 'database-credentials']);
    expect(keys(2)).toEqual(['app-namespace', 'database', 'database-credentials']);
    expect(keys(3)).toEqual(['app-namespace', 'application', 'database', 'database-credentials']);
    for (const [key, body] of Object.entries(desired)) {
      // Everything but the Application (which lives with Argo CD) goes through the environment's ProviderConfig.
      if (body.kind === 'Object' && key !== 'application') {
        expect(body.spec).toMatchObject({
          providerConfigRef: { kind: 'ProviderConfig', name: 'devenv-team-search-ranking' },
        });
      }
      validateComposed(body);
    }
  });

  it('generates the credentials inside the environment, once, into exactly the keys the app reads', () => {
    const secret = manifest(desired['database-credentials']);
    expect(secret).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'ranking-api-db', namespace: 'ranking' },
      spec: {
        refreshPolicy: 'CreatedOnce',
        dataFrom: [
          { sourceRef: { generatorRef: { kind: 'ClusterGenerator', name: 'devplatform-db-password' } } },
        ],
        target: { name: 'ranking-api-db', creationPolicy: 'Orphan' },
      },
    });
    const template = (secret.spec as { target: { template: { data: Record<string, string> } } }).target
      .template;
    expect(Object.keys(template.data).sort()).toEqual([
      'database',
      'host',
      'password',
      'port',
      'uri',
      'username',
    ]);
    expect(template.data).toEqual({
      host: 'ranking-api-db-rw.ranking.svc',
      port: '5432',
      username: 'app',
      password: '{{ .password }}',
      database: 'app',
      uri: 'postgresql://app:{{ .password }}@ranking-api-db-rw.ranking.svc:5432/app',
    });
  });

  it('bootstraps a CloudNativePG cluster sized by the policy from those credentials', () => {
    expect(manifest(desired.database)).toMatchObject({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'ranking-api-db', namespace: 'ranking' },
      spec: {
        instances: 2,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:16.10',
        storage: { size: '20Gi' },
        bootstrap: { initdb: { database: 'app', owner: 'app', secret: { name: 'ranking-api-db' } } },
      },
    });
  });

  it('keeps the database while the app exists, and reports the Secret', () => {
    expect(desired['usage-application-uses-database']?.spec).toMatchObject({
      of: { kind: 'Object', resourceSelector: { matchLabels: { 'devplatform.io/component': 'database' } } },
      by: {
        kind: 'Object',
        resourceSelector: { matchLabels: { 'devplatform.io/component': 'application' } },
      },
      replayDeletion: true,
    });
    expect(statusOf(rounds[rounds.length - 1]!.response)).toMatchObject({
      phase: 'Ready',
      database: { secretName: 'ranking-api-db', ready: true },
    });
  });

  it('uses a namespace environment namespace and the host ProviderConfig', () => {
    const ns = example('namespace');
    const r = simulate(ns.xr, V2, 10, { environment: [ns.environment] });
    const d = desiredOf(r[r.length - 1]!.response);
    expect(d['app-namespace']).toBeUndefined();
    expect(manifest(d.database).metadata).toMatchObject({ namespace: 'team-payments-checkout-dev' });
    expect(d.database?.spec).toMatchObject({
      providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
    });
  });

  it('waits for the database tools of the environment, and names the missing ones', () => {
    const status = environment.status as { tools: Array<{ name: string; ready: boolean }> };
    const installing = {
      ...environment,
      status: { ...status, tools: status.tools.map((t) => ({ ...t, ready: t.name !== 'cloudnative-pg' })) },
    };
    const waiting = runFunction(requestFor(xr, { input: V2, required: { environment: [installing] } }), NOW);
    expect(desiredOf(waiting)).toEqual({});
    expect(condition(waiting, 'DatabaseReady')?.message).toBe(
      "waiting for: tool cloudnative-pg in DevEnvironment ranking (not ready yet), needed by namespace ranking in the environment for the app's database",
    );

    const without = {
      ...environment,
      status: { ...status, tools: status.tools.filter((t) => t.name === 'argocd') },
    };
    const refused = runFunction(requestFor(xr, { input: V2, required: { environment: [without] } }), NOW);
    expect(refused.results[0]?.message).toMatch(
      /spec\.database: DevEnvironment ranking needs the tools cloudnative-pg, external-secrets for an in-cluster database/,
    );
  });

  it('refuses versions the platform does not offer, naming the field', () => {
    const old = {
      ...xr,
      spec: { ...(xr.spec as JsonObject), database: { engine: 'postgres', version: '9.6' } },
    };
    const rsp = runFunction(requestFor(old, { input: V2, required: { environment: [environment] } }), NOW);
    expect(rsp.results[0]?.message).toMatch(
      /spec\.database\.version: "9\.6" is not offered for vcluster environments; the platform offers 16, 17/,
    );
  });
});

/** The observed resource as the simulation reports it in `round`. */
const observedIn = (round: { observed: JsonObject[] }, key: string) =>
  round.observed.find(
    (o) =>
      (o.metadata as { annotations?: Record<string, string> }).annotations?.[
        'crossplane.io/composition-resource-name'
      ] === key,
  );

describe.each([
  { type: 'gke', server: 'DatabaseInstance', host: '10.64.0.3' },
  { type: 'eks', server: 'Instance', host: 'instance.c9akciq32.eu-west-1.rds.amazonaws.com' },
])('AppStack cloud database in a $type environment', ({ type, server, host }) => {
  const { xr, environment } = example(type);
  const rounds = simulate(xr, V2, 12, { environment: [environment] });
  const last = rounds[rounds.length - 1]!;
  const desired = desiredOf(last.response);
  const app = String((xr.metadata as { name: string }).name);
  const appNamespace = String((xr.spec as { namespace?: string }).namespace ?? app);
  const firstRound = (key: string) => rounds.findIndex((r) => key in desiredOf(r.response));

  it('composes only schema-valid resources and becomes ready', () => {
    for (const body of Object.values(desired)) validateComposed(body);
    expect(statusOf(last.response)).toMatchObject({
      phase: 'Ready',
      database: { secretName: `${app}-db`, ready: true },
    });
    expect(condition(last.response, 'DatabaseReady')).toMatchObject({ reason: 'Available' });
  });

  it('generates the password inside the environment, once, and mirrors it to the platform as a connection Secret', () => {
    const password = desired['database-password']!;
    expect(manifest(password)).toMatchObject({
      kind: 'ExternalSecret',
      metadata: { name: `${app}-db-password`, namespace: appNamespace },
      spec: {
        refreshPolicy: 'CreatedOnce',
        dataFrom: [
          { sourceRef: { generatorRef: { kind: 'ClusterGenerator', name: 'devplatform-db-password' } } },
        ],
        target: { name: `${app}-db-password`, creationPolicy: 'Orphan' },
      },
    });
    expect(password.spec).toMatchObject({
      connectionDetails: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          name: `${app}-db-password`,
          namespace: appNamespace,
          fieldPath: 'data.password',
          toConnectionSecretKey: 'password',
        },
      ],
      writeConnectionSecretToRef: { name: `${app}-db-password` },
    });
  });

  it('sets the database password from the mirrored Secret, never from a value', () => {
    const holder = type === 'gke' ? desired['database-sql-user']! : desired.database!;
    const forProvider = (holder.spec as { forProvider: JsonObject }).forProvider;
    expect(forProvider.passwordSecretRef).toEqual({ name: `${app}-db-password`, key: 'password' });
    expect(JSON.stringify(desired)).not.toMatch(/"password":\s*"[^{]/);
    // The user is created only once the password exists.
    const passwordReady = rounds.findIndex((r) => observedIn(r, 'database-password') !== undefined);
    expect(passwordReady).toBeGreaterThan(0);
    expect(firstRound(type === 'gke' ? 'database-sql-user' : 'database')).toBeGreaterThanOrEqual(
      passwordReady,
    );
  });

  it('delivers the six keys into the app namespace once the database has an address, TLS required', () => {
    const databaseObserved = rounds.findIndex((r) => observedIn(r, 'database') !== undefined);
    expect(databaseObserved).toBeGreaterThan(0);
    expect(firstRound('database-credentials')).toBeGreaterThanOrEqual(databaseObserved);
    const secret = manifest(desired['database-credentials']);
    expect(secret).toMatchObject({
      kind: 'ExternalSecret',
      metadata: { name: `${app}-db`, namespace: appNamespace },
      spec: {
        secretStoreRef: { kind: 'SecretStore', name: `${app}-db` },
        data: [{ secretKey: 'password', remoteRef: { key: `${app}-db-password`, property: 'password' } }],
        target: { name: `${app}-db`, creationPolicy: 'Owner' },
      },
    });
    const data = (secret.spec as { target: { template: { data: Record<string, string> } } }).target.template
      .data;
    expect(data).toEqual({
      host,
      port: '5432',
      username: 'app',
      password: '{{ .password }}',
      database: 'app',
      uri: `postgresql://app:{{ .password }}@${host}:5432/app?sslmode=require`,
    });
    expect(manifest(desired['database-credentials-reader-role'])).toMatchObject({
      kind: 'Role',
      rules: [{ resources: ['secrets'], resourceNames: [`${app}-db-password`], verbs: ['get'] }],
    });
    expect(manifest(desired['database-credentials-store'])).toMatchObject({
      kind: 'SecretStore',
      spec: { provider: { kubernetes: { remoteNamespace: appNamespace } } },
    });
  });

  it('starts the app only after the database and its credentials, and keeps both while it runs', () => {
    expect(firstRound('application')).toBeGreaterThan(firstRound('database-credentials'));
    expect(desired['usage-application-uses-database']?.spec).toMatchObject({
      of: { kind: server, resourceSelector: { matchLabels: { 'devplatform.io/component': 'database' } } },
    });
    expect(desired['usage-database-uses-environment']?.spec).toMatchObject({
      of: {
        kind: 'DevEnvironment',
        resourceRef: { name: String((xr.spec as { environmentRef: { name: string } }).environmentRef.name) },
      },
      by: { kind: server },
    });
  });

  it('keeps the credentials as they are when the provider stops reporting the address', () => {
    const observed = last.observed.map((o) => {
      const key = (o.metadata as { annotations: Record<string, string> }).annotations[
        'crossplane.io/composition-resource-name'
      ];
      return key === 'database' ? { ...o, status: { conditions: (o.status as JsonObject).conditions } } : o;
    });
    const rsp = runFunction(
      requestFor(xr, { input: V2, observed, required: { environment: [environment] } }),
      NOW,
    );
    expect(manifest(desiredOf(rsp)['database-credentials'])).toEqual(
      manifest(desired['database-credentials']),
    );
  });

  it('needs External Secrets in the environment, and the network it reports', () => {
    const status = environment.status as JsonObject & { tools: Array<{ name: string }> };
    const without = {
      ...environment,
      status: { ...status, tools: status.tools.filter((t) => t.name !== 'external-secrets') },
    };
    const refused = runFunction(requestFor(xr, { input: V2, required: { environment: [without] } }), NOW);
    expect(refused.results[0]?.message).toMatch(
      /spec\.database: DevEnvironment \S+ needs the tools external-secrets for the database credentials/,
    );
    const { network: _network, ...older } = status;
    const old = runFunction(
      requestFor(xr, { input: V2, required: { environment: [{ ...environment, status: older }] } }),
      NOW,
    );
    expect(old.results[0]?.message).toMatch(/does not report status\.network/);
  });
});

describe('AppStack cloud database names', () => {
  it('keeps the Cloud SQL instance and RDS identifier it was created with', () => {
    for (const [type, read] of [
      [
        'gke',
        (o: JsonObject) =>
          (o.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name'],
      ],
      ['eks', (o: JsonObject) => (o.spec as { forProvider: { identifier: string } }).forProvider.identifier],
    ] as const) {
      const { xr, environment } = example(type);
      const rounds = simulate(xr, V2, 12, { environment: [environment] });
      const last = rounds[rounds.length - 1]!;
      const renamed = last.observed.map((o) => {
        const key = (o.metadata as { annotations: Record<string, string> }).annotations[
          'crossplane.io/composition-resource-name'
        ];
        if (key !== 'database') return o;
        const meta = o.metadata as { annotations: Record<string, string> };
        const spec = o.spec as { forProvider: JsonObject };
        return type === 'gke'
          ? {
              ...o,
              metadata: {
                ...meta,
                annotations: { ...meta.annotations, 'crossplane.io/external-name': 'made-long-ago' },
              },
            }
          : { ...o, spec: { ...spec, forProvider: { ...spec.forProvider, identifier: 'made-long-ago' } } };
      });
      // A later AppStack with the same name (another creation time) would get another name; this one keeps its own.
      const later = {
        ...xr,
        metadata: { ...(xr.metadata as JsonObject), creationTimestamp: '2027-01-01T00:00:00Z' },
      };
      const rsp = runFunction(
        requestFor(later, { input: V2, observed: renamed, required: { environment: [environment] } }),
        NOW,
      );
      expect(read(desiredOf(rsp).database!)).toBe('made-long-ago');
      const fresh = runFunction(
        requestFor(later, { input: V2, required: { environment: [environment] } }),
        NOW,
      );
      const before = read(desiredOf(rounds[rounds.length - 1]!.response).database!);
      const after = desiredOf(fresh).database;
      if (after !== undefined) expect(read(after)).not.toBe(before);
    }
  });
});
