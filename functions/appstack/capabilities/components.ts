import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Component, type IComponent } from '../../models/crds/dapr.io/v1alpha1/Component.js';
import { Resiliency, type IResiliency } from '../../models/crds/dapr.io/v1alpha1/Resiliency.js';
import type { Need } from '../../shared/graph/graph.js';
import type { JsonObject } from '../../shared/objects.js';
import type { CapabilitiesPolicy } from '../../shared/policy/policy.js';
import { modelObject } from '../../shared/resources/model-object.js';
import { madeOnceKnown } from '../../shared/retain.js';
import type { InEnvironmentContext } from '../app-context.js';
import { inNamespace } from '../credentials.js';
import { databaseSecretName } from '../naming.js';
import type { PlannedCapability } from './plan.js';
import type { ComposedRedis } from './redis.js';
import { CAPABILITY_RESOURCE, componentResource, resiliencyName, secretReaderName } from './naming.js';

type ComponentMetadata = NonNullable<IComponent['spec']>['metadata'];

/** What a component is made of: its Dapr type, its metadata once known, what it needs first. */
interface ComponentSource {
  type: string;
  version: string;
  /** Undefined while something it names (the Redis address) is not known yet. */
  metadata?: ComponentMetadata;
  needs: Need[];
}

/** Where the app's components get what they are made of. */
export interface ComponentSources {
  redis?: ComposedRedis;
  /** The app's database: the needs of a component reading its credentials. */
  database?: Need[];
}

/**
 * How a state store keeps its data apart from the app's other state stores on the same backend:
 * Redis keys prefixed with the component's name, PostgreSQL tables prefixed with it. Dapr's default
 * (the app ID, one table) would let two state stores of one app read each other's keys.
 * scripts/local-components.mjs writes the same.
 */
export function stateSeparation(backend: 'redis' | 'postgres', name: string): ComponentMetadata {
  return backend === 'redis'
    ? [{ name: 'keyPrefix', value: 'name' }]
    : [{ name: 'tablePrefix', value: `${name.replace(/-/g, '_')}_` }];
}

function redisSource(redis: ComposedRedis, capability: PlannedCapability): ComponentSource {
  const state = capability.type === 'statestore';
  // The component names the Redis's address: it waits for the Redis to report one.
  const needs =
    redis.address === undefined
      ? redis.needs.map((n) =>
          n.on === CAPABILITY_RESOURCE.redis ? { ...n, until: () => 'no address reported yet' } : n,
        )
      : redis.needs;
  return {
    type: state ? 'state.redis' : 'pubsub.redis',
    version: 'v1',
    ...(redis.address !== undefined
      ? {
          metadata: [
            { name: 'redisHost', value: redis.address },
            { name: 'redisPassword', secretKeyRef: redis.password },
            { name: 'enableTLS', value: String(redis.tls) },
            ...(state ? stateSeparation('redis', capability.name) : []),
          ],
        }
      : {}),
    needs,
  };
}

/** What each capability's component is made of, by what backs it. */
function componentSource(
  ctx: InEnvironmentContext,
  capability: PlannedCapability,
  sources: ComponentSources,
  namespaceNeeds: Need[],
): ComponentSource {
  if (capability.backend === 'kubernetes-secrets') {
    return {
      type: 'secretstores.kubernetes',
      version: 'v1',
      metadata: [{ name: 'defaultNamespace', value: ctx.namespace }],
      needs: secretReader(ctx, namespaceNeeds),
    };
  }
  if (capability.backend === 'postgres') {
    return {
      type: 'state.postgresql',
      version: 'v2',
      metadata: [
        { name: 'connectionString', secretKeyRef: { name: databaseSecretName(ctx.app), key: 'uri' } },
        ...stateSeparation('postgres', capability.name),
      ],
      needs: sources.database ?? [],
    };
  }
  if (sources.redis === undefined)
    throw new Error(`capability ${capability.name} is on Redis, which was not composed`);
  return redisSource(sources.redis, capability);
}

/**
 * One Dapr Component per capability in the app's namespace, named as the app asked, scoped to the
 * app's Dapr ID, every credential by secretKeyRef. Composed once what it names is known; kept as it
 * is if that stops being reported.
 */
export function composeComponent(
  ctx: InEnvironmentContext,
  capability: PlannedCapability,
  sources: ComponentSources,
  namespaceNeeds: Need[],
  dapr: Need[],
): Need {
  const resource = componentResource(capability.name);
  const source = componentSource(ctx, capability, sources, namespaceNeeds);
  const body = madeOnceKnown(
    source.metadata,
    (metadata) =>
      ctx.object(
        modelObject(Component, {
          metadata: { name: capability.name, namespace: ctx.namespace, labels: ctx.labels },
          scopes: [ctx.app.spec.daprAppId],
          spec: { type: source.type, version: source.version, metadata },
        }),
      ),
    ctx.graph.observedResource(resource),
  );
  ctx.graph.add({
    name: resource,
    what: `Dapr component ${capability.name}`,
    needs: [...source.needs, ...inNamespace(namespaceNeeds), ...dapr],
    body,
  });
  return { on: resource, for: `the Dapr component ${capability.name}` };
}

/**
 * The secretstore capability reads Secrets as the app's pods: a Role that may get and list Secrets
 * in the app's namespace only, bound to that namespace's service accounts. Composed once, for
 * however many secret stores the app has.
 */
function secretReader(ctx: InEnvironmentContext, namespaceNeeds: Need[]): Need[] {
  const resources = [CAPABILITY_RESOURCE.secretReaderRole, CAPABILITY_RESOURCE.secretReaderBinding];
  if (!ctx.graph.declared().includes(CAPABILITY_RESOURCE.secretReaderRole)) {
    composeSecretReader(ctx, namespaceNeeds);
  }
  return resources.map((resource) => ({
    on: resource,
    for: "the right to read Secrets in the app's namespace",
    anyDeletionOrder: 'deleting the namespace deletes them with it',
  }));
}

function composeSecretReader(ctx: InEnvironmentContext, namespaceNeeds: Need[]): void {
  const name = secretReaderName(ctx.app);
  const metadata = { name, namespace: ctx.namespace, labels: ctx.labels };
  const parts = [
    {
      resource: CAPABILITY_RESOURCE.secretReaderRole,
      what: `Role ${name}`,
      manifest: modelObject(Role, {
        metadata,
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
      }),
    },
    {
      resource: CAPABILITY_RESOURCE.secretReaderBinding,
      what: `RoleBinding ${name}`,
      manifest: modelObject(RoleBinding, {
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: `system:serviceaccounts:${ctx.namespace}`,
          },
        ],
      }),
    },
  ];
  for (const { resource, what, manifest } of parts) {
    ctx.graph.add({
      name: resource,
      what,
      needs: inNamespace(namespaceNeeds),
      body: ctx.object(manifest, { readiness: 'SuccessfulCreate' }),
    });
  }
}

/**
 * The policy's resiliency for the named components (and, for pub/sub, deliveries to the app):
 * `spec` of a Dapr Resiliency. scripts/local-components.mjs writes the same for `dapr run`.
 */
export function resiliencySpec(
  resiliency: CapabilitiesPolicy['resiliency'],
  capabilities: ReadonlyArray<Pick<PlannedCapability, 'name' | 'type'>>,
): NonNullable<IResiliency['spec']> {
  const { timeout, retry, circuitBreaker } = resiliency;
  const policy = 'capabilities';
  const outbound = { timeout: policy, retry: policy, circuitBreaker: policy };
  return {
    policies: {
      timeouts: { [policy]: timeout },
      retries: {
        [policy]:
          retry.policy === 'constant'
            ? { policy: 'constant', duration: retry.duration, maxRetries: retry.maxRetries }
            : { policy: 'exponential', maxInterval: retry.maxInterval, maxRetries: retry.maxRetries },
      },
      circuitBreakers: { [policy]: circuitBreaker },
    },
    targets: {
      components: Object.fromEntries(
        capabilities.map((c) => [
          c.name,
          c.type === 'pubsub'
            ? { outbound, inbound: { retry: policy, circuitBreaker: policy } }
            : { outbound },
        ]),
      ),
    },
  };
}

function resiliencyManifest(ctx: InEnvironmentContext, capabilities: PlannedCapability[]): JsonObject {
  return modelObject(Resiliency, {
    metadata: { name: resiliencyName(ctx.app), namespace: ctx.namespace, labels: ctx.labels },
    scopes: [ctx.app.spec.daprAppId],
    spec: resiliencySpec(ctx.policy.capabilities.resiliency, capabilities),
  });
}

/** The Dapr Resiliency for the app's components; the sidecar reads it when it starts. */
export function composeResiliency(
  ctx: InEnvironmentContext,
  capabilities: PlannedCapability[],
  needs: Need[],
): Need {
  ctx.graph.add({
    name: CAPABILITY_RESOURCE.resiliency,
    what: `Dapr resiliency ${resiliencyName(ctx.app)}`,
    needs,
    body: ctx.object(resiliencyManifest(ctx, capabilities)),
  });
  return {
    on: CAPABILITY_RESOURCE.resiliency,
    for: 'the resiliency of its components',
    anyDeletionOrder: 'read when the sidecar starts',
  };
}
