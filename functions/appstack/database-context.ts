import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import type { JsonObject } from '../shared/objects.js';
import type { ObservedResources } from '../shared/observed.js';
import type { Need, ResourceGraph } from '../shared/graph/graph.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import { kubernetesObject, type KubernetesObjectOptions } from '../shared/resources/kubernetes.js';
import type { TargetEnvironment } from './environment.js';
import type { DatabaseSpec, ParsedAppStack } from './spec.js';

/** Everything a database composer reads, and the graph it adds to. */
export interface DatabaseContext {
  app: ParsedAppStack;
  database: DatabaseSpec;
  environment: TargetEnvironment;
  policy: ResolvedPolicy;
  graph: ResourceGraph;
  /** The observed composed resources, to keep names once resources exist. */
  observed: ObservedResources;
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

/** What a database composer hands back: the Secret the app mounts, and what the app needs first. */
export interface ComposedDatabase {
  secretName: string;
  /** What the Application needs ready before it starts. */
  needs: Need[];
}

/** What a cloud database server composer hands back: where it listens, once it does, and what the app needs. */
export interface CloudDatabase {
  address?: { host: string; port: number };
  needs: Need[];
}

export interface DatabaseStatus {
  secretName: string;
  ready: boolean;
  /** While the environment sleeps: whether the database server is stopped (false: it stays billed). */
  stopped?: boolean;
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

/** A need the app has on what its credentials are made of: read when the app starts, any deletion order. */
export function startsWith(on: string, reason: string): Need {
  return { on, for: reason, anyDeletionOrder: 'the app reads it when it starts' };
}
