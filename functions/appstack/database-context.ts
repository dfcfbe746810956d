import { InputError } from '../shared/errors.js';
import type { Need } from '../shared/graph/graph.js';
import type { InEnvironmentContext } from './app-context.js';
import type { DatabaseSpec } from './spec.js';

/** Everything a database composer reads, and the graph it adds to. */
export interface DatabaseContext extends InEnvironmentContext {
  database: DatabaseSpec;
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
