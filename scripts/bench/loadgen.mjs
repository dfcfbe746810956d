// grpc-loadgen (tools/grpc-loadgen, built by scripts/install-go-tool.sh) driving RunFunction over mTLS
// with a pre-encoded request sent as it is (a raw codec: nothing re-encoded per call, unlike ghz,
// which was the bottleneck), over one connection like Crossplane.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { goTool } from '../tools.mjs';

/**
 * Runs the load generator against 127.0.0.1:`port` with `concurrency` calls in flight, for `load`
 * ({duration} as "5s", or {total}); returns {requests, errors, errorKinds, rps, p50Ms, p99Ms,
 * p999Ms, maxMs, seconds}.
 */
export function loadgen({ port, certs, requestFile, concurrency, load }) {
  const out = execFileSync(
    goTool('grpc-loadgen'),
    [
      '-address',
      `127.0.0.1:${port}`,
      '-cacert',
      join(certs, 'ca.crt'),
      '-cert',
      join(certs, 'client.crt'),
      '-key',
      join(certs, 'client.key'),
      '-request',
      requestFile,
      '-concurrency',
      String(concurrency),
      ...(load.duration ? ['-duration', load.duration] : ['-total', String(load.total)]),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out);
}
