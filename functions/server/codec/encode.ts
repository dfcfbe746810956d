import { Severity, Target, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { encodeRunFunctionResponse } from './response.js';

/** Crossplane reads function responses with gRPC's default receive limit. */
export const CROSSPLANE_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** From here on a response carries a warning, while there is still room to act. */
export const RESPONSE_WARNING_BYTES = 3 * 1024 * 1024;

const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/** The warning a response of this size carries, if any. */
export function responseSizeWarning(bytes: number): string | undefined {
  if (bytes < RESPONSE_WARNING_BYTES) return undefined;
  const over = bytes > CROSSPLANE_MAX_RESPONSE_BYTES;
  return (
    `function-devplatform's response is ${mib(bytes)} MiB; Crossplane refuses function responses over ` +
    `${mib(CROSSPLANE_MAX_RESPONSE_BYTES)} MiB (gRPC's default receive limit)` +
    (over ? ', so this one will fail' : '') +
    ': split this composite (fewer tools or apps per XR) or trim large inputs'
  );
}

/** The response's bytes (our encoder, byte for byte the SDK's), as a Buffer over them without a copy. */
function encode(rsp: RunFunctionResponse): Buffer {
  const bytes = encodeRunFunctionResponse(rsp);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Encodes the response once; only a response at or past the warning size is encoded again, with the
 * warning added (as a result, so it reaches the XR as an event).
 */
export function encodeResponse(rsp: RunFunctionResponse): Buffer {
  const bytes = encode(rsp);
  const message = responseSizeWarning(bytes.length);
  if (message === undefined) return bytes;
  rsp.results = [
    ...rsp.results,
    { severity: Severity.SEVERITY_WARNING, reason: 'ResponseSize', message, target: Target.TARGET_COMPOSITE },
  ];
  return encode(rsp);
}
