import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { rejectUndecodable } from '../../functions/server/handler.js';
import { MAX_JSON_DEPTH } from '../../functions/server/codec/struct.js';
import { decodeRequest } from '../../functions/server/codec/index.js';
import { decodeDeep } from '../../functions/server/library-internals.js';

/**
 * Requests are decoded without the SDK's limit of 100 nested messages (about 33 levels of JSON),
 * up to MAX_JSON_DEPTH levels of JSON; what still cannot be decoded becomes a Fatal result with the request's tag.
 */
function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { n: value };
  return value;
}

const encode = (spec: unknown, tag = 'deep') =>
  RunFunctionRequest.encode(
    RunFunctionRequest.fromPartial({
      meta: { tag },
      observed: { composite: { resource: { apiVersion: 'v1', kind: 'X', spec } } },
    }),
  ).finish();

describe('request decoding', () => {
  it('decodes what the SDK decodes, identically', () => {
    const bytes = encode({ a: [1, 'two', { three: true }], b: null });
    expect(decodeRequest(bytes)).toEqual({ ok: true, request: RunFunctionRequest.decode(bytes) });
  });

  it('decodes objects nested far beyond the SDK limit', () => {
    const bytes = encode(nested(MAX_JSON_DEPTH - 5));
    expect(() => RunFunctionRequest.decode(bytes)).toThrow(/recursion limit/);
    const decoded = decodeRequest(bytes);
    expect(decoded.ok && decoded.request.observed?.composite?.resource?.spec).toEqual(
      nested(MAX_JSON_DEPTH - 5),
    );
  });

  it('refuses deeper nesting with a reason and keeps the tag', () => {
    const decoded = decodeRequest(encode(nested(MAX_JSON_DEPTH + 10), 'too-deep'));
    expect(decoded).toEqual({
      ok: false,
      reason: expect.stringMatching(/nests deeper than/),
      tag: 'too-deep',
    });
  });

  it('turns undecodable bytes into a Fatal result', () => {
    const garbage = new BinaryWriter()
      .uint32(10)
      .uint32(200)
      .raw(new Uint8Array([1, 2, 3]))
      .finish();
    const decoded = decodeRequest(garbage);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    const rsp = rejectUndecodable(decoded.reason, decoded.tag);
    expect(rsp.results).toEqual([
      expect.objectContaining({
        severity: Severity.SEVERITY_FATAL,
        message: expect.stringMatching(
          /^function-devplatform cannot read the RunFunctionRequest: it is not a valid/,
        ),
      }),
    ]);
    expect(rsp.meta?.ttl?.seconds).toBeGreaterThan(0);
  });

  it('decodes deep responses too (for clients and tests)', () => {
    const bytes = encode(nested(200));
    expect(decodeDeep(RunFunctionRequest, bytes).observed?.composite?.resource?.spec).toEqual(nested(200));
  });
});
