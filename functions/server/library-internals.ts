import type * as grpc from '@grpc/grpc-js';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import type { Http2Server, Http2Session } from 'node:http2';
import { MAX_JSON_DEPTH } from './codec/struct.js';

/**
 * The only code that reaches into libraries' internals, kept in one place because each use depends
 * on a private detail of an exactly pinned version and must be re-checked when that version moves:
 * - grpc-js 1.14.7 keeps its Node HTTP/2 servers in a private map, and has no option for the
 *   flow-control windows (test/server/flow-control.test.ts checks the windows a client is granted);
 * - ts-proto's generated decoders (in @crossplane-org/function-sdk-typescript 0.7.0) count nesting on
 *   a private field of the reader, and stop at 100 nested messages (test/server/codec.test.ts).
 */

/**
 * HTTP/2 flow-control windows the server grants. Node's default (64 KiB per stream and per
 * connection) is smaller than a RunFunctionRequest for a large composite (the gke DevEnvironment
 * with every tool observed is 92 KB), so each request waited for window updates, shared by every
 * request in flight on Crossplane's one connection: make bench measured 206 req/s at 8 in flight with
 * the server half idle, 415 with these windows. grpc-go grows its windows itself (BDP estimation).
 */
export const STREAM_WINDOW_BYTES = 1024 * 1024;
export const CONNECTION_WINDOW_BYTES = 8 * 1024 * 1024;

/** Widens the windows of every HTTP/2 server grpc-js bound (call after bindAsync). */
export function widenFlowControlWindows(server: grpc.Server): void {
  const http2Servers = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  if (!(http2Servers instanceof Map)) {
    throw new Error('grpc-js: cannot reach its HTTP/2 servers to set flow-control windows');
  }
  for (const http2Server of http2Servers.keys()) {
    http2Server.updateSettings({ initialWindowSize: STREAM_WINDOW_BYTES });
    http2Server.on('session', (session: Http2Session) => session.setLocalWindowSize(CONNECTION_WINDOW_BYTES));
  }
}

/** The depth counter the generated decoders keep on the reader, and the limit they check it against. */
type DepthCountingReader = BinaryReader & { __tsProtoDecodeDepth?: number };
const GENERATED_DECODER_LIMIT = 100;
/** Nested messages decodeDeep allows: about MAX_JSON_DEPTH levels of JSON. */
const MAX_GENERATED_DEPTH = 3 * MAX_JSON_DEPTH;

/**
 * Decodes with an SDK's generated decoder (RunFunctionResponse, for clients: the fuzzer and tests)
 * up to about MAX_JSON_DEPTH levels of JSON, by starting the generated decoders' depth counter lower.
 */
export function decodeDeep<T>(codec: { decode(reader: BinaryReader): T }, bytes: Uint8Array): T {
  const reader: DepthCountingReader = new BinaryReader(bytes);
  reader.__tsProtoDecodeDepth = GENERATED_DECODER_LIMIT - MAX_GENERATED_DEPTH;
  return codec.decode(reader);
}
