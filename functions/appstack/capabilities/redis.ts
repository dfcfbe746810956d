import type { Need } from '../../shared/graph/graph.js';
import type { InEnvironmentContext } from '../app-context.js';

/** A Redis as the Dapr components using it see it. */
export interface ComposedRedis {
  /** host:port, once known. */
  address?: string;
  /** Whether clients must speak TLS. */
  tls: boolean;
  /** The Secret (in the app's namespace) and key holding the password. */
  password: { name: string; key: string };
  /** What a component using it needs ready first. */
  needs: Need[];
  /** Memorystore: the ConfigMap (in the app's namespace) with the CA the Dapr sidecar must trust. */
  caConfigMap?: string;
  /** What it does while the environment sleeps, for the CapabilitiesReady condition. */
  whileAsleep: string;
}

/** What every Redis composer gets: where it goes, and what it waits for there. */
export interface RedisTarget {
  ctx: InEnvironmentContext;
  /** What a resource in the app's namespace waits for. */
  namespaceNeeds: Need[];
  /** The tools a password generated in the environment needs (External Secrets). */
  tools: Need[];
}

export const REDIS_PORT = 6379;
