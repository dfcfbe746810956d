import { BinaryWriter } from '@bufbuild/protobuf/wire';
import {
  Capability,
  RunFunctionRequest,
  RunFunctionResponse,
  Severity,
  Target,
} from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from '../../functions/server/codec/request.js';
import { encodeRunFunctionResponse } from '../../functions/server/codec/response.js';
import { runFunction } from '../../functions/server/handler.js';
import { exampleRequests } from '../support/example-requests.js';
import { propertyRuns, propertySeed, propertyTimeout, random } from '../support/random.js';

/**
 * Our codec (functions/server/codec/) must do exactly what the SDK's generated code does. The
 * request decoder gives the same objects on every request Crossplane can send and on odd and broken
 * bytes: the same types (Buffers for bytes), the same undefined fields, and an error where it errs.
 * The response encoder writes the same bytes.
 */
const sdkDecode = (bytes: Uint8Array) => RunFunctionRequest.decode(bytes);
const encode = (req: RunFunctionRequest) => RunFunctionRequest.encode(req).finish();

function expectSameDecoding(bytes: Uint8Array): void {
  let expected: RunFunctionRequest | Error;
  try {
    expected = sdkDecode(bytes);
  } catch (error) {
    expected = error as Error;
  }
  if (expected instanceof Error) {
    expect(() => decodeRunFunctionRequest(bytes)).toThrow();
  } else {
    expect(decodeRunFunctionRequest(bytes)).toStrictEqual(expected);
  }
}

/** Random JSON values: every kind a Struct holds, unicode and edge numbers included. */
function jsonValue(rand: () => number, depth: number): unknown {
  const pick = Math.floor(rand() * (depth > 4 ? 5 : 7));
  const strings = [
    '',
    'a',
    'team-ml',
    'ünïcödé ☃',
    '𝄞 surrogate',
    'line\nbreak "quoted" \\',
    'x'.repeat(200),
  ];
  const numbers = [0, -0, 1, -1, 0.5, 1e21, -1e-7, 2 ** 53, Number.MAX_VALUE, NaN, Infinity, -Infinity];
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return numbers[Math.floor(rand() * numbers.length)];
    case 3:
    case 4:
      return (
        strings[Math.floor(rand() * strings.length)] + (rand() < 0.5 ? String(Math.floor(rand() * 100)) : '')
      );
    case 5:
      return Array.from({ length: Math.floor(rand() * 4) }, () => jsonValue(rand, depth + 1));
    default:
      return jsonObject(rand, depth + 1);
  }
}

function jsonObject(rand: () => number, depth: number): Record<string, unknown> {
  const keys = ['apiVersion', 'kind', 'metadata', 'spec', 'status', '', 'ключ', 'a.b/c', 'x'];
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) {
    object[keys[Math.floor(rand() * keys.length)]! + (rand() < 0.3 ? String(i) : '')] = jsonValue(
      rand,
      depth,
    );
  }
  return object;
}

function resource(rand: () => number) {
  const details: Record<string, Buffer> = {};
  if (rand() < 0.3) details.password = Buffer.from([0, 255, 1, 128]);
  if (rand() < 0.2) details[''] = Buffer.alloc(0);
  return {
    resource: rand() < 0.9 ? jsonObject(rand, 0) : undefined,
    connectionDetails: details,
    ready: Math.floor(rand() * 3),
  };
}

function randomRequest(rand: () => number): RunFunctionRequest {
  const resources = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, resource(rand)]));
  return RunFunctionRequest.fromPartial({
    meta: {
      tag: rand() < 0.8 ? `tag-${Math.floor(rand() * 1000)}` : '',
      capabilities:
        rand() < 0.5 ? [Capability.CAPABILITY_CAPABILITIES, Capability.CAPABILITY_REQUIRED_RESOURCES] : [],
    },
    observed: { composite: resource(rand), resources: resources(Math.floor(rand() * 4)) },
    desired:
      rand() < 0.5 ? { composite: resource(rand), resources: resources(Math.floor(rand() * 3)) } : undefined,
    input: rand() < 0.8 ? jsonObject(rand, 0) : undefined,
    context: rand() < 0.5 ? jsonObject(rand, 0) : undefined,
    extraResources: rand() < 0.3 ? { extra: { items: [resource(rand), resource(rand)] } } : {},
    requiredResources: rand() < 0.5 ? { environment: { items: [resource(rand)] }, none: { items: [] } } : {},
    requiredSchemas:
      rand() < 0.3 ? { xr: { openapiV3: jsonObject(rand, 0) }, missing: { openapiV3: undefined } } : {},
    credentials:
      rand() < 0.3 ? { cloud: { credentialData: { data: { key: Buffer.from('c2VjcmV0', 'base64') } } } } : {},
  });
}

/** Raw wire for the odd cases: a request whose observed composite's resource is `struct` bytes. */
function requestWithStructBytes(struct: Uint8Array): Uint8Array {
  const resourceMsg = new BinaryWriter().uint32(10).bytes(struct).finish();
  const state = new BinaryWriter().uint32(10).bytes(resourceMsg).finish();
  return new BinaryWriter().uint32(18).bytes(state).finish();
}

/** A Struct with one field `key` whose Value message is `value` (raw bytes). */
function structField(key: string | undefined, value: Uint8Array | undefined): Uint8Array {
  const entry = new BinaryWriter();
  if (key !== undefined) entry.uint32(10).string(key);
  if (value !== undefined) entry.uint32(18).bytes(value);
  return new BinaryWriter().uint32(10).bytes(entry.finish()).finish();
}

describe('our RunFunctionRequest decoder', () => {
  it('decodes every example request at every stage exactly as the SDK does', () => {
    const examples = exampleRequests();
    expect(examples.length).toBeGreaterThan(20);
    for (const { request } of examples) expectSameDecoding(encode(request));
  });

  const runs = propertyRuns(300);
  it(
    `decodes ${runs} random requests exactly as the SDK does`,
    () => {
      const rand = random(propertySeed(7001));
      for (let i = 0; i < runs; i++) expectSameDecoding(encode(randomRequest(rand)));
    },
    propertyTimeout(runs),
  );

  // The server detaches a request's buffer once it is decoded (library-internals.ts,
  // releaseDecodedRequest): nothing decoded may be a view onto those bytes.
  it(
    `keeps nothing of the bytes it decodes (${runs} random requests, then the bytes overwritten)`,
    () => {
      const rand = random(propertySeed(7003));
      for (let i = 0; i < runs; i++) {
        const bytes = Buffer.from(encode(randomRequest(rand)));
        const expected = RunFunctionRequest.decode(Buffer.from(bytes));
        const decoded = decodeRunFunctionRequest(bytes);
        bytes.fill(0xaa);
        expect(decoded).toEqual(expected);
      }
    },
    propertyTimeout(runs),
  );

  it(
    `agrees with the SDK on ${runs} damaged requests: the same result or an error from both`,
    () => {
      const rand = random(propertySeed(7002));
      for (let i = 0; i < runs; i++) {
        const bytes = Buffer.from(encode(randomRequest(rand)));
        for (let flips = 1 + Math.floor(rand() * 3); flips > 0; flips--) {
          bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
        }
        const cut = rand() < 0.3 ? bytes.subarray(0, Math.floor(rand() * bytes.length)) : bytes;
        expectSameDecoding(cut);
      }
    },
    propertyTimeout(runs),
  );

  it('reads odd Values as the SDK does: none set, several set, repeated, unknown fields', () => {
    const value = (build: (w: BinaryWriter) => BinaryWriter) => build(new BinaryWriter()).finish();
    const cases = [
      value((w) => w), // no kind: the field is left out
      value((w) => w.uint32(26).string('s').uint32(17).double(2)), // string wins over number
      value((w) => w.uint32(32).bool(true).uint32(8).int32(0)), // bool wins over null
      value((w) => w.uint32(26).string('first').uint32(26).string('last')), // last occurrence wins
      value((w) =>
        w
          .uint32(8)
          .int32(0)
          .uint32(99 << 3)
          .string('unknown field'),
      ), // unknown skipped
      value((w) => w.uint32(50).bytes(new BinaryWriter().uint32(10).bytes(new Uint8Array()).finish())), // [undefined]
      value((w) => w.uint32(25).fixed64(1)), // mistyped field: skipped
      value((w) => w.uint32(26).bytes(new Uint8Array([0xff, 0xfe, 0x41, 0xe2, 0x82]))), // invalid UTF-8
    ];
    for (const v of cases) expectSameDecoding(requestWithStructBytes(structField('k', v)));
    expectSameDecoding(requestWithStructBytes(structField(undefined, cases[1])));
    expectSameDecoding(requestWithStructBytes(structField('k', undefined)));
  });

  it('decodes short strings through its table exactly: many more than it has slots, each twice', () => {
    // 20,000 distinct short keys and values share 4,096 slots, so most collide with another string.
    const spec: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) spec[`k${i.toString(36)}`] = `v${(i * 7919).toString(36)}`;
    const request = RunFunctionRequest.fromPartial({
      observed: { composite: { resource: { kind: 'X', spec, again: spec } } },
    });
    expectSameDecoding(encode(request));
    const decoded = decodeRunFunctionRequest(encode(request)).observed?.composite?.resource;
    expect(decoded?.spec).toEqual(spec);
    expect(decoded?.again).toEqual(spec);
  });

  it('reads capabilities packed and unpacked', () => {
    const meta = new BinaryWriter()
      .uint32(10)
      .string('t')
      .uint32(16)
      .int32(1)
      .uint32(18)
      .bytes(new Uint8Array([2, 3]))
      .finish();
    expectSameDecoding(new BinaryWriter().uint32(10).bytes(meta).finish());
  });

  it('keeps a "__proto__" field as data, where the SDK would lose it', () => {
    const inner = new BinaryWriter().uint32(26).string('kept').finish();
    const bytes = requestWithStructBytes(structField('__proto__', inner));
    const resource = decodeRunFunctionRequest(bytes).observed?.composite?.resource ?? {};
    expect(Object.getOwnPropertyDescriptor(resource, '__proto__')?.value).toBe('kept');
    expect(Object.getPrototypeOf(resource)).toBe(Object.prototype);
  });
});

function randomResponse(rand: () => number): RunFunctionResponse {
  const desired = randomRequest(rand).observed;
  return RunFunctionResponse.fromPartial({
    meta:
      rand() < 0.9
        ? {
            tag: rand() < 0.8 ? 'tag' : '',
            ttl: { seconds: Math.floor(rand() * 600), nanos: rand() < 0.2 ? 5 : 0 },
          }
        : undefined,
    desired: rand() < 0.9 ? desired : undefined,
    results:
      rand() < 0.5
        ? [
            {
              severity: Severity.SEVERITY_WARNING,
              message: 'ünïcödé',
              reason: 'R',
              target: Target.TARGET_COMPOSITE,
            },
          ]
        : [],
    context: rand() < 0.5 ? jsonObject(rand, 0) : undefined,
    output: rand() < 0.2 ? jsonObject(rand, 0) : undefined,
    requirements:
      rand() < 0.3
        ? {
            resources: { environment: { apiVersion: 'v1', kind: 'X', matchName: 'n' } },
            extraResources: {},
            schemas: {},
          }
        : undefined,
  });
}

const sdkEncode = (rsp: RunFunctionResponse) => Buffer.from(RunFunctionResponse.encode(rsp).finish());
const ourEncode = (rsp: RunFunctionResponse) => Buffer.from(encodeRunFunctionResponse(rsp));

describe('our RunFunctionResponse encoder', () => {
  it('writes the same bytes as the SDK for the response to every example request', () => {
    for (const { name, request } of exampleRequests()) {
      const rsp = runFunction(request);
      expect([name, ourEncode(rsp).equals(sdkEncode(rsp))]).toEqual([name, true]);
    }
  });

  const runs = propertyRuns(300);
  it(
    `writes the same bytes as the SDK for ${runs} random responses`,
    () => {
      const rand = random(propertySeed(7003));
      for (let i = 0; i < runs; i++) {
        const rsp = randomResponse(rand);
        expect(ourEncode(rsp).equals(sdkEncode(rsp))).toBe(true);
      }
    },
    propertyTimeout(runs),
  );

  it('writes undefined fields, undefined list items and odd objects as the SDK does', () => {
    const rsp = RunFunctionResponse.fromPartial({
      desired: {
        composite: {
          resource: { gone: undefined, list: [undefined, null, [], {}], '': 'empty key', date: new Date(0) },
        },
      },
    });
    expect(ourEncode(rsp).equals(sdkEncode(rsp))).toBe(true);
  });

  it('refuses values JSON cannot hold, as the SDK does', () => {
    const rsp = RunFunctionResponse.fromPartial({ context: { f: () => 1 } });
    expect(() => sdkEncode(rsp)).toThrow(/Unsupported any value type: function/);
    expect(() => ourEncode(rsp)).toThrow(/Unsupported any value type: function/);
  });
});
