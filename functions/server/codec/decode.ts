import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from './request.js';
import { DEPTH_ERROR, MAX_JSON_DEPTH } from './struct.js';

/**
 * Requests arrive as bytes and are decoded by our own decoder (request.ts): the SDK's types,
 * proven equal to the SDK's generated decoder by test/server/codec-equivalence.test.ts, but faster,
 * and without the generated decoders' limit of 100 nested messages (about 33 levels of JSON, which
 * Kubernetes and Crossplane, whose Go decoder allows 10,000, accept). A request that cannot be
 * decoded becomes a Fatal result naming the reason, with the request's tag when it can be read.
 */

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

export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  try {
    return { ok: true, request: decodeRunFunctionRequest(bytes) };
  } catch (error) {
    return { ok: false, reason: reasonFor(error), tag: readTag(bytes) };
  }
}
