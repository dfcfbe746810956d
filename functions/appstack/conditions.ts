import type { CompositeCondition } from '../shared/composed.js';
import type { ResourceGraph } from '../shared/graph/graph.js';
import type { DatabaseStatus } from './database.js';
import type { EnvironmentLookup } from './environment.js';
import { RESOURCE } from './naming.js';
import type { ParsedAppStack } from './spec.js';

/** EnvironmentReady: whether the DevEnvironment exists, is ready and is registered with Argo CD. */
export function environmentCondition(app: ParsedAppStack, lookup: EnvironmentLookup): CompositeCondition {
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
      if (lookup.environment.asleep !== undefined) {
        const { reason, until } = lookup.environment.asleep;
        return {
          type: 'EnvironmentReady',
          status: 'True',
          reason: 'Asleep',
          message: `${name} is asleep (${reason})${until !== undefined ? ` until ${until}` : ''}; the app and its database run again, unchanged, once it wakes`,
        };
      }
      return {
        type: 'EnvironmentReady',
        status: 'True',
        reason: 'Available',
        message: `${name} is ready (Argo CD cluster ${lookup.environment.argocdClusterName})`,
      };
  }
}

/** ApplicationReady: synced and healthy, or what the Application waits for. */
export function applicationCondition(
  graph: ResourceGraph,
  lookup: EnvironmentLookup,
  name: string,
  database: DatabaseStatus | undefined,
  capabilitiesReady = true,
): CompositeCondition {
  if (graph.isReady(RESOURCE.application)) {
    return {
      type: 'ApplicationReady',
      status: 'True',
      reason: 'Available',
      message: `Argo CD Application ${name} is synced and healthy`,
    };
  }
  const composed = graph.has(RESOURCE.application);
  return {
    type: 'ApplicationReady',
    status: 'False',
    reason: composed ? 'Syncing' : 'Waiting',
    message: composed
      ? `Argo CD Application ${name} is not synced and healthy yet`
      : lookup.state !== 'ready'
        ? 'the Argo CD Application is created once the environment is ready'
        : database !== undefined && !database.ready
          ? 'the Argo CD Application is created once the database and the Secret with its credentials are ready'
          : !capabilitiesReady
            ? "the Argo CD Application is created once the app's Dapr components are ready"
            : 'the Argo CD Application is created once the environment is ready',
  };
}

/** DatabaseReady: ready and mounted from which Secret (and what it does while asleep), or what it waits for. */
export function databaseCondition(
  graph: ResourceGraph,
  database: DatabaseStatus,
  whileAsleep?: string,
): CompositeCondition {
  if (!database.ready) {
    return { type: 'DatabaseReady', status: 'False', reason: 'Creating', message: graph.progressMessage() };
  }
  return {
    type: 'DatabaseReady',
    status: 'True',
    reason: 'Available',
    message: `the database is ready; the app mounts Secret ${database.secretName}${whileAsleep !== undefined ? `; ${whileAsleep}` : ''}`,
  };
}
