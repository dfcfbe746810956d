import { Cluster as PostgresCluster } from '../models/crds/postgresql.cnpg.io/v1/Cluster.js';
import { InputError } from '../shared/errors.js';
import type { JsonObject } from '../shared/objects.js';
import type { Need } from '../shared/graph/graph.js';
import { modelObject } from '../shared/resources/model-object.js';
import { IN_ENVIRONMENT, requireTools, toolNeeds, type AppContext } from './app-context.js';
import { composeCloudSql } from './cloud-sql.js';
import {
  composeDeliveredCredentials,
  composePassword,
  DATABASE_NAME,
  DATABASE_USER,
  generatedCredentials,
  inNamespace,
} from './credentials.js';
import {
  databaseVersion,
  startsWith,
  type ComposedDatabase,
  type DatabaseContext,
  type DatabaseStatus,
} from './database-context.js';
import type { EnvironmentNetwork, TargetEnvironment } from './environment.js';
import { databaseSecretName, postgresClusterName, RESOURCE } from './naming.js';
import { composeRds } from './rds.js';

export type { DatabaseStatus };

/** A CloudNativePG Cluster sized by the policy, bootstrapped with the generated credentials. */
/**
 * CloudNativePG's declarative hibernation: "on" while the environment sleeps (the instances stop, the
 * volumes stay), "off" again when it wakes; no annotation where the environment never sleeps.
 */
function hibernation(environment: TargetEnvironment): { annotations?: Record<string, string> } {
  if (environment.sleep === undefined) return {};
  return { annotations: { 'cnpg.io/hibernation': environment.asleep !== undefined ? 'on' : 'off' } };
}

function postgresCluster(ctx: DatabaseContext, name: string): JsonObject {
  const { app, namespace, labels } = ctx;
  const pg = ctx.policy.databases.postgres;
  const image = databaseVersion(ctx, pg.versions);
  const size = pg.sizes[ctx.database.size];
  const resources = {
    ...(size.cpu !== undefined ? { cpu: size.cpu } : {}),
    ...(size.memory !== undefined ? { memory: size.memory } : {}),
  };
  return modelObject(PostgresCluster, {
    metadata: { name, namespace, labels, ...hibernation(ctx.environment) },
    spec: {
      instances: size.instances,
      imageName: image,
      storage: { size: size.storage },
      ...(Object.keys(resources).length > 0 ? { resources: { requests: resources, limits: resources } } : {}),
      bootstrap: {
        initdb: {
          database: DATABASE_NAME,
          owner: DATABASE_USER,
          secret: { name: databaseSecretName(app) },
        },
      },
    },
  });
}

/**
 * What the database waits for in the environment: the tools the platform's databases need there
 * (in-cluster: CloudNativePG and External Secrets; cloud: External Secrets, which makes the
 * password), declared as outside resources of the graph. Namespace environments use the host's.
 */
export function databaseTools(ctx: AppContext): Need[] {
  const { environment, policy } = ctx;
  const cloud = environment.type === 'gke' || environment.type === 'eks';
  if (cloud && (environment.network === undefined || environment.region === undefined)) {
    throw new InputError(
      'spec.environmentRef.name',
      `DevEnvironment ${environment.name} does not report status.network and status.region; it was composed by an older function-devplatform`,
    );
  }
  if (environment.type === 'namespace') return [];
  const needed = cloud ? policy.databases.cloudTools : policy.databases.inClusterTools;
  requireTools(ctx, 'spec.database', needed, cloud ? 'the database credentials' : 'an in-cluster database');
  return toolNeeds(ctx, needed, cloud ? "the app's database credentials" : "the app's database");
}

/**
 * An in-cluster PostgreSQL for the app, in its namespace in the environment (namespace and vcluster
 * environments): the credentials, then the CloudNativePG Cluster bootstrapped from them.
 */
function composeInClusterPostgres(ctx: DatabaseContext, namespaceNeeds: Need[]): ComposedDatabase {
  const clusterName = postgresClusterName(ctx.app);
  const secretName = databaseSecretName(ctx.app);
  ctx.graph.add({
    name: RESOURCE.credentials,
    what: `Secret ${secretName}`,
    needs: inNamespace(namespaceNeeds),
    body: generatedCredentials(ctx, `${clusterName}-rw.${ctx.namespace}.svc`),
  });
  ctx.graph.add({
    name: RESOURCE.database,
    what: `database ${clusterName}`,
    needs: [
      {
        on: RESOURCE.credentials,
        for: 'the credentials it is bootstrapped with',
        anyDeletionOrder: 'the database reads them only when it is created',
      },
      IN_ENVIRONMENT,
    ],
    body: ctx.object(postgresCluster(ctx, clusterName), { readiness: 'DeriveFromObject' }),
  });
  return {
    secretName,
    needs: [
      { on: RESOURCE.database, for: 'the database it connects to' },
      startsWith(RESOURCE.credentials, 'the credentials it mounts'),
    ],
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
  namespaceNeeds: Need[],
  tools: Need[],
): ComposedDatabase {
  const password = composePassword(ctx, inNamespace(namespaceNeeds));
  const serverNeeds = [...tools, IN_ENVIRONMENT];
  const server =
    network.cloud === 'gcp'
      ? composeCloudSql(ctx, network, serverNeeds, password)
      : composeRds(ctx, network, serverNeeds, password);
  composeDeliveredCredentials(ctx, namespaceNeeds, password, server.address);
  const secretName = databaseSecretName(ctx.app);
  return {
    secretName,
    needs: [...server.needs, startsWith(RESOURCE.credentials, 'the credentials it mounts')],
  };
}

/**
 * The app's database by environment type: in-cluster PostgreSQL (namespace, vcluster), Cloud SQL
 * (gke) or RDS (eks), with its credentials delivered into the app's namespace in the environment
 * (`namespaceNeeds`: what a resource in that namespace waits for).
 */
export function composeDatabase(
  ctx: DatabaseContext,
  namespaceNeeds: Need[],
  tools: Need[],
): ComposedDatabase & { status: DatabaseStatus; whileAsleep?: string } {
  const { environment, graph } = ctx;
  const network = environment.network;
  const composed =
    network === undefined
      ? composeInClusterPostgres(ctx, namespaceNeeds)
      : composeCloudDatabase(ctx, network, namespaceNeeds, tools);
  return {
    ...composed,
    status: {
      secretName: composed.secretName,
      ready: composed.needs.every((n) => graph.isReady(n.on)),
      // CloudNativePG hibernates and Cloud SQL stops; provider-upjet-aws cannot stop an RDS instance.
      ...(environment.asleep !== undefined ? { stopped: network?.cloud !== 'aws' } : {}),
    },
    ...(environment.asleep !== undefined
      ? { whileAsleep: WHILE_ASLEEP[network?.cloud ?? 'in-cluster'] }
      : {}),
  };
}

/** What the database does while the environment sleeps, for the DatabaseReady condition. */
const WHILE_ASLEEP = {
  'in-cluster':
    'it is hibernated while the environment sleeps (CloudNativePG: instances stopped, volumes kept) and resumes when it wakes',
  gcp: 'it is stopped while the environment sleeps (Cloud SQL activation policy NEVER) and starts when it wakes',
  aws: 'it keeps running, and is billed, while the environment sleeps: provider-upjet-aws cannot stop an RDS instance',
} as const;
