import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunnerServiceService,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';

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
}

export const DEFAULT_ADDRESS = '0.0.0.0:9443';
export const DEFAULT_TLS_SERVER_CERTS_DIR = '/tls/server';
export const DEFAULT_MAX_RECV_MESSAGE_SIZE = 64 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;

export const USAGE = `Usage: function-devplatform [flags]

A Crossplane composition function: DevEnvironments and AppStacks.

Flags:
  --address <host:port>           Where to listen (default ${DEFAULT_ADDRESS}).
  --insecure                      Serve plaintext, without mTLS (development only).
  --tls-server-certs-dir <dir>    tls.crt, tls.key and ca.crt (default $TLS_SERVER_CERTS_DIR, else ${DEFAULT_TLS_SERVER_CERTS_DIR}).
                                  Clients must present a certificate signed by ca.crt.
  --max-recv-message-size <bytes> Largest request accepted (default ${DEFAULT_MAX_RECV_MESSAGE_SIZE}, 64 MiB).
  --shutdown-grace <seconds>      Time in-flight requests get after SIGTERM (default ${DEFAULT_SHUTDOWN_GRACE_SECONDS}).
  --debug                         Accepted for compatibility with function-sdk-go; logging is always structured.
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
        debug: { type: 'boolean', short: 'd' },
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
  };
}

/**
 * mTLS that is really mutual: the SDK's server credentials make client certificates optional; ours
 * refuse a client without a certificate signed by ca.crt (and plaintext altogether).
 */
export function serverCredentials(options: ServeOptions): grpc.ServerCredentials {
  if (options.insecure) return grpc.ServerCredentials.createInsecure();
  const dir = options.tlsServerCertsDir;
  const read = (file: string) => readFileSync(join(dir, file));
  return grpc.ServerCredentials.createSsl(
    read('ca.crt'),
    [{ private_key: read('tls.key'), cert_chain: read('tls.crt') }],
    true,
  );
}

export type Handler = (req: RunFunctionRequest) => RunFunctionResponse;

/** Binds the FunctionRunnerService on the address; resolves to the server and the port it got. */
export function startServer(
  handler: Handler,
  options: ServeOptions,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxRecvMessageSize,
    'grpc.max_send_message_length': -1,
  });
  server.addService(FunctionRunnerServiceService, {
    runFunction: (
      call: grpc.ServerUnaryCall<RunFunctionRequest, RunFunctionResponse>,
      callback: grpc.sendUnaryData<RunFunctionResponse>,
    ) => {
      // runFunction turns every failure into a Fatal result; an exception here is a bug, reported as such.
      try {
        callback(null, handler(call.request));
      } catch (error) {
        callback({
          code: grpc.status.INTERNAL,
          details: error instanceof Error ? error.message : String(error),
        });
      }
    },
  });
  const credentials = serverCredentials(options);
  return new Promise((resolve, reject) => {
    server.bindAsync(options.address, credentials, (error, port) =>
      error ? reject(error) : resolve({ server, port }),
    );
  });
}

/**
 * Stops taking new calls and lets in-flight ones finish; after `graceSeconds` cuts what is left.
 * Resolves to whether everything finished in time.
 */
export function shutdown(server: grpc.Server, graceSeconds: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve(false);
    }, graceSeconds * 1000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
