import type { Need } from '../shared/graph/graph.js';
import { getPath, getString } from '../shared/objects.js';
import { AWS } from '../shared/resources/aws.js';
import { managedResource, selectComponent } from '../shared/resources/managed.js';
import { platformSecretKeyRef } from '../shared/resources/provider-config-ref.js';
import { DATABASE_NAME, DATABASE_USER, POSTGRES_PORT } from './credentials.js';
import { databaseVersion, startsWith, type CloudDatabase, type DatabaseContext } from './database-context.js';
import type { EnvironmentNetwork } from './environment.js';
import { appStackTags, composeSecurityGroup } from './security-group.js';
import { platformPasswordSecret, RESOURCE, rdsIdentifier } from './naming.js';

type AwsNetwork = Extract<EnvironmentNetwork, { cloud: 'aws' }>;

/**
 * RDS for PostgreSQL (eks environments), in the environment's VPC: a subnet group over the
 * cluster's subnets, a security group open on 5432 to the cluster security group only (the control
 * plane and managed nodes carry it), and the instance, encrypted and private, with the password
 * generated inside the environment and mirrored to the platform.
 */
export function composeRds(
  ctx: DatabaseContext,
  network: AwsNetwork,
  needs: Need[],
  password: Need,
): CloudDatabase {
  const placement = composePlacement(ctx, network, needs);
  composeInstance(ctx, [...needs, ...placement, password]);
  const observed = ctx.graph.observedResource(RESOURCE.database);
  const host = getString(observed, 'status.atProvider.address');
  const port = getPath(observed, 'status.atProvider.port');
  return {
    ...(host !== undefined && host !== ''
      ? { address: { host, port: typeof port === 'number' && port > 0 ? port : POSTGRES_PORT } }
      : {}),
    needs: [
      { on: RESOURCE.database, for: 'the database server it connects to' },
      startsWith(RESOURCE.ingress, 'the rule that lets it reach the database'),
    ],
  };
}

function rdsCommon(ctx: DatabaseContext) {
  return {
    providerConfig: ctx.policy.environments.eks.providerConfig,
    labels: ctx.labels,
  };
}

const rdsTags = appStackTags;

/**
 * Where the instance goes: a subnet group over the cluster's subnets and a security group open on
 * 5432 to the cluster security group only. Returns what the instance needs of them: AWS refuses to
 * delete either while the instance uses it.
 */
function composePlacement(ctx: DatabaseContext, network: AwsNetwork, needs: Need[]): Need[] {
  const flavor = ctx.app.identity.flavor;
  ctx.graph.add({
    name: RESOURCE.subnetGroup,
    what: 'database subnet group',
    needs,
    body: managedResource(flavor, AWS.dbSubnetGroup, {
      ...rdsCommon(ctx),
      forProvider: {
        region: ctx.environment.region ?? '',
        subnetIds: network.subnetIds,
        description: `AppStack ${ctx.app.identity.key} in DevEnvironment ${ctx.environment.name}`,
        tags: rdsTags(ctx),
      },
    }),
  });
  const guard = composeSecurityGroup(ctx, network, needs, {
    group: RESOURCE.securityGroup,
    rule: RESOURCE.ingress,
    what: 'database',
    service: 'PostgreSQL',
    port: POSTGRES_PORT,
  });
  return [{ on: RESOURCE.subnetGroup, for: 'the subnets it is placed in' }, guard];
}

/** The instance: encrypted, private, sized by the policy, with the password made in the environment. */
function composeInstance(ctx: DatabaseContext, needs: Need[]): void {
  const { app } = ctx;
  const flavor = app.identity.flavor;
  const rds = ctx.policy.databases.rds;
  const size = rds.sizes[ctx.database.size];
  const identifier = rdsIdentifier(app, ctx.observed);
  const platformSecret = platformPasswordSecret(app);
  ctx.graph.add({
    name: RESOURCE.database,
    what: `RDS instance ${identifier}`,
    needs,
    body: managedResource(flavor, AWS.dbInstance, {
      ...rdsCommon(ctx),
      forProvider: {
        region: ctx.environment.region ?? '',
        identifier,
        engine: 'postgres',
        engineVersion: databaseVersion(ctx, rds.versions),
        instanceClass: size.instanceClass,
        allocatedStorage: size.allocatedStorage,
        maxAllocatedStorage: size.allocatedStorage * 4,
        storageType: 'gp3',
        storageEncrypted: true,
        multiAz: size.multiAz ?? false,
        dbName: DATABASE_NAME,
        username: DATABASE_USER,
        passwordSecretRef: platformSecretKeyRef(flavor, { ...platformSecret, key: 'password' }),
        dbSubnetGroupNameSelector: selectComponent(RESOURCE.subnetGroup),
        vpcSecurityGroupIdSelector: selectComponent(RESOURCE.securityGroup),
        publiclyAccessible: false,
        backupRetentionPeriod: rds.backupRetentionDays,
        deletionProtection: rds.deletionProtection,
        skipFinalSnapshot: rds.skipFinalSnapshot,
        ...(rds.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${identifier}-final` }),
        autoMinorVersionUpgrade: true,
        applyImmediately: true,
        copyTagsToSnapshot: true,
        tags: rdsTags(ctx),
      },
    }),
  });
}
