import { dnsLabel, shortHash } from '../shared/names.js';
import { getPath, getString } from '../shared/objects.js';
import type { Gate } from '../shared/plan.js';
import { AWS } from '../shared/resources/aws.js';
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

export const RDS_RESOURCE = {
  subnetGroup: 'database-subnet-group',
  securityGroup: 'database-security-group',
  ingress: 'database-ingress',
} as const;

/**
 * An RDS identifier: at most 63 characters, a letter first, no "--", no trailing hyphen; kept from
 * the observed instance once it exists. provider-upjet-aws takes it from spec.forProvider.identifier
 * (its external name is the instance's resource ID, and setting that annotation misbehaves:
 * crossplane-contrib/provider-upjet-aws#1185, #2232).
 */
export function rdsIdentifier(ctx: DatabaseContext): string {
  const kept = getString(ctx.plan.observedResource(DB_RESOURCE.database), 'spec.forProvider.identifier');
  if (kept !== undefined && kept !== '') return kept;
  const { key, creationTimestamp } = ctx.app.identity;
  const base = dnsLabel(key, 55, true).replace(/-{2,}/g, '-').replace(/-$/, '');
  return `${base}-${shortHash(`${key}/${creationTimestamp ?? ''}`, 6)}`;
}

/**
 * RDS for PostgreSQL (eks environments), in the environment's VPC: a subnet group over the
 * cluster's subnets, a security group open on 5432 to the cluster security group only (the control
 * plane and managed nodes carry it), and the instance, encrypted and private, with the password
 * generated inside the environment and mirrored to the platform.
 */
export function composeRds(
  ctx: DatabaseContext,
  network: Extract<EnvironmentNetwork, { cloud: 'aws' }>,
  toolsReady: Gate,
): CloudDatabase {
  const { plan, app } = ctx;
  const flavor = app.identity.flavor;
  const rds = ctx.policy.databases.rds;
  const size = rds.sizes[ctx.database.size];
  const common = { providerConfig: ctx.policy.environments.eks.providerConfig, labels: ctx.labels };
  const region = ctx.environment.region ?? '';
  const identifier = rdsIdentifier(ctx);
  const tags = { 'devplatform-appstack': dnsLabel(app.identity.key, 63) };

  plan.addWhen(toolsReady, {
    name: RDS_RESOURCE.subnetGroup,
    body: managedResource(flavor, AWS.dbSubnetGroup, {
      ...common,
      forProvider: {
        region,
        subnetIds: network.subnetIds,
        description: `AppStack ${app.identity.key} in DevEnvironment ${ctx.environment.name}`,
        tags,
      },
    }),
  });
  plan.addWhen(toolsReady, {
    name: RDS_RESOURCE.securityGroup,
    body: managedResource(flavor, AWS.securityGroup, {
      ...common,
      forProvider: {
        region,
        vpcId: network.vpcId,
        description: `PostgreSQL of AppStack ${app.identity.key}, from the cluster of DevEnvironment ${ctx.environment.name}`,
        tags,
      },
    }),
  });
  plan.addWhen(plan.gate([{ name: RDS_RESOURCE.securityGroup, label: 'database security group' }]), {
    name: RDS_RESOURCE.ingress,
    body: managedResource(flavor, AWS.securityGroupIngressRule, {
      ...common,
      forProvider: {
        region,
        securityGroupIdSelector: selectComponent(RDS_RESOURCE.securityGroup),
        ipProtocol: 'tcp',
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        referencedSecurityGroupId: network.clusterSecurityGroupId,
        description: 'PostgreSQL from the environment cluster',
        tags,
      },
    }),
  });

  const platformSecret = platformPasswordSecret(app);
  plan.addWhen(
    plan.gate([
      { name: CREDENTIALS_RESOURCE.password, label: 'database password' },
      { name: RDS_RESOURCE.subnetGroup, label: 'database subnet group' },
      { name: RDS_RESOURCE.securityGroup, label: 'database security group' },
    ]),
    {
      name: DB_RESOURCE.database,
      body: managedResource(flavor, AWS.dbInstance, {
        ...common,
        forProvider: {
          region,
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
          dbSubnetGroupNameSelector: selectComponent(RDS_RESOURCE.subnetGroup),
          vpcSecurityGroupIdSelector: selectComponent(RDS_RESOURCE.securityGroup),
          publiclyAccessible: false,
          backupRetentionPeriod: rds.backupRetentionDays,
          deletionProtection: rds.deletionProtection,
          skipFinalSnapshot: rds.skipFinalSnapshot,
          ...(rds.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${identifier}-final` }),
          autoMinorVersionUpgrade: true,
          applyImmediately: true,
          copyTagsToSnapshot: true,
          tags,
        },
      }),
    },
  );

  const observed = plan.observedResource(DB_RESOURCE.database);
  const host = getString(observed, 'status.atProvider.address');
  const port = getPath(observed, 'status.atProvider.port');
  return {
    ...(host !== undefined && host !== ''
      ? { address: { host, port: typeof port === 'number' && port > 0 ? port : POSTGRES_PORT } }
      : {}),
    dependencies: [
      { name: DB_RESOURCE.database, label: `RDS instance ${identifier}` },
      { name: RDS_RESOURCE.ingress, label: 'database security group rule' },
    ],
  };
}
