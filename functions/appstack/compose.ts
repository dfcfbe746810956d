import type { CompositeCondition, Composition } from '../shared/composed.js';
import type { ComposeInput } from '../shared/composites.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import { Plan, type Gate } from '../shared/plan.js';
import { desirableCopy } from '../shared/retain.js';
import { usage } from '../shared/resources/usage.js';
import { APP_RESOURCE, appNamespace, applicationName, applicationObject } from './application.js';
import { composeDatabase, DB_RESOURCE, type DatabaseStatus } from './database.js';
import {
  ENVIRONMENT_REQUIREMENT,
  environmentRequirement,
  lookupEnvironment,
  type EnvironmentLookup,
} from './environment.js';
import { parseAppStack, type ParsedAppStack } from './spec.js';

function appLabels(app: ParsedAppStack): Record<string, string> {
  return {
    'devplatform.io/appstack': dnsLabel(app.identity.name, 63),
    ...(app.identity.namespace !== undefined
      ? { 'devplatform.io/owner-namespace': dnsLabel(app.identity.namespace, 63) }
      : {}),
    'devplatform.io/environment': dnsLabel(app.spec.environmentName, 63),
  };
}

function environmentCondition(app: ParsedAppStack, lookup: EnvironmentLookup): CompositeCondition {
  const name = `DevEnvironment ${app.spec.environmentName}`;
  const where = app.identity.namespace !== undefined ? ` in namespace ${app.identity.namespace}` : '';
  switch (lookup.state) {
    case 'unknown':
      return {
        type: 'EnvironmentReady',
        status: 'Unknown',
        reason: 'Fetching',
        message: `looking up ${name}${where}`,
      };
    case 'missing':
      return {
        type: 'EnvironmentReady',
        status: 'False',
        reason: 'NotFound',
        message: `${name} does not exist${where}; create it or fix spec.environmentRef.name`,
      };
    case 'not-ready':
      return {
        type: 'EnvironmentReady',
        status: 'False',
        reason: 'NotReady',
        message: `waiting for ${name}: ${lookup.reason}`,
      };
    case 'ready':
      return {
        type: 'EnvironmentReady',
        status: 'True',
        reason: 'Available',
        message: `${name} is ready (Argo CD cluster ${lookup.environment.argocdClusterName})`,
      };
  }
}

/**
 * Composes an AppStack: asks Crossplane for its DevEnvironment (a required resource), and once that
 * is ready and registered with Argo CD, an Argo CD Application delivering the app into it, with a
 * Usage that keeps the environment while the app exists. While the environment is missing or not
 * ready it says so and composes nothing new; what already exists is kept as it is.
 */
export function composeAppStack(input: ComposeInput): Composition {
  const app = parseAppStack(input.flavor, input.xr);
  const plan = new Plan(input.observed);
  const lookup = lookupEnvironment(app, input.required);
  const labels = appLabels(app);
  const name = applicationName(app, input.observed);

  let destination: JsonObject | undefined;
  let database: DatabaseStatus | undefined;
  if (lookup.state === 'ready') {
    const environment = lookup.environment;
    const namespace = appNamespace(app, environment);
    destination = { environment: environment.name, cluster: environment.argocdClusterName, namespace };

    // The database first: the app starts once its credentials and database exist.
    let appGate: Gate = { open: true, blockers: [] };
    if (app.spec.database !== undefined) {
      const composed = composeDatabase({
        app,
        database: app.spec.database,
        environment,
        policy: input.policy,
        plan,
        namespace,
        labels,
      });
      database = composed.status;
      appGate = plan.gate(composed.dependencies);
    }

    const application = applicationObject(app, environment, input.policy, name, labels);
    if (plan.addWhen(appGate, { name: APP_RESOURCE.application, body: application })) {
      const by = {
        apiVersion: String(application.apiVersion),
        kind: String(application.kind),
        component: APP_RESOURCE.application,
      };
      if (environment.usageRef !== undefined) {
        plan.add({
          name: APP_RESOURCE.environmentUsage,
          body: usage(input.flavor, { of: environment.usageRef, by, labels }),
        });
      }
      const databaseBody = plan.get(DB_RESOURCE.database)?.body;
      if (databaseBody !== undefined) {
        plan.add({
          name: APP_RESOURCE.databaseUsage,
          body: usage(input.flavor, {
            of: {
              apiVersion: String(databaseBody.apiVersion),
              kind: String(databaseBody.kind),
              component: DB_RESOURCE.database,
            },
            by,
            labels,
          }),
        });
      }
    }
    // The environment (its cluster, network, ProviderConfig) outlives the database too.
    const databaseBody = plan.get(DB_RESOURCE.database)?.body;
    if (databaseBody !== undefined && environment.usageRef !== undefined) {
      plan.add({
        name: APP_RESOURCE.databaseEnvironmentUsage,
        body: usage(input.flavor, {
          of: environment.usageRef,
          by: {
            apiVersion: String(databaseBody.apiVersion),
            kind: String(databaseBody.kind),
            component: DB_RESOURCE.database,
          },
          labels,
        }),
      });
    }
  } else {
    // Without a ready environment nothing new is composed, and nothing that exists is dropped.
    for (const [key, observed] of input.observed) {
      plan.add({ name: key, body: desirableCopy(observed) });
    }
  }

  const applicationReady = plan.isReady(APP_RESOURCE.application);
  const composed = plan.has(APP_RESOURCE.application);
  const ready = lookup.state === 'ready' && plan.notReady().length === 0;
  const conditions: CompositeCondition[] = [
    environmentCondition(app, lookup),
    applicationReady
      ? {
          type: 'ApplicationReady',
          status: 'True',
          reason: 'Available',
          message: `Argo CD Application ${name} is synced and healthy`,
        }
      : {
          type: 'ApplicationReady',
          status: 'False',
          reason: composed ? 'Syncing' : 'Waiting',
          message: composed
            ? `Argo CD Application ${name} is not synced and healthy yet`
            : lookup.state === 'ready' && database !== undefined && !database.ready
              ? 'the Argo CD Application is created once the database and the Secret with its credentials are ready'
              : 'the Argo CD Application is created once the environment is ready',
        },
  ];
  if (database !== undefined) {
    conditions.push(
      database.ready
        ? {
            type: 'DatabaseReady',
            status: 'True',
            reason: 'Available',
            message: `the database is ready; the app mounts Secret ${database.secretName}`,
          }
        : {
            type: 'DatabaseReady',
            status: 'False',
            reason: 'Creating',
            message: plan.progressMessage(),
          },
    );
  }
  return {
    resources: plan.list(),
    status: {
      phase: ready ? 'Ready' : composed || plan.list().length > 0 ? 'Deploying' : 'Waiting',
      ...(composed ? { application: name } : {}),
      ...(destination !== undefined ? { destination } : {}),
      ...(database !== undefined ? { database } : {}),
    },
    conditions,
    events: [],
    ready,
    requirements: { [ENVIRONMENT_REQUIREMENT]: environmentRequirement(app) },
  };
}
