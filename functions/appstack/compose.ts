import type { CompositeCondition, Composition } from '../shared/composed.js';
import { InputError } from '../shared/errors.js';
import type { ComposeInput } from '../shared/composites.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import { Plan } from '../shared/plan.js';
import { desirableCopy } from '../shared/retain.js';
import { usage } from '../shared/resources/usage.js';
import { APP_RESOURCE, appNamespace, applicationName, applicationObject } from './application.js';
import {
  ENVIRONMENT_REQUIREMENT,
  environmentRequirement,
  lookupEnvironment,
  type EnvironmentLookup,
  type TargetEnvironment,
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

/** A namespace environment is one namespace: an app can only go there. */
function checkNamespace(app: ParsedAppStack, environment: TargetEnvironment): void {
  const wanted = app.spec.namespace;
  if (environment.type === 'namespace' && wanted !== undefined && wanted !== environment.namespace) {
    throw new InputError(
      'spec.namespace',
      `DevEnvironment ${environment.name} is a namespace environment: apps go into its namespace "${environment.namespace ?? ''}"; leave spec.namespace out or set it to that`,
    );
  }
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
  if (lookup.state === 'ready') {
    const environment = lookup.environment;
    checkNamespace(app, environment);
    const application = applicationObject(app, environment, input.policy, name, labels);
    plan.add({ name: APP_RESOURCE.application, body: application });
    destination = {
      environment: environment.name,
      cluster: environment.argocdClusterName,
      namespace: appNamespace(app, environment),
    };
    if (environment.usageRef !== undefined) {
      plan.add({
        name: APP_RESOURCE.environmentUsage,
        body: usage(input.flavor, {
          of: environment.usageRef,
          by: {
            apiVersion: String(application.apiVersion),
            kind: String(application.kind),
            component: APP_RESOURCE.application,
          },
          labels,
        }),
      });
    }
  } else {
    // Without a ready environment nothing new is composed, and nothing that exists is dropped.
    for (const key of [APP_RESOURCE.application, APP_RESOURCE.environmentUsage]) {
      const observed = input.observed.get(key);
      if (observed !== undefined) plan.add({ name: key, body: desirableCopy(observed) });
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
            : 'the Application is created once the environment is ready',
        },
  ];
  return {
    resources: plan.list(),
    status: {
      phase: ready ? 'Ready' : composed ? 'Deploying' : 'Waiting',
      ...(composed ? { application: name } : {}),
      ...(destination !== undefined ? { destination } : {}),
    },
    conditions,
    events: [],
    ready,
    requirements: { [ENVIRONMENT_REQUIREMENT]: environmentRequirement(app) },
  };
}
