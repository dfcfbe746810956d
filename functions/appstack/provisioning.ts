import { USAGE_PREFIX, type ResourceGraph } from '../shared/graph/graph.js';
import type { JsonObject } from '../shared/objects.js';
import { provisioning, type Provisioning, type StageDefinition } from '../shared/provisioning.js';
import type { EnvironmentLookup } from './environment.js';
import { isCapabilityResource } from './capabilities/naming.js';
import { RESOURCE } from './naming.js';
import type { ParsedAppStack } from './spec.js';

/**
 * An AppStack's stages: its Environment (when the DevEnvironment was first Ready), its Database
 * (everything composed for it: namespace, credentials, server), its Capabilities (Redis, Dapr
 * components; the namespace too when there is no database), and the Application.
 */
function appStages(app: ParsedAppStack, graph: ResourceGraph, lookup: EnvironmentLookup): StageDefinition[] {
  const names = graph.declared().filter((n) => !n.startsWith(USAGE_PREFIX) && n !== RESOURCE.sleepInfo);
  const given = names.filter((n) => n !== RESOURCE.application);
  const capabilities = given.filter(
    (n) => isCapabilityResource(n) || (n === RESOURCE.namespace && app.spec.database === undefined),
  );
  const database = given.filter((n) => !capabilities.includes(n));
  const environment = lookup.state === 'ready' ? lookup.environment.readySince : undefined;
  return [
    { name: 'Environment', ...(environment !== undefined ? { readyAt: environment } : {}) },
    ...(database.length > 0 ? [{ name: 'Database', resources: database }] : []),
    ...(capabilities.length > 0 ? [{ name: 'Capabilities', resources: capabilities }] : []),
    { name: 'Application', resources: names.filter((n) => n === RESOURCE.application) },
  ];
}

/** status.provisioning of an AppStack. */
export function appProvisioning(
  app: ParsedAppStack,
  graph: ResourceGraph,
  lookup: EnvironmentLookup,
  reported: JsonObject | undefined,
  ready: boolean,
): Provisioning {
  return provisioning({
    stages: appStages(app, graph, lookup),
    observed: (name) => graph.observedResource(name),
    reported,
    created: app.identity.creationTimestamp,
    ready,
  });
}
