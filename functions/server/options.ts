import { parseArgs } from 'node:util';

/** How the function serves, from its flags and environment (Crossplane sets TLS_SERVER_CERTS_DIR). */
export interface ServeOptions {
  address: string;
  insecure: boolean;
  /** Holds tls.crt, tls.key and ca.crt; clients must present a certificate signed by ca.crt. */
  tlsServerCertsDir: string;
  /** Largest request accepted, in bytes. gRPC's default of 4 MiB is the first limit large platforms hit. */
  maxRecvMessageSize: number;
  /** How long in-flight requests may take to finish after SIGTERM before the server stops anyway. */
  shutdownGraceSeconds: number;
  /** Where Prometheus scrapes /metrics (plain HTTP, a port of its own); undefined turns metrics off. */
  metricsAddress: string | undefined;
  /** Whether each request's log line also carries its Normal results. */
  debug: boolean;
  /** Answer as if it were this time (reproducible renders); undefined reads the system clock. */
  fixedTime?: Date;
}

export const DEFAULT_ADDRESS = '0.0.0.0:9443';
export const DEFAULT_TLS_SERVER_CERTS_DIR = '/tls/server';
export const DEFAULT_MAX_RECV_MESSAGE_SIZE = 64 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;
export const DEFAULT_METRICS_ADDRESS = '0.0.0.0:8080';

export const USAGE = `Usage: function-devplatform [flags]

A Crossplane composition function: DevEnvironments and AppStacks.

Flags:
  --address <host:port>           Where to listen (default ${DEFAULT_ADDRESS}).
  --insecure                      Serve plaintext, without mTLS (development only).
  --tls-server-certs-dir <dir>    tls.crt, tls.key and ca.crt (default $TLS_SERVER_CERTS_DIR, else ${DEFAULT_TLS_SERVER_CERTS_DIR}).
                                  Clients must present a certificate signed by ca.crt.
  --max-recv-message-size <bytes> Largest request accepted (default ${DEFAULT_MAX_RECV_MESSAGE_SIZE}, 64 MiB).
  --shutdown-grace <seconds>      Time in-flight requests get after SIGTERM (default ${DEFAULT_SHUTDOWN_GRACE_SECONDS}).
  --metrics-address <host:port>   Where Prometheus scrapes /metrics over plain HTTP (default ${DEFAULT_METRICS_ADDRESS});
                                  --metrics-address= (empty) turns metrics off.
  --debug                         Log Normal results too in each request's line (Fatal and Warning always are).
  --fixed-time <RFC 3339 time>    Answer as if it were this time, for reproducible renders (make render uses it);
                                  never set it where the function serves Crossplane.
  -h, --help                      Show this help.`;

/** A flag or its value is wrong: main prints it with the usage and exits 2. */
export class UsageError extends Error {}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** Splits host:port (host may be empty or a bracketed IPv6 address); a wrong shape is a UsageError. */
export function hostPort(flag: string, value: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || port > 65535)
    throw new UsageError(`--${flag} must be host:port (e.g. 0.0.0.0:8080), got "${value}"`);
  return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

/** --fixed-time: an RFC 3339 time with a zone, e.g. 2026-11-21T12:00:00Z. */
function fixedTime(value: string | undefined): { fixedTime?: Date } {
  if (value === undefined) return {};
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? Date.parse(value)
    : NaN;
  if (Number.isNaN(time)) {
    throw new UsageError(
      `--fixed-time must be an RFC 3339 time such as 2026-11-21T12:00:00Z, got "${value}"`,
    );
  }
  return { fixedTime: new Date(time) };
}

/** Parses the flags; `undefined` means --help was asked for. */
export function parseServeOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): ServeOptions | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        address: { type: 'string' },
        insecure: { type: 'boolean' },
        'tls-server-certs-dir': { type: 'string' },
        'max-recv-message-size': { type: 'string' },
        'shutdown-grace': { type: 'string' },
        'metrics-address': { type: 'string' },
        debug: { type: 'boolean', short: 'd' },
        'fixed-time': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return undefined;
  const str = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  const certsDir = str('tls-server-certs-dir') ?? env.TLS_SERVER_CERTS_DIR ?? DEFAULT_TLS_SERVER_CERTS_DIR;
  if (certsDir === '') throw new UsageError('--tls-server-certs-dir must not be empty');
  const metricsAddress = str('metrics-address') ?? DEFAULT_METRICS_ADDRESS;
  if (metricsAddress !== '') hostPort('metrics-address', metricsAddress);
  return {
    address: str('address') ?? DEFAULT_ADDRESS,
    insecure: values.insecure === true,
    tlsServerCertsDir: certsDir,
    maxRecvMessageSize: positiveInteger(
      'max-recv-message-size',
      str('max-recv-message-size'),
      DEFAULT_MAX_RECV_MESSAGE_SIZE,
    ),
    shutdownGraceSeconds: positiveInteger(
      'shutdown-grace',
      str('shutdown-grace'),
      DEFAULT_SHUTDOWN_GRACE_SECONDS,
    ),
    metricsAddress: metricsAddress === '' ? undefined : metricsAddress,
    debug: values.debug === true,
    ...fixedTime(str('fixed-time')),
  };
}
