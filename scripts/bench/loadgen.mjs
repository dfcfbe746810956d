// grpc-loadgen (tools/grpc-loadgen, built by scripts/install-go-tool.sh) driving RunFunction over mTLS
// with a pre-encoded request sent as it is (a raw codec: nothing re-encoded per call, unlike ghz,
// which was the bottleneck), over one connection like Crossplane.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { goTool } from '../tools.mjs';

/**
 * The HTTP/2 flow-control windows the load generator grants, the same our server grants its clients
 * (functions/server/library-internals.ts). With grpc-go's own (64 KiB, grown by its bandwidth-delay
 * estimate, which is what Crossplane's client uses) the connection window the server saw at 32 in
 * flight had a median of 42-252 KiB and often reached 0: the client, sharing two cores with the
 * server, sent its window updates late and every server's responses waited for them, which is the
 * load generator's time, not the server's.
 */
const STREAM_WINDOW_BYTES = 1024 * 1024;
const CONNECTION_WINDOW_BYTES = 8 * 1024 * 1024;

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
      '-stream-window',
      String(STREAM_WINDOW_BYTES),
      '-conn-window',
      String(CONNECTION_WINDOW_BYTES),
      ...(load.duration ? ['-duration', load.duration] : ['-total', String(load.total)]),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out);
}
