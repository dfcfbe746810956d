import { dnsLabel, shortHash } from '../shared/names.js';
import { getString } from '../shared/objects.js';
import { keptExternalName } from '../shared/observed.js';
import type { Gate } from '../shared/plan.js';
import { GCP } from '../shared/resources/gcp.js';
import { managedResource, selectComponent } from '../shared/resources/managed.js';
import { platformSecretKeyRef } from '../shared/resources/provider-config-ref.js';
import {
  CREDENTIALS_RESOURCE,
  DATABASE_NAME,
  DATABASE_USER,
  platformPasswordSecret,
  POSTGRES_PORT,
} from './credentials.js';
import {
  databaseVersion,
  DB_RESOURCE,
  type CloudDatabase,
  type DatabaseContext,
} from './database-context.js';
import type { EnvironmentNetwork } from './environment.js';

export const CLOUD_SQL_RESOURCE = {
  database: 'database-sql-database',
  user: 'database-sql-user',
} as const;

/**
 * A Cloud SQL instance name: unique in the project and, since Cloud SQL does not let a name be
 * reused for about a week, different for an AppStack deleted and created again.
 */
export function cloudSqlInstanceName(ctx: DatabaseContext): string {
  const { key, creationTimestamp } = ctx.app.identity;
  const proposed = `${dnsLabel(key, 50, true)}-${shortHash(`${key}/${creationTimestamp ?? ''}`, 6)}`;
  return keptExternalName(ctx.plan.observedResource(DB_RESOURCE.database), proposed);
}

/**
 * Cloud SQL for PostgreSQL (gke environments), private IP only in the environment's network (which
 * has private services access), TLS required: the instance sized by the policy, its database, and the
 * user whose password is the one generated in the environment and mirrored to the platform.
 */
export function composeCloudSql(
  ctx: DatabaseContext,
  network: Extract<EnvironmentNetwork, { cloud: 'gcp' }>,
  toolsReady: Gate,
): CloudDatabase {
  const { plan, app } = ctx;
  const flavor = app.identity.flavor;
  const sql = ctx.policy.databases.cloudSql;
  const size = sql.sizes[ctx.database.size];
  const common = { providerConfig: ctx.policy.environments.gke.providerConfig, labels: ctx.labels };
  const project = network.project;
  const instanceName = cloudSqlInstanceName(ctx);

  plan.addWhen(toolsReady, {
    name: DB_RESOURCE.database,
    body: managedResource(flavor, GCP.sqlDatabaseInstance, {
      ...common,
      externalName: instanceName,
      forProvider: {
        project,
        region: ctx.environment.region,
        databaseVersion: databaseVersion(ctx, sql.versions),
        deletionProtection: sql.deletionProtection,
        settings: {
          tier: size.tier,
          edition: sql.edition,
          diskSize: size.diskSizeGb,
          diskAutoresize: true,
          availabilityType: size.availabilityType ?? 'ZONAL',
          deletionProtectionEnabled: sql.deletionProtection,
          ipConfiguration: { ipv4Enabled: false, privateNetwork: network.network, sslMode: 'ENCRYPTED_ONLY' },
          backupConfiguration: { enabled: sql.backups, pointInTimeRecoveryEnabled: sql.backups },
          userLabels: { 'devplatform-appstack': dnsLabel(app.identity.key, 63) },
        },
      },
    }),
  });

  const instanceReady = plan.gate([
    { name: DB_RESOURCE.database, label: `Cloud SQL instance ${instanceName}` },
  ]);
  const inInstance = { project, instanceSelector: selectComponent(DB_RESOURCE.database) };
  plan.addWhen(instanceReady, {
    name: CLOUD_SQL_RESOURCE.database,
    body: managedResource(flavor, GCP.sqlDatabase, {
      ...common,
      externalName: DATABASE_NAME,
      // The instance takes its databases with it; Postgres refuses to drop one with connections.
      forProvider: { ...inInstance, charset: 'UTF8', deletionPolicy: 'ABANDON' },
    }),
  });
  const platformSecret = platformPasswordSecret(app);
  plan.addWhen(
    plan.gate([
      { name: DB_RESOURCE.database, label: `Cloud SQL instance ${instanceName}` },
      { name: CREDENTIALS_RESOURCE.password, label: 'database password' },
    ]),
    {
      name: CLOUD_SQL_RESOURCE.user,
      body: managedResource(flavor, GCP.sqlUser, {
        ...common,
        externalName: DATABASE_USER,
        forProvider: {
          ...inInstance,
          type: 'BUILT_IN',
          // A Postgres role that owns objects cannot be dropped; it goes with the instance.
          deletionPolicy: 'ABANDON',
          passwordSecretRef: platformSecretKeyRef(flavor, { ...platformSecret, key: 'password' }),
        },
      }),
    },
  );

  const ip = getString(plan.observedResource(DB_RESOURCE.database), 'status.atProvider.privateIpAddress');
  return {
    ...(ip !== undefined && ip !== '' ? { address: { host: ip, port: POSTGRES_PORT } } : {}),
    dependencies: [
      { name: DB_RESOURCE.database, label: `Cloud SQL instance ${instanceName}` },
      { name: CLOUD_SQL_RESOURCE.database, label: `database ${DATABASE_NAME}` },
      { name: CLOUD_SQL_RESOURCE.user, label: `database user ${DATABASE_USER}` },
    ],
  };
}
