import type { CompositeCondition, Composition } from '../shared/composed.js';
import type { ComposeInput } from '../shared/composites.js';
import { ResourceGraph } from '../shared/graph/graph.js';
import { dnsLabel } from '../shared/names.js';
import { isObject, type JsonObject } from '../shared/objects.js';
import { desirableCopy } from '../shared/retain.js';
import { appNamespace, applicationObject } from './application.js';
import { composeBackingServices, type BackingServices } from './backing-services.js';
import { capabilitiesCondition } from './capabilities/condition.js';
import { applicationCondition, databaseCondition, environmentCondition } from './conditions.js';
import {
  ENVIRONMENT_REQUIREMENT,
  environmentRequirement,
  lookupEnvironment,
  type EnvironmentLookup,
  type TargetEnvironment,
} from './environment.js';
import { applicationName, RESOURCE } from './naming.js';
import { appProvisioning } from './provisioning.js';
import { composeAppSleep } from './sleep.js';
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

interface ComposedStack {
  destination: JsonObject;
  backing: BackingServices;
}

/**
 * Into a ready environment: the database and the capabilities first (the app starts once its
 * credentials, database and Dapr components exist), then the Argo CD Application delivering the
 * app. The environment is kept (a Usage) while the app or anything it was given exists, and what it
 * was given while the app does.
 */
function composeStack(
  input: ComposeInput,
  app: ParsedAppStack,
  graph: ResourceGraph,
  environment: TargetEnvironment,
): ComposedStack {
  const labels = appLabels(app);
  const namespace = appNamespace(app, environment);
  graph.outside(RESOURCE.environment, {
    what: `DevEnvironment ${environment.name}`,
    ...(environment.usageRef !== undefined ? { party: environment.usageRef } : {}),
    // Deleting the DevEnvironment is refused while the app is there, quoting this name.
    usageObjectName: (by) => dnsLabel(`appstack-${app.identity.name}-${by}-uses-${environment.name}`, 253),
  });
  const { policy, observed } = input;
  const backing = composeBackingServices({ app, environment, policy, graph, observed, namespace, labels });
  const name = applicationName(app, input.observed);
  graph.add({
    name: RESOURCE.application,
    what: `Argo CD Application ${name}`,
    needs: [{ on: RESOURCE.environment, for: 'the environment it is delivered into' }, ...backing.needs],
    body: applicationObject(app, environment, input.policy, name, labels),
  });
  composeAppSleep({
    app,
    environment,
    policy: input.policy,
    graph,
    observed: input.observed,
    now: input.now,
    namespace,
    labels,
    // Without a namespace of its own Argo CD creates the app's namespace (CreateNamespace), so wait for it.
    inNamespace: graph.has(RESOURCE.namespace)
      ? [{ on: RESOURCE.namespace, for: 'the namespace it lives in' }]
      : [{ on: RESOURCE.application, for: 'the namespace Argo CD creates for the app' }],
  });
  graph.composeDeletionOrder(input.flavor, labels);
  return {
    destination: { environment: environment.name, cluster: environment.argocdClusterName, namespace },
    backing,
  };
}

/**
 * Composes an AppStack: asks Crossplane for its DevEnvironment (a required resource), and once that
 * is ready and registered with Argo CD, its database and the Argo CD Application delivering the app
 * into it. While the environment is missing or not ready it says so and composes nothing new; what
 * already exists is kept as it is.
 */
export function composeAppStack(input: ComposeInput): Composition {
  const app = parseAppStack(input.flavor, input.xr);
  const graph = new ResourceGraph(input.observed);
  const lookup = lookupEnvironment(app, input.required);
  let stack: ComposedStack | undefined;
  if (lookup.state === 'ready') {
    stack = composeStack(input, app, graph, lookup.environment);
  } else {
    for (const [name, observed] of input.observed)
      graph.add({ name, what: name, body: desirableCopy(observed) });
  }

  const name = applicationName(app, input.observed);
  const composed = graph.has(RESOURCE.application);
  const ready = lookup.state === 'ready' && graph.notReady().length === 0;
  const database = stack?.backing.database;
  const capabilities = stack?.backing.capabilities;
  const asked = app.spec.capabilities.length > 0;
  return {
    resources: graph.list(),
    status: {
      phase:
        lookup.state === 'ready' && lookup.environment.asleep !== undefined
          ? 'Asleep'
          : ready
            ? 'Ready'
            : composed || graph.list().length > 0
              ? 'Deploying'
              : 'Waiting',
      ...(composed ? { application: name } : {}),
      ...(stack !== undefined ? { destination: stack.destination } : {}),
      ...(database !== undefined ? { database: database.status } : {}),
      ...(asked ? { daprAppId: app.spec.daprAppId } : {}),
      ...(capabilities !== undefined ? { capabilities: capabilities.status } : {}),
      provisioning: appProvisioning(
        app,
        graph,
        lookup,
        isObject(input.xr.status) ? input.xr.status : undefined,
        ready,
      ),
    },
    conditions: appConditions(app, graph, lookup, name, stack?.backing),
    events: [],
    ready,
    requirements: { [ENVIRONMENT_REQUIREMENT]: environmentRequirement(app) },
    ...(lookup.state === 'ready'
      ? followEnvironment(lookup.environment, input.now)
      : { recheckWithinSeconds: ENVIRONMENT_RECHECK_SECONDS }),
  };
}

/** Its environment and Application, and its database and capabilities where it has them. */
function appConditions(
  app: ParsedAppStack,
  graph: ResourceGraph,
  lookup: EnvironmentLookup,
  name: string,
  backing: BackingServices | undefined,
): CompositeCondition[] {
  const database = backing?.database;
  const capabilities = backing?.capabilities;
  const capabilitiesReady = capabilities?.status.every((c) => c.ready) ?? true;
  return [
    environmentCondition(app, lookup),
    applicationCondition(graph, lookup, name, database?.status, capabilitiesReady),
    ...(database !== undefined ? [databaseCondition(graph, database.status, database.whileAsleep)] : []),
    ...(app.spec.capabilities.length > 0 ? [capabilitiesCondition(app, graph, lookup, capabilities)] : []),
  ];
}

/**
 * Crossplane (v2.2) does not watch required resources, so nothing wakes an AppStack when its
 * DevEnvironment becomes ready: it asks again this often while it waits (the environment's own
 * watches and the 30 s waiting interval would otherwise add up to 30 s to every app's time to
 * Ready; make e2e measured 18 s). A call that changes nothing writes nothing.
 */
export const ENVIRONMENT_RECHECK_SECONDS = 10;

/** The environment reports its sleep or wake within seconds of it; the app follows this long after. */
const FOLLOW_ENVIRONMENT_MS = 30_000;

/**
 * Asks Crossplane back shortly after the environment's next sleep or wake, so the app's SleepInfo,
 * database and phase follow it on time. Nothing once that time has passed (the environment has not
 * reported it yet): the usual interval, rather than a call every second until it does.
 */
function followEnvironment(environment: TargetEnvironment, now: Date): { nextChangeAt?: Date } {
  const change = Date.parse(environment.sleepNextChange ?? '') + FOLLOW_ENVIRONMENT_MS;
  return Number.isFinite(change) && change > now.getTime() ? { nextChangeAt: new Date(change) } : {};
}
