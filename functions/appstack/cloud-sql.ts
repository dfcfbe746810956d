import type { Need } from '../shared/graph/graph.js';
import { dnsLabel } from '../shared/names.js';
import { getString } from '../shared/objects.js';
import { GCP } from '../shared/resources/gcp.js';
import { managedResource, selectComponent } from '../shared/resources/managed.js';
import { platformSecretKeyRef } from '../shared/resources/provider-config-ref.js';
import { DATABASE_NAME, DATABASE_USER, POSTGRES_PORT } from './credentials.js';
import { databaseVersion, startsWith, type CloudDatabase, type DatabaseContext } from './database-context.js';
import type { EnvironmentNetwork } from './environment.js';
import { cloudSqlInstanceName, platformPasswordSecret, RESOURCE } from './naming.js';

/** Deleting the instance deletes its databases and users (both are abandoned, not dropped). */
const GOES_WITH_INSTANCE = 'deleting the instance deletes its databases and users';

/**
 * Cloud SQL for PostgreSQL (gke environments), private IP only in the environment's network (which
 * has private services access), TLS required: the instance sized by the policy, its database, and the
 * user whose password is the one generated in the environment and mirrored to the platform.
 */
export function composeCloudSql(
  ctx: DatabaseContext,
  network: Extract<EnvironmentNetwork, { cloud: 'gcp' }>,
  needs: Need[],
  password: Need,
): CloudDatabase {
  const instanceName = cloudSqlInstanceName(ctx.app, ctx.observed);
  composeInstance(ctx, network, needs, instanceName);
  const instance: Need = {
    on: RESOURCE.database,
    for: 'the instance it is in',
    anyDeletionOrder: GOES_WITH_INSTANCE,
  };
  composeDatabaseAndUser(ctx, network.project, instance, password);
  const ip = getString(ctx.graph.observedResource(RESOURCE.database), 'status.atProvider.privateIpAddress');
  return {
    ...(ip !== undefined && ip !== '' ? { address: { host: ip, port: POSTGRES_PORT } } : {}),
    needs: [
      { on: RESOURCE.database, for: 'the database server it connects to' },
      startsWith(RESOURCE.sqlDatabase, 'the database it connects to'),
      startsWith(RESOURCE.sqlUser, 'the user it connects as'),
    ],
  };
}

/** The instance, sized by the policy, private IP only in the environment's network, TLS required. */
function composeInstance(
  ctx: DatabaseContext,
  network: Extract<EnvironmentNetwork, { cloud: 'gcp' }>,
  needs: Need[],
  instanceName: string,
): void {
  const { app } = ctx;
  const sql = ctx.policy.databases.cloudSql;
  const size = sql.sizes[ctx.database.size];
  ctx.graph.add({
    name: RESOURCE.database,
    what: `Cloud SQL instance ${instanceName}`,
    needs,
    body: managedResource(app.identity.flavor, GCP.sqlDatabaseInstance, {
      providerConfig: ctx.policy.environments.gke.providerConfig,
      labels: ctx.labels,
      externalName: instanceName,
      forProvider: {
        project: network.project,
        region: ctx.environment.region,
        databaseVersion: databaseVersion(ctx, sql.versions),
        deletionProtection: sql.deletionProtection,
        settings: {
          // Stopped while the environment sleeps (no compute billed; storage stays), running otherwise.
          activationPolicy: ctx.environment.asleep !== undefined ? 'NEVER' : 'ALWAYS',
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
}

/** The app's database and its user, whose password is the one generated in the environment. */
function composeDatabaseAndUser(ctx: DatabaseContext, project: string, instance: Need, password: Need): void {
  const flavor = ctx.app.identity.flavor;
  const common = { providerConfig: ctx.policy.environments.gke.providerConfig, labels: ctx.labels };
  const inInstance = { project, instanceSelector: selectComponent(RESOURCE.database) };
  ctx.graph.add({
    name: RESOURCE.sqlDatabase,
    what: `database ${DATABASE_NAME}`,
    needs: [instance],
    body: managedResource(flavor, GCP.sqlDatabase, {
      ...common,
      externalName: DATABASE_NAME,
      // The instance takes its databases with it; Postgres refuses to drop one with connections.
      forProvider: { ...inInstance, charset: 'UTF8', deletionPolicy: 'ABANDON' },
    }),
  });
  const platformSecret = platformPasswordSecret(ctx.app);
  ctx.graph.add({
    name: RESOURCE.sqlUser,
    what: `database user ${DATABASE_USER}`,
    needs: [instance, password],
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
  });
}
