import type { CompositeCondition } from '../../shared/composed.js';
import type { ResourceGraph } from '../../shared/graph/graph.js';
import type { EnvironmentLookup } from '../environment.js';
import type { ParsedAppStack } from '../spec.js';
import type { ComposedCapabilities } from './index.js';
import { redisCaConfigMapName } from './naming.js';

function listed(capabilities: ComposedCapabilities['status']): string {
  return capabilities.map((c) => `${c.name} (${c.type} on ${c.backend})`).join(', ');
}

/**
 * CapabilitiesReady: the app's Dapr components and what backs them are ready, and how the app's
 * pods use them; or what they wait for.
 */
export function capabilitiesCondition(
  app: ParsedAppStack,
  graph: ResourceGraph,
  lookup: EnvironmentLookup,
  capabilities: ComposedCapabilities | undefined,
): CompositeCondition {
  const type = 'CapabilitiesReady';
  if (capabilities === undefined || lookup.state !== 'ready') {
    return {
      type,
      status: 'False',
      reason: 'Waiting',
      message: 'the capabilities are composed once the environment is ready',
    };
  }
  const pending = capabilities.status.filter((c) => !c.ready);
  if (pending.length > 0) {
    return {
      type,
      status: 'False',
      reason: 'Creating',
      message: `not ready yet: ${listed(pending)}; ${graph.progressMessage()}`,
    };
  }
  const id = app.spec.daprAppId;
  const redis = capabilities.redis;
  const notes = [
    ...(redis?.caConfigMap !== undefined
      ? [
          `the sidecar must trust the Redis server CA in ConfigMap ${redisCaConfigMapName(app)} (mount it with dapr.io/volume-mounts and point SSL_CERT_DIR at it with dapr.io/env)`,
        ]
      : []),
    ...(lookup.environment.asleep !== undefined && redis !== undefined ? [redis.whileAsleep] : []),
  ];
  return {
    type,
    status: 'True',
    reason: 'Available',
    message: `Dapr components ready: ${listed(capabilities.status)}; annotate the app's pods with dapr.io/enabled: "true" and dapr.io/app-id: "${id}"${notes.map((n) => `; ${n}`).join('')}`,
  };
}
