// ghz (pinned in tools/ghz, built by scripts/install-go-tool.sh) driving RunFunction over mTLS with a
// pre-encoded request; the service's .proto is function-sdk-go's, from the Go module cache (the Go
// peer's module requires it).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goTool } from '../tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** function-sdk-go's run_function.proto, as the Go peer's module pins it. */
export function runFunctionProto() {
  const dir = execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/crossplane/function-sdk-go'], {
    cwd: join(root, 'tools', 'gotemplating-peer'),
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    encoding: 'utf8',
  }).trim();
  return join(dir, 'proto', 'v1', 'run_function.proto');
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)];
}

const ms = (ns) => Math.round(ns / 1e4) / 100;

/**
 * Runs ghz against 127.0.0.1:`port` with `concurrency` requests in flight, for `load` ({duration}
 * as "5s", or {total}); returns {requests, errors, rps, p50Ms, p99Ms, p999Ms, maxMs}.
 */
export function ghz({ port, certs, proto, requestFile, concurrency, load, work }) {
  const out = join(work, `ghz-${port}-${concurrency}.json`);
  execFileSync(
    goTool('ghz'),
    [
      '--proto',
      proto,
      '--call',
      'apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction',
      '--cacert',
      join(certs, 'ca.crt'),
      '--cert',
      join(certs, 'client.crt'),
      '--key',
      join(certs, 'client.key'),
      '--binary-file',
      requestFile,
      '--concurrency',
      String(concurrency),
      '--connections',
      '1',
      '--cpus',
      '1',
      // Requests in flight when a timed run ends are waited for, not cut and counted as errors.
      '--duration-stop',
      'wait',
      ...(load.duration ? ['--duration', load.duration] : ['--total', String(load.total)]),
      '--format',
      'json',
      '--output',
      out,
      `127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const report = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out);
  const ok = report.details.filter((d) => d.status === 'OK');
  const latencies = ok.map((d) => d.latency).sort((a, b) => a - b);
  return {
    requests: report.count,
    errors: report.count - ok.length,
    errorKinds: report.errorDistribution ?? {},
    rps: Math.round(ok.length / (report.total / 1e9)),
    p50Ms: ms(percentile(latencies, 50)),
    p99Ms: ms(percentile(latencies, 99)),
    p999Ms: ms(percentile(latencies, 99.9)),
    maxMs: ms(latencies[latencies.length - 1]),
  };
}
