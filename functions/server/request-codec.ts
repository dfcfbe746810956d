import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';

/**
 * Decoding RunFunctionRequests without the SDK's nesting limit. The SDK's generated decoders give up
 * at 100 nested messages, and every level of JSON in a resource costs two or three (Value, Struct,
 * its map entry), so an object nested about 33 levels deep, which Kubernetes and Crossplane (whose
 * Go decoder allows 10,000) accept, would be refused with an opaque gRPC INTERNAL error. We start the
 * generated decoders' depth counter lower, and a request that still cannot be decoded becomes a
 * Fatal result naming the reason, with the request's tag when it can be read.
 */

/** The depth counter the generated decoders keep on the reader, and the limit they check it against. */
type DepthCountingReader = BinaryReader & { __tsProtoDecodeDepth?: number };
const GENERATED_DECODER_LIMIT = 100;

/** Nested protobuf messages we decode: about 1,000 levels of JSON, well within Node's stack. */
export const MAX_MESSAGE_DEPTH = 3000;

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
  if (/recursion limit|call stack/i.test(message)) {
    return `a resource in it nests deeper than this function decodes (${MAX_MESSAGE_DEPTH} protobuf messages, about ${Math.floor(MAX_MESSAGE_DEPTH / 3)} levels of JSON)`;
  }
  return `it is not a valid RunFunctionRequest (${message})`;
}

/** Decodes with a generated decoder (RunFunctionRequest, RunFunctionResponse) up to MAX_MESSAGE_DEPTH. */
export function decodeDeep<T>(codec: { decode(reader: BinaryReader): T }, bytes: Uint8Array): T {
  const reader: DepthCountingReader = new BinaryReader(bytes);
  reader.__tsProtoDecodeDepth = GENERATED_DECODER_LIMIT - MAX_MESSAGE_DEPTH;
  return codec.decode(reader);
}

export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  try {
    return { ok: true, request: decodeDeep(RunFunctionRequest, bytes) };
  } catch (error) {
    return { ok: false, reason: reasonFor(error), tag: readTag(bytes) };
  }
}
