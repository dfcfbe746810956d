import { Namespace } from 'kubernetes-models/v1/Namespace';
import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import type { Need } from '../shared/graph/graph.js';
import { modelObject } from '../shared/resources/model-object.js';
import { inEnvironment, type AppContext, type InEnvironmentContext } from './app-context.js';
import {
  capabilityTools,
  composeCapabilities,
  planCapabilities,
  type ComposedCapabilities,
} from './capabilities/index.js';
import { composeDatabase, databaseTools, type DatabaseStatus } from './database.js';
import type { TargetEnvironment } from './environment.js';
import { RESOURCE } from './naming.js';

/** The provider-kubernetes ProviderConfig into the environment, as the DevEnvironment reports it. */
function environmentProviderConfig(environment: TargetEnvironment): ProviderConfigRef {
  if (environment.kubernetesProviderConfig === undefined) {
    throw new InputError(
      'spec.environmentRef.name',
      `DevEnvironment ${environment.name} does not report status.kubernetesProviderConfigRef; it was composed by an older function-devplatform`,
    );
  }
  return environment.kubernetesProviderConfig;
}

/**
 * The app's namespace, created first where the environment is a cluster of its own (a namespace
 * environment's namespace exists already). Returns what a resource in it waits for.
 */
function composeAppNamespace(ctx: InEnvironmentContext, tools: Need[]): Need[] {
  const unique = tools.filter((need, i) => tools.findIndex((n) => n.on === need.on) === i);
  if (ctx.environment.type === 'namespace') return unique;
  ctx.graph.add({
    name: RESOURCE.namespace,
    what: `namespace ${ctx.namespace} in the environment`,
    needs: unique,
    body: ctx.object(modelObject(Namespace, { metadata: { name: ctx.namespace, labels: ctx.labels } }), {
      readiness: 'DeriveFromObject',
    }),
  });
  return [{ on: RESOURCE.namespace, for: 'the namespace it lives in' }];
}

export interface BackingServices {
  /** What the Application needs ready before it starts. */
  needs: Need[];
  /** status.database, and what the database does while the environment sleeps (for its condition). */
  database?: { status: DatabaseStatus; whileAsleep?: string };
  capabilities?: ComposedCapabilities;
}

/**
 * What the app is given besides its delivery: its database and its capabilities, in its namespace
 * in the environment, after the tools they need there. Nothing when it asks for neither.
 */
export function composeBackingServices(base: AppContext): BackingServices {
  const { database } = base.app.spec;
  const plan = planCapabilities(base);
  if (database === undefined && plan.length === 0) return { needs: [] };
  const ctx = inEnvironment(base, environmentProviderConfig(base.environment));
  const dbTools = database !== undefined ? databaseTools(ctx) : [];
  const capTools = capabilityTools(ctx, plan);
  const namespaceNeeds = composeAppNamespace(ctx, [...dbTools, ...capTools.dapr, ...capTools.redis]);
  const db =
    database !== undefined ? composeDatabase({ ...ctx, database }, namespaceNeeds, dbTools) : undefined;
  const capabilities = composeCapabilities(ctx, plan, capTools, namespaceNeeds, db?.needs);
  return {
    needs: [...(db?.needs ?? []), ...capabilities.needs],
    ...(db !== undefined
      ? {
          database: {
            status: db.status,
            ...(db.whileAsleep !== undefined ? { whileAsleep: db.whileAsleep } : {}),
          },
        }
      : {}),
    ...(plan.length > 0 ? { capabilities } : {}),
  };
}
