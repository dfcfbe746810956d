import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunnerServiceService,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { service as healthService } from 'grpc-health-check';
import { runFunction } from '../../functions/server/handler.js';
import type { LogSeverity } from '../../functions/server/log.js';
import type { ServeOptions } from '../../functions/server/options.js';
import { shutdown, startServer, type Served } from '../../functions/server/serve.js';
import { freePort } from '../../scripts/tools.mjs';

/** Helpers for tests that talk to a served function over gRPC, as Crossplane does. */
export { freePort };

export function call(client: grpc.Client, req: RunFunctionRequest): Promise<RunFunctionResponse> {
  const method = FunctionRunnerServiceService.runFunction;
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      req,
      (err, rsp) => (err || rsp === undefined ? reject(err ?? new Error('no response')) : resolve(rsp)),
    );
  });
}

export function waitForReady(client: grpc.Client, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + ms, (err) => (err ? reject(err) : resolve()));
  });
}

export function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode);
    else proc.once('exit', (code) => resolve(code));
  });
}

/** grpc.health.v1.Health/Check, as kubelet's gRPC probe calls it; resolves to the status name. */
export function healthCheck(client: grpc.Client, service: string): Promise<string> {
  const method = healthService.Check!;
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      { service },
      (err, rsp: { status?: string } | undefined) =>
        err || rsp === undefined ? reject(err ?? new Error('no response')) : resolve(String(rsp.status)),
    );
  });
}

/** Scrapes a Prometheus text endpoint into `series → value` ("name" or 'name{a="b"}' as written). */
export async function scrape(url: string): Promise<{ contentType: string; series: Map<string, number> }> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  const series = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { contentType: res.headers.get('content-type') ?? '', series };
}

/** The built server (dist/, so make build first) in a child process, plaintext on a free port. */
export interface BuiltServer {
  proc: ChildProcess;
  client: grpc.Client;
  /** Everything it wrote to stdout and stderr so far. */
  logs: () => string;
  /** SIGTERM unless it already exited; resolves to its exit code. */
  stop: () => Promise<number | null>;
}

export async function startBuiltServer(extraArgs: string[] = []): Promise<BuiltServer> {
  const main = new URL('../../dist/functions/server/main.js', import.meta.url).pathname;
  if (!existsSync(main)) throw new Error(`${main} is missing: make build first`);
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [main, '--insecure', `--address=127.0.0.1:${port}`, '--metrics-address=', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let logs = '';
  proc.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  await waitForReady(client, 15000);
  return {
    proc,
    client,
    logs: () => logs,
    stop: async () => {
      client.close();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited(proc);
    },
  };
}

/** A log line the in-process server wrote. */
export interface LoggedLine {
  severity: LogSeverity;
  msg: string;
  fields: Record<string, unknown>;
}

/** The server in this process, plaintext on a free port, metrics off unless asked for; its log lines are kept. */
export async function startInProcess(options: Partial<ServeOptions> = {}): Promise<{
  served: Served;
  client: grpc.Client;
  logs: LoggedLine[];
  stop: () => Promise<boolean>;
}> {
  const logs: LoggedLine[] = [];
  const { fixedTime } = options;
  const served = await startServer(
    (req) => runFunction(req, fixedTime !== undefined ? { now: () => fixedTime } : {}),
    {
      address: '127.0.0.1:0',
      insecure: true,
      tlsServerCertsDir: '/nonexistent',
      maxRecvMessageSize: 64 * 1024 * 1024,
      shutdownGraceSeconds: 5,
      metricsAddress: undefined,
      debug: false,
      ...options,
    },
    (severity, msg, fields = {}) => logs.push({ severity, msg, fields }),
  );
  const client = new grpc.Client(`127.0.0.1:${served.port}`, grpc.credentials.createInsecure());
  await waitForReady(client, 5000);
  return {
    served,
    client,
    logs,
    stop: () => {
      client.close();
      return shutdown(served, 5);
    },
  };
}
