import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import type { JsonObject } from '../shared/objects.js';
import type { Plan } from '../shared/plan.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import { kubernetesObject, type KubernetesObjectOptions } from '../shared/resources/kubernetes.js';
import { CREDENTIALS_RESOURCE } from './credentials.js';
import type { TargetEnvironment } from './environment.js';
import type { DatabaseSpec, ParsedAppStack } from './spec.js';

/** Everything a database composer reads, and the plan it adds to. */
export interface DatabaseContext {
  app: ParsedAppStack;
  database: DatabaseSpec;
  environment: TargetEnvironment;
  policy: ResolvedPolicy;
  plan: Plan;
  /** The app's namespace in the environment. */
  namespace: string;
  /** Labels of every resource the AppStack composes. */
  labels: Record<string, string>;
  /** A provider-kubernetes Object creating `manifest` inside the environment. */
  object: (
    manifest: JsonObject,
    options?: Omit<KubernetesObjectOptions, 'manifest' | 'providerConfig' | 'labels'>,
  ) => JsonObject;
}

export function databaseContext(
  base: Omit<DatabaseContext, 'object'>,
  providerConfig: ProviderConfigRef,
): DatabaseContext {
  return {
    ...base,
    object: (manifest, options) =>
      kubernetesObject(base.app.identity.flavor, {
        ...options,
        manifest,
        providerConfig,
        labels: base.labels,
      }),
  };
}

/** What a database composer hands back: its status and what the Application waits for. */
export interface ComposedDatabase {
  secretName: string;
  /** The composed resources the app needs ready before it starts. */
  dependencies: Array<{ name: string; label: string }>;
}

/** What a cloud database composer hands back: where the server listens, once it does, and what the app waits for. */
export interface CloudDatabase {
  address?: { host: string; port: number };
  dependencies: Array<{ name: string; label: string }>;
}

/** Composition-resource-names of an AppStack's database. */
export const DB_RESOURCE = {
  namespace: 'app-namespace',
  /** The database server: CloudNativePG Cluster, Cloud SQL DatabaseInstance or RDS Instance. */
  database: 'database',
  ...CREDENTIALS_RESOURCE,
} as const;

export interface DatabaseStatus {
  secretName: string;
  ready: boolean;
}

/** The platform's database version for spec.database.version (its default when not given). */
export function databaseVersion(ctx: DatabaseContext, offered: Record<string, string>): string {
  const version = ctx.database.version ?? ctx.policy.databases.postgres.defaultVersion;
  const value = offered[version];
  if (value === undefined) {
    throw new InputError(
      'spec.database.version',
      `"${version}" is not offered for ${ctx.environment.type} environments; the platform offers ${Object.keys(offered).sort().join(', ')}`,
    );
  }
  return value;
}
