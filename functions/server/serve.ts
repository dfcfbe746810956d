import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server as HttpServer } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunnerServiceService,
  Severity,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { HealthImplementation } from 'grpc-health-check';
import { isObject } from '../shared/objects.js';
import { findKind, rejectUndecodable } from './handler.js';
import { stdoutLog, type LogSink } from './log.js';
import { FunctionMetrics, startMetricsServer } from './metrics.js';
import type { ServeOptions } from './options.js';
import { decodeRequest, encodeResponse } from './codec/index.js';
import { provisioningEvents } from './provisioning-metrics.js';
import { requestLogEntry } from './request-log.js';
import { releaseDecodedRequest, widenFlowControlWindows } from './library-internals.js';

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

/** The gRPC service name Crossplane calls; the health service reports it, and '' for the whole server. */
export const FUNCTION_SERVICE = 'apiextensions.fn.proto.v1.FunctionRunnerService';

/**
 * The SDK's service definition with our codec at both ends: the request's bytes reach the call as
 * they are and are decoded there (codec/decode.ts, without the SDK's nesting limit); responses are
 * sent as we encoded them (to measure them once).
 *
 * Decoding in the call rather than in grpc-js's deserializer is for memory: a message grpc-js
 * deserializes hangs off its per-call objects, and those reach V8's old generation (dead) often
 * enough to drag the decoded request along. Measured at 1 in flight with the bench's gke request:
 * 470 KB promoted per young collection decoded by grpc-js, 22 KB decoded here; about 10% less CPU
 * per request (docs/performance.md).
 */
const RUN_FUNCTION_SERVICE: grpc.ServiceDefinition = {
  runFunction: {
    ...FunctionRunnerServiceService.runFunction,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (bytes: Buffer) => bytes,
  },
};

const SEVERITY_LABEL: Record<Severity, string> = {
  [Severity.SEVERITY_FATAL]: 'fatal',
  [Severity.SEVERITY_WARNING]: 'warning',
  [Severity.SEVERITY_NORMAL]: 'normal',
  [Severity.SEVERITY_UNSPECIFIED]: 'unspecified',
  [Severity.UNRECOGNIZED]: 'unspecified',
};

/** The composite's kind and flavour as metrics labels: a kind we serve, else "other" (never free text). */
function compositeLabels(req: RunFunctionRequest | undefined): { composite: string; flavor: string } {
  const xr = req?.observed?.composite?.resource;
  const served = isObject(xr) ? findKind(xr) : undefined;
  return served === undefined
    ? { composite: 'other', flavor: 'other' }
    : { composite: served.kind, flavor: served.flavor };
}

/** Time to Ready and stage transitions, when a response records them for the first time. */
function recordProvisioning(
  metrics: FunctionMetrics,
  req: RunFunctionRequest,
  rsp: RunFunctionResponse,
  composite: { composite: string; flavor: string },
): void {
  if (composite.composite === 'other') return;
  const events = provisioningEvents(req, rsp);
  const labels = { kind: composite.composite, type: events.type, flavor: composite.flavor };
  if (events.firstReadySeconds !== undefined) metrics.provisioning.observe(events.firstReadySeconds, labels);
  for (const stage of events.stages) metrics.stages.inc({ ...labels, stage });
}

/** A running function: the gRPC server (with the health service), and metrics when turned on. */
export interface Served {
  server: grpc.Server;
  port: number;
  health: HealthImplementation;
  metrics: FunctionMetrics;
  metricsServer?: HttpServer;
  metricsPort?: number;
}

/**
 * The RunFunction call: decodes the request and lets go of its bytes (releaseDecodedRequest), runs
 * the handler on it, answers with the encoded response, and records one log line and the metrics.
 * runFunction turns every failure into a Fatal result, so an exception here is a bug, reported as
 * such (INTERNAL).
 */
function runFunctionCall(handler: Handler, options: ServeOptions, metrics: FunctionMetrics, log: LogSink) {
  return (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void => {
    const started = process.hrtime.bigint();
    const decoded = decodeRequest(call.request);
    releaseDecodedRequest(call);
    const composite = compositeLabels(decoded.ok ? decoded.request : undefined);
    metrics.inFlight.inc();
    try {
      const rsp = decoded.ok ? handler(decoded.request) : rejectUndecodable(decoded.reason, decoded.tag);
      const bytes = encodeResponse(rsp);
      for (const result of rsp.results) metrics.results.inc({ severity: SEVERITY_LABEL[result.severity] });
      if (decoded.ok) recordProvisioning(metrics, decoded.request, rsp, composite);
      metrics.responseBytes.observe(bytes.length);
      callback(null, bytes);
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = requestLogEntry(decoded.ok ? decoded.request : undefined, rsp, elapsedMs, options.debug);
      log(line.severity, 'RunFunction', line.fields);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      metrics.results.inc({ severity: 'internal-error' });
      log('ERROR', 'RunFunction failed', { error: message });
      callback({ code: grpc.status.INTERNAL, details: message });
    } finally {
      metrics.inFlight.dec();
      metrics.requests.inc(composite);
      metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9, composite);
    }
  };
}

/**
 * Binds the FunctionRunnerService and grpc.health.v1.Health on the address, and /metrics on the
 * metrics address; resolves once both listen.
 */
export async function startServer(
  handler: Handler,
  options: ServeOptions,
  log: LogSink = stdoutLog,
): Promise<Served> {
  const metrics = new FunctionMetrics();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxRecvMessageSize,
    'grpc.max_send_message_length': -1,
  });
  server.addService(RUN_FUNCTION_SERVICE, { runFunction: runFunctionCall(handler, options, metrics, log) });
  const health = new HealthImplementation({ '': 'SERVING', [FUNCTION_SERVICE]: 'SERVING' });
  health.addToServer(server);
  const credentials = serverCredentials(options);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.address, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  widenFlowControlWindows(server);
  if (options.metricsAddress === undefined) return { server, port, health, metrics };
  try {
    const served = await startMetricsServer(metrics, options.metricsAddress);
    return { server, port, health, metrics, metricsServer: served.server, metricsPort: served.port };
  } catch (error) {
    server.forceShutdown();
    throw error;
  }
}

/**
 * Reports NOT_SERVING, stops taking new calls and lets in-flight ones finish; after `graceSeconds`
 * cuts what is left. Metrics stay up until the gRPC server is done. Resolves to whether everything
 * finished in time.
 */
export function shutdown(served: Served, graceSeconds: number): Promise<boolean> {
  served.health.setStatus('', 'NOT_SERVING');
  served.health.setStatus(FUNCTION_SERVICE, 'NOT_SERVING');
  const { server, metricsServer } = served;
  const finished = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve(false);
    }, graceSeconds * 1000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  return finished.then(
    (clean) =>
      new Promise<boolean>((resolve) => {
        if (metricsServer === undefined) resolve(clean);
        else {
          metricsServer.closeAllConnections();
          metricsServer.close(() => resolve(clean));
        }
      }),
  );
}
