// The functions make bench compares, each started as its own process serving mTLS on loopback:
// ours (dist/), the no-op floor on the SDK (noop-function.mjs), a no-op on our server
// (noop-on-our-server.mjs), the Go peer (tools/gotemplating-peer), the Go native reference
// (tools/gonative-function), and the harness's ceiling (answer-unread.mjs). The Node.js ones run with the runtime image's environment (RUNTIME.env:
// NODE_OPTIONS) on the Node.js running this script (make bench: the image's, scripts/runtime-node.sh).
// Cold start is process start to first served response; RSS and CPU time are read from /proc.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { RUNTIME } from '../build-image.mjs';
import { freePort, goTool, listening } from '../tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUN_FUNCTION = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';

/** The flags all four share (the SDK's serve() has no metrics flag). */
const flags = (p, metrics = true) => [
  '--address',
  `127.0.0.1:${p.port}`,
  '--tls-server-certs-dir',
  p.certs,
  ...(metrics ? ['--metrics-address', `127.0.0.1:${p.metricsPort}`] : []),
];

/** How each function is started, given its gRPC and metrics ports and the certificates folder. */
export const FUNCTIONS = {
  ceiling: {
    label: 'harness ceiling (reads nothing)',
    command: (p) => [process.execPath, [join(root, 'scripts/bench/answer-unread.mjs'), ...flags(p, false)]],
  },
  ours: {
    label: 'function-devplatform (ours)',
    command: (p) => [process.execPath, [join(root, 'dist/functions/server/main.js'), ...flags(p)]],
  },
  noop: {
    label: 'no-op on the TypeScript SDK (floor)',
    command: (p) => [process.execPath, [join(root, 'scripts/bench/noop-function.mjs'), ...flags(p, false)]],
  },
  noopOurServer: {
    label: 'no-op on our server',
    command: (p) => [process.execPath, [join(root, 'scripts/bench/noop-on-our-server.mjs'), ...flags(p)]],
  },
  peer: {
    label: 'Go templating peer (function-sdk-go)',
    command: (p) => [goTool('gotemplating-peer'), flags(p)],
  },
  native: {
    label: 'Go native reference (function-sdk-go)',
    command: (p) => [goTool('gonative-function'), flags(p)],
  },
};

const CLOCK_TICKS_PER_SECOND =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU time a process has used so far, user and system, every thread, in seconds (/proc/<pid>/stat:
 * utime and stime, in clock ticks). What a platform pays for in cores, whatever drives the load.
 */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resident and peak resident memory of a process, in MiB, from /proc (undefined where unreadable). */
export function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const mib = (v) => Math.round((v / 1024) * 10) / 10;
    return { rssMiB: mib(kib('VmRSS')), peakRssMiB: mib(kib('VmHWM')) };
  } catch {
    return undefined;
  }
}

function clientFor(port, certs) {
  const read = (f) => readFileSync(join(certs, f));
  return new grpc.Client(
    `127.0.0.1:${port}`,
    grpc.credentials.createSsl(read('ca.crt'), read('client.key'), read('client.crt')),
    // The certificate also names localhost; a name, not the IP, is what TLS's SNI takes.
    { 'grpc.ssl_target_name_override': 'localhost' },
  );
}

/** One RunFunction with pre-encoded bytes; resolves to the response's bytes. */
export function callRaw(client, bytes) {
  return new Promise((ok, fail) =>
    client.makeUnaryRequest(
      RUN_FUNCTION,
      (b) => b,
      (b) => b,
      bytes,
      (err, rsp) => (err ? fail(err) : ok(rsp)),
    ),
  );
}

/**
 * Starts `name` and sends `firstRequest` as soon as its port accepts connections. Resolves to the
 * running function: {name, port, pid, coldStartMs, firstResponse, stop()}.
 */
export async function startFunction(name, certs, firstRequest) {
  const port = await freePort();
  const metricsPort = await freePort();
  const [command, args] = FUNCTIONS[name].command({ port, metricsPort, certs });
  const started = performance.now();
  const env = command === process.execPath ? { ...process.env, ...RUNTIME.env } : process.env;
  const proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  proc.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((ok) => proc.once('exit', ok));
  const client = clientFor(port, certs);
  let firstResponse;
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}): ${stderr.trim()}`);
      if (performance.now() - started > 30_000) throw new Error(`${name} did not serve within 30 s`);
      if (await listening(port)) {
        try {
          firstResponse = await callRaw(client, firstRequest);
          break;
        } catch {
          // Listening but not serving yet.
        }
      }
      await new Promise((ok) => setTimeout(ok, 2));
    }
  } catch (error) {
    proc.kill('SIGKILL');
    client.close();
    throw error;
  }
  const coldStartMs = Math.round(performance.now() - started);
  return {
    name,
    port,
    pid: proc.pid,
    coldStartMs,
    firstResponse,
    client,
    async stop() {
      client.close();
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
