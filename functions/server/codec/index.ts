/**
 * The function's wire format: requests decoded by our own decoder (decode.ts, over request.ts and
 * struct.ts), responses encoded by our own encoder (encode.ts, over response.ts) with a warning once
 * they near Crossplane's receive limit. Both are proven equal to the SDK's generated code by
 * test/server/codec-equivalence.test.ts. The server uses nothing else from this folder.
 */
export { decodeRequest, type DecodedRequest } from './decode.js';
export {
  CROSSPLANE_MAX_RESPONSE_BYTES,
  encodeResponse,
  RESPONSE_WARNING_BYTES,
  responseSizeWarning,
} from './encode.js';
