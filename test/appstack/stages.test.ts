import { composeAppStack } from '../../functions/appstack/compose.js';
import { composeBackingServices } from '../../functions/appstack/backing-services.js';
import { lookupEnvironment } from '../../functions/appstack/environment.js';
import { parseAppStack } from '../../functions/appstack/spec.js';
import { ResourceGraph } from '../../functions/shared/graph/graph.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { resolvePolicy } from '../../functions/shared/policy/policy.js';
import { compositionInput, readYaml, readYamlDocs } from '../support/request.js';
import { FIXED_NOW } from '../support/simulate.js';
import { readyObject, type StageRun } from '../support/stage.js';

/**
 * The AppStack's database composers on a fixed context (each example's XR, its DevEnvironment from
 * required/, the Composition's policy), without gRPC: given what is observed ready, what is composed,
 * the deletion order, and what the AppStack says it waits for. test/golden covers the whole function.
 */
const COMPOSITION = 'apis/appstack/composition.yaml';

function databaseStage(example: string, ready: readonly string[]): StageRun {
  const dir = `examples/appstack/${example}`;
  const app = parseAppStack('namespaced', readYaml(`${dir}/xr.yaml`));
  const required = new Map([['environment', readYamlDocs(`${dir}/required/environment.yaml`)]]);
  const lookup = lookupEnvironment(app, required);
  if (lookup.state !== 'ready') throw new Error(`${dir}: its DevEnvironment is not ready`);
  const observed = new Map<string, JsonObject>(ready.map((name) => [name, readyObject()]));
  const graph = new ResourceGraph(observed);
  graph.outside('environment', {
    what: 'DevEnvironment',
    party: { apiVersion: 'devplatform.io/v1alpha1', kind: 'DevEnvironment', name: 'env' },
  });
  if (app.spec.database === undefined) throw new Error(`${dir}: no database`);
  composeBackingServices({
    // The database alone: test/appstack/capabilities.test.ts covers the capabilities.
    app: { ...app, spec: { ...app.spec, capabilities: [] } },
    environment: lookup.environment,
    policy: resolvePolicy(compositionInput(COMPOSITION)),
    graph,
    observed,
    namespace: 'app',
    labels: {},
  });
  return {
    composed: graph.list().map((r) => r.name),
    edges: graph.deletionOrder().map(({ of, by }) => `${by} keeps ${of}`),
    waits: graph.waitingFor(),
  };
}

const CREDENTIALS_READER = [
  'database-credentials-reader',
  'database-credentials-reader-role',
  'database-credentials-reader-binding',
];

describe.each([
  {
    name: 'in-cluster (vcluster): the namespace first, once the tools are ready',
    example: 'vcluster',
    ready: [],
    want: { composed: ['app-namespace'], edges: [] },
  },
  {
    name: 'in-cluster (vcluster): credentials, then the database, which keeps the environment',
    example: 'vcluster',
    ready: ['app-namespace', 'database-credentials'],
    want: {
      composed: ['app-namespace', 'database-credentials', 'database'],
      edges: ['database keeps environment'],
      waits: [],
    },
  },
  {
    name: 'Cloud SQL: the password and the instance; the instance keeps the environment',
    example: 'gke',
    ready: ['app-namespace'],
    want: {
      composed: ['app-namespace', 'database-password', 'database', ...CREDENTIALS_READER],
      edges: ['database keeps environment'],
    },
  },
  {
    name: 'Cloud SQL: database and user go with the instance (no Usage); credentials wait for the address',
    example: 'gke',
    ready: [
      'app-namespace',
      'database-password',
      'database',
      ...CREDENTIALS_READER,
      'database-credentials-store',
    ],
    want: {
      composed: [
        'app-namespace',
        'database-password',
        'database',
        'database-sql-database',
        'database-sql-user',
        ...CREDENTIALS_READER,
        'database-credentials-store',
      ],
      edges: ['database keeps environment'],
      waits: [
        'Cloud SQL instance team-ml-model-server-e53aca (no address reported yet), needed by Secret model-server-db for its address',
      ],
    },
  },
  {
    name: 'RDS: subnet and security groups keep the environment, the instance keeps them',
    example: 'eks',
    ready: ['app-namespace', 'database-password', 'database-subnet-group', 'database-security-group'],
    want: {
      composed: [
        'app-namespace',
        'database-password',
        'database-subnet-group',
        'database-security-group',
        'database-ingress',
        'database',
        ...CREDENTIALS_READER,
      ],
      edges: [
        'database-subnet-group keeps environment',
        'database-security-group keeps environment',
        'database keeps environment',
        'database keeps database-subnet-group',
        'database keeps database-security-group',
      ],
    },
  },
])('$name', ({ example, ready, want }) => {
  const run = databaseStage(example, ready);
  it('composes', () => expect(run.composed).toEqual(want.composed));
  it('orders deletion', () => expect(run.edges).toEqual(want.edges));
  if ('waits' in want) it('says what it waits for', () => expect(run.waits).toEqual(want.waits));
});

describe('the AppStack as a whole', () => {
  it('keeps the environment and the database while the Application exists', () => {
    const dir = 'examples/appstack/namespace';
    const observed = new Map<string, JsonObject>(
      ['database-credentials', 'database', 'application'].map((n) => [n, readyObject()]),
    );
    const xr = readYaml(`${dir}/xr.yaml`);
    const composition = composeAppStack({
      flavor: 'namespaced',
      // The database alone: test/appstack/capabilities.test.ts covers the capabilities.
      xr: { ...xr, spec: { ...(xr.spec as JsonObject), capabilities: [] } },
      policy: resolvePolicy(compositionInput(COMPOSITION)),
      observed,
      required: new Map([['environment', readYamlDocs(`${dir}/required/environment.yaml`)]]),
      now: FIXED_NOW,
    });
    expect(composition.resources.map((r) => r.name).filter((n) => n.startsWith('usage-'))).toEqual([
      'usage-database-uses-environment',
      'usage-application-uses-environment',
      'usage-application-uses-database',
    ]);
  });
});
