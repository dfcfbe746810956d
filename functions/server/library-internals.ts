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
 *   a private field of the reader, and stop at 100 nested messages (test/server/codec.test.ts);
 * - grpc-js 1.14.7 frames each message it receives into a buffer of its own and keeps the network
 *   chunks it came in on a private decoder per call (test/server/request-release.test.ts).
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

/** The compression flag and length grpc-js reads before every message. */
const GRPC_MESSAGE_HEADER_BYTES = 5;
/** grpc-js's StreamDecoder between messages (ReadState.NO_DATA). */
const DECODER_BETWEEN_MESSAGES = 0;

interface GrpcStreamDecoder {
  readState: unknown;
  readPartialMessage: unknown;
  readCompressFlag: unknown;
}

/** ArrayBuffer.prototype.transfer is ES2024 (Node.js 21 and later); the project's lib is ES2023. */
type DetachableBuffer = ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };

/** What releaseDecodedRequest let go of. */
export interface ReleasedRequest {
  /** Bytes of the request's own buffer (grpc-js's framed message) given back, 0 if it was left alone. */
  requestBytes: number;
  /** Network chunks grpc-js's decoder still held slices of. */
  chunks: number;
}

/**
 * Lets go of a unary request's memory once the call has decoded it (decodeRequest keeps nothing of
 * the bytes: test/server/codec-equivalence.test.ts). Without this it is freed only by V8's next full
 * collection: grpc-js's per-call objects are kept until then, and with them the framed request and,
 * through the decoder's slices, every network chunk it arrived in (about 75 KB per 92 KB request
 * besides the request itself). V8 counts array buffers allocated since its last full collection
 * against the old generation's limit, so those buffers, not our objects, set the pace of full
 * collections: one every 62 requests at 1 in flight, and one every 900 once they are released
 * (docs/performance.md).
 *
 * The request's buffer is detached only when it is grpc-js's framed message and nothing else's (the
 * message at offset 5 of a buffer exactly its size, too large for Node's shared pool); the decoder is
 * only cleared between messages. Anything else is left as it is: this saves memory, it is never
 * needed for a correct answer.
 */
export function releaseDecodedRequest(call: grpc.ServerUnaryCall<Buffer, Buffer>): ReleasedRequest {
  return { requestBytes: detachFramedMessage(call.request), chunks: clearDecoder(call) };
}

function detachFramedMessage(bytes: unknown): number {
  if (!Buffer.isBuffer(bytes) || !(bytes.buffer instanceof ArrayBuffer)) return 0;
  const buffer: DetachableBuffer = bytes.buffer;
  const framedLength = bytes.byteLength + GRPC_MESSAGE_HEADER_BYTES;
  const ownBuffer = bytes.byteOffset === GRPC_MESSAGE_HEADER_BYTES && buffer.byteLength === framedLength;
  const fromSharedPool = framedLength < Buffer.poolSize >>> 1;
  if (!ownBuffer || fromSharedPool || typeof buffer.transfer !== 'function') return 0;
  buffer.transfer(0);
  return framedLength;
}

function clearDecoder(call: grpc.ServerUnaryCall<Buffer, Buffer>): number {
  const decoder = (call as unknown as { call?: { decoder?: Partial<GrpcStreamDecoder> } }).call?.decoder;
  if (
    decoder?.readState !== DECODER_BETWEEN_MESSAGES ||
    !Array.isArray(decoder.readPartialMessage) ||
    !Buffer.isBuffer(decoder.readCompressFlag)
  ) {
    return 0;
  }
  const chunks = decoder.readPartialMessage.length;
  // The state a new decoder starts in; both are replaced when the next message starts.
  decoder.readPartialMessage = [];
  decoder.readCompressFlag = Buffer.alloc(1);
  return chunks;
}
