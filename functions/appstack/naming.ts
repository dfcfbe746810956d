import { dnsLabel, shortHash } from '../shared/names.js';
import { connectionSecretNamespace } from '../shared/identity.js';
import { getString } from '../shared/objects.js';
import { keptExternalName, type ObservedResources } from '../shared/observed.js';
import type { ParsedAppStack } from './spec.js';

/**
 * Composition-resource-names of an AppStack's resources. Never rename one: that deletes it (and a
 * database with it). Deletion-order Usages are named from these by the graph (usageName).
 */
export const RESOURCE = {
  application: 'application',
  /** The DevEnvironment the app runs in, as the graph and its Usages name it. */
  environment: 'environment',
  /** The app's namespace in an environment with a cluster of its own. */
  namespace: 'app-namespace',
  /** The database server: CloudNativePG Cluster, Cloud SQL DatabaseInstance or RDS Instance. */
  database: 'database',
  /** The Secret the app mounts (an ExternalSecret writes it). */
  credentials: 'database-credentials',
  /** Cloud databases: the password alone, generated in the environment and mirrored to the platform. */
  password: 'database-password',
  reader: 'database-credentials-reader',
  readerRole: 'database-credentials-reader-role',
  readerBinding: 'database-credentials-reader-binding',
  store: 'database-credentials-store',
  // Cloud SQL
  sqlDatabase: 'database-sql-database',
  sqlUser: 'database-sql-user',
  // RDS
  subnetGroup: 'database-subnet-group',
  securityGroup: 'database-security-group',
  ingress: 'database-ingress',
  /** kube-green's SleepInfo for the app's namespace in a sleeping vcluster environment. */
  sleepInfo: 'app-sleepinfo',
} as const;

/**
 * The Application's name in Argo CD: at most 63 characters, because Argo CD labels what it deploys
 * with it. Kept once the Application exists.
 */
export function applicationName(app: ParsedAppStack, observed: ObservedResources): string {
  const existing = getString(observed.get(RESOURCE.application), 'spec.forProvider.manifest.metadata.name');
  return existing !== undefined && existing !== '' ? existing : dnsLabel(app.identity.key, 63);
}

/** The Secret the app mounts, with keys host, port, username, password, database, uri. */
export function databaseSecretName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-db`, 63);
}

/** The service account (and its Role and RoleBinding) the credentials' SecretStore reads as. */
export function credentialsReaderName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-db-reader`, 63);
}

/** The Secret in the environment holding only the generated password of a cloud database. */
export function passwordSecretName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-db-password`, 63);
}

/**
 * The Secret on the platform cluster (the XR's namespace; a legacy XR's claim namespace) that the
 * cloud provider reads the password from. provider-kubernetes writes it as the password Object's
 * connection Secret; it is never part of desired state.
 */
export function platformPasswordSecret(app: ParsedAppStack): { name: string; namespace: string } {
  return {
    name: `${dnsLabel(app.identity.name, 40)}-db-password`,
    namespace: connectionSecretNamespace(app.identity),
  };
}

/** The CloudNativePG Cluster's name, which its services and the credentials' host carry. */
export function postgresClusterName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-db`, 40, true);
}

/**
 * A Cloud SQL instance name: unique in the project and, since Cloud SQL does not let a name be
 * reused for about a week, different for an AppStack deleted and created again.
 */
export function cloudSqlInstanceName(app: ParsedAppStack, observed: ObservedResources): string {
  const { key, creationTimestamp } = app.identity;
  const proposed = `${dnsLabel(key, 50, true)}-${shortHash(`${key}/${creationTimestamp ?? ''}`, 6)}`;
  return keptExternalName(observed.get(RESOURCE.database), proposed);
}

/**
 * An RDS identifier: at most 63 characters, a letter first, no "--", no trailing hyphen; kept from
 * the observed instance once it exists. provider-upjet-aws takes it from spec.forProvider.identifier
 * (its external name is the instance's resource ID, and setting that annotation misbehaves:
 * crossplane-contrib/provider-upjet-aws#1185, #2232).
 */
export function rdsIdentifier(app: ParsedAppStack, observed: ObservedResources): string {
  const kept = getString(observed.get(RESOURCE.database), 'spec.forProvider.identifier');
  if (kept !== undefined && kept !== '') return kept;
  const { key, creationTimestamp } = app.identity;
  const base = dnsLabel(key, 55, true).replace(/-{2,}/g, '-').replace(/-$/, '');
  return `${base}-${shortHash(`${key}/${creationTimestamp ?? ''}`, 6)}`;
}
