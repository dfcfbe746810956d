import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Cluster as PostgresCluster } from '../models/crds/postgresql.cnpg.io/v1/Cluster.js';
import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import type { Gate } from '../shared/plan.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import { plainObject } from '../shared/resources/plain-object.js';
import { composeCloudSql } from './cloud-sql.js';
import {
  composeDeliveredCredentials,
  composePassword,
  DATABASE_NAME,
  DATABASE_USER,
  databaseSecretName,
  generatedCredentials,
} from './credentials.js';
import {
  databaseContext,
  databaseVersion,
  DB_RESOURCE,
  type ComposedDatabase,
  type DatabaseContext,
  type DatabaseStatus,
} from './database-context.js';

export { DB_RESOURCE, type DatabaseStatus };
import type { EnvironmentNetwork, TargetEnvironment } from './environment.js';
import { composeRds } from './rds.js';

/** A CloudNativePG Cluster sized by the policy, bootstrapped with the generated credentials. */
function postgresCluster(ctx: DatabaseContext, name: string): JsonObject {
  const { app, namespace, labels } = ctx;
  const pg = ctx.policy.databases.postgres;
  const image = databaseVersion(ctx, pg.versions);
  const size = pg.sizes[ctx.database.size];
  const resources = {
    ...(size.cpu !== undefined ? { cpu: size.cpu } : {}),
    ...(size.memory !== undefined ? { memory: size.memory } : {}),
  };
  return plainObject(
    new PostgresCluster({
      metadata: { name, namespace, labels },
      spec: {
        instances: size.instances,
        imageName: image,
        storage: { size: size.storage },
        ...(Object.keys(resources).length > 0
          ? { resources: { requests: resources, limits: resources } }
          : {}),
        bootstrap: {
          initdb: {
            database: DATABASE_NAME,
            owner: DATABASE_USER,
            secret: { name: databaseSecretName(app) },
          },
        },
      },
    }),
  );
}

/**
 * Where the database goes and what it waits for: the environment's kubernetes ProviderConfig, the
 * tools the platform's databases need there (in-cluster: CloudNativePG and External Secrets; cloud:
 * External Secrets, which makes the password), and for cloud databases the environment's network.
 */
function databaseTarget(environment: TargetEnvironment, policy: ResolvedPolicy): ProviderConfigAndGate {
  if (environment.kubernetesProviderConfig === undefined) {
    throw new InputError(
      'spec.environmentRef.name',
      `DevEnvironment ${environment.name} does not report status.kubernetesProviderConfigRef; it was composed by an older function-devplatform`,
    );
  }
  const blockers: Gate['blockers'] = [];
  const cloud = environment.type === 'gke' || environment.type === 'eks';
  if (environment.type !== 'namespace') {
    const needed = cloud ? policy.databases.cloudTools : policy.databases.inClusterTools;
    const missing = needed.filter((t) => !environment.tools.some((x) => x.name === t));
    if (missing.length > 0) {
      throw new InputError(
        'spec.database',
        `DevEnvironment ${environment.name} needs the tools ${missing.join(', ')} for ${cloud ? 'the database credentials' : 'an in-cluster database'}; add them to its spec.tools`,
      );
    }
    for (const tool of environment.tools.filter((t) => needed.includes(t.name) && !t.ready)) {
      blockers.push({ text: `tool ${tool.name} in DevEnvironment ${environment.name}` });
    }
  }
  if (cloud && (environment.network === undefined || environment.region === undefined)) {
    throw new InputError(
      'spec.environmentRef.name',
      `DevEnvironment ${environment.name} does not report status.network and status.region; it was composed by an older function-devplatform`,
    );
  }
  return {
    providerConfig: environment.kubernetesProviderConfig,
    gate: { open: blockers.length === 0, blockers },
  };
}

interface ProviderConfigAndGate {
  providerConfig: ProviderConfigRef;
  gate: Gate;
}

/**
 * An in-cluster PostgreSQL for the app, in its namespace in the environment (namespace and vcluster
 * environments): the credentials, then the CloudNativePG Cluster bootstrapped from them.
 */
function composeInClusterPostgres(ctx: DatabaseContext, ready: Gate): ComposedDatabase {
  const clusterName = dnsLabel(`${ctx.app.identity.name}-db`, 40, true);
  const host = `${clusterName}-rw.${ctx.namespace}.svc`;
  ctx.plan.addWhen(ready, { name: DB_RESOURCE.credentials, body: generatedCredentials(ctx, host) });
  ctx.plan.addWhen(ctx.plan.gate([{ name: DB_RESOURCE.credentials, label: 'database credentials' }]), {
    name: DB_RESOURCE.database,
    body: ctx.object(postgresCluster(ctx, clusterName), { readiness: 'DeriveFromObject' }),
  });
  return {
    secretName: databaseSecretName(ctx.app),
    dependencies: [{ name: DB_RESOURCE.database, label: `database ${clusterName}` }],
  };
}

/**
 * A cloud database: the password generated in the environment (and mirrored to the platform), the
 * server (Cloud SQL in a GCP network, RDS in an AWS VPC), then the Secret the app mounts, assembled
 * in the environment once the server has an address.
 */
function composeCloudDatabase(
  ctx: DatabaseContext,
  network: EnvironmentNetwork,
  namespaceReady: Gate,
  toolsReady: Gate,
): ComposedDatabase {
  composePassword(ctx, namespaceReady);
  const server =
    network.cloud === 'gcp'
      ? composeCloudSql(ctx, network, toolsReady)
      : composeRds(ctx, network, toolsReady);
  composeDeliveredCredentials(ctx, namespaceReady, server.address);
  const secretName = databaseSecretName(ctx.app);
  return {
    secretName,
    dependencies: [...server.dependencies, { name: DB_RESOURCE.credentials, label: `Secret ${secretName}` }],
  };
}

/**
 * The app's database by environment type: in-cluster PostgreSQL (namespace, vcluster), Cloud SQL
 * (gke) or RDS (eks), with its credentials delivered into the app's namespace in the environment.
 * The namespace is created first where the environment is a cluster of its own.
 */
export function composeDatabase(
  base: Omit<DatabaseContext, 'object'>,
): ComposedDatabase & { status: DatabaseStatus } {
  const { environment, plan, namespace, labels } = base;
  const { providerConfig, gate: toolsReady } = databaseTarget(environment, base.policy);
  const ctx = databaseContext(base, providerConfig);

  let ready = toolsReady;
  if (environment.type !== 'namespace') {
    plan.addWhen(ready, {
      name: DB_RESOURCE.namespace,
      body: ctx.object(plainObject(new Namespace({ metadata: { name: namespace, labels } })), {
        readiness: 'DeriveFromObject',
      }),
    });
    ready = plan.gate([{ name: DB_RESOURCE.namespace, label: `namespace ${namespace} in the environment` }]);
  }
  const network = environment.network;
  const composed =
    network === undefined
      ? composeInClusterPostgres(ctx, ready)
      : composeCloudDatabase(ctx, network, ready, toolsReady);
  return {
    ...composed,
    status: {
      secretName: composed.secretName,
      ready: composed.dependencies.every((d) => plan.isReady(d.name)),
    },
  };
}
