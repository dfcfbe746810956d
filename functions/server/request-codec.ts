import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from './codec/request.js';
import { DEPTH_ERROR, MAX_JSON_DEPTH } from './codec/struct.js';

/**
 * Requests arrive as bytes and are decoded by our own decoder (codec/request.ts): the SDK's types,
 * proven equal to the SDK's generated decoder by test/server/codec-equivalence.test.ts, but faster,
 * and without the generated decoders' limit of 100 nested messages (about 33 levels of JSON, which
 * Kubernetes and Crossplane, whose Go decoder allows 10,000, accept). A request that cannot be
 * decoded becomes a Fatal result naming the reason, with the request's tag when it can be read.
 */

/** The depth counter the generated decoders keep on the reader, and the limit they check it against. */
type DepthCountingReader = BinaryReader & { __tsProtoDecodeDepth?: number };
const GENERATED_DECODER_LIMIT = 100;
/** Nested messages decodeDeep allows: about MAX_JSON_DEPTH levels of JSON. */
const MAX_GENERATED_DEPTH = 3 * MAX_JSON_DEPTH;

export type DecodedRequest =
  { ok: true; request: RunFunctionRequest } | { ok: false; reason: string; tag: string };

const REQUEST_META_FIELD = 1;

/** The request's meta.tag, read from field 1 alone, so a broken resource elsewhere does not lose it. */
function readTag(bytes: Uint8Array): string {
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === REQUEST_META_FIELD && wireType === WireType.LengthDelimited) {
        const meta = new BinaryWriter()
          .tag(REQUEST_META_FIELD, WireType.LengthDelimited)
          .bytes(reader.bytes());
        return RunFunctionRequest.decode(meta.finish()).meta?.tag ?? '';
      }
      reader.skip(wireType, field);
    }
  } catch {
    // No readable meta: the reply goes out untagged.
  }
  return '';
}

function reasonFor(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message === DEPTH_ERROR || /call stack/i.test(message)) {
    return `a resource in it nests deeper than this function decodes (${MAX_JSON_DEPTH} levels of JSON)`;
  }
  return `it is not a valid RunFunctionRequest (${message})`;
}

/**
 * Decodes with an SDK's generated decoder (RunFunctionResponse, for clients: the fuzzer and tests)
 * up to about MAX_JSON_DEPTH levels of JSON, by starting the generated decoders' depth counter (an
 * internal of ts-proto's output, pinned by test/server/codec.test.ts) lower.
 */
export function decodeDeep<T>(codec: { decode(reader: BinaryReader): T }, bytes: Uint8Array): T {
  const reader: DepthCountingReader = new BinaryReader(bytes);
  reader.__tsProtoDecodeDepth = GENERATED_DECODER_LIMIT - MAX_GENERATED_DEPTH;
  return codec.decode(reader);
}

export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  try {
    return { ok: true, request: decodeRunFunctionRequest(bytes) };
  } catch (error) {
    return { ok: false, reason: reasonFor(error), tag: readTag(bytes) };
  }
}
