import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRequest } from '../../functions/server/codec/index.js';
import { releaseDecodedRequest, type ReleasedRequest } from '../../functions/server/library-internals.js';
import { largestExampleRequest } from '../support/example-requests.js';

/**
 * The server lets go of a request's buffers once it has decoded it (releaseDecodedRequest). That
 * depends on private details of the grpc-js in the lock file (each message framed into a buffer of
 * its own, a decoder per call holding slices of the network chunks), so this runs it inside a real
 * grpc-js server, over a real HTTP/2 connection, and fails when a grpc-js upgrade changes them.
 * It cannot show the effect on V8's collections; make bench and docs/performance.md do.
 */
const METHOD = '/test.Release/Call';

interface Seen {
  released: ReleasedRequest;
  lengthBefore: number;
  lengthAfter: number;
  decoded: RunFunctionRequest | undefined;
}

describe('releasing a decoded request', () => {
  let server: grpc.Server;
  let client: grpc.Client;
  /** What the handler saw, by the request's tag. */
  const seen = new Map<string, Seen>();

  beforeAll(async () => {
    server = new grpc.Server({ 'grpc.max_receive_message_length': -1 });
    const definition: grpc.ServiceDefinition = {
      call: {
        path: METHOD,
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    };
    server.addService(definition, {
      call: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const lengthBefore = call.request.byteLength;
        const decoded = decodeRequest(call.request);
        const released = releaseDecodedRequest(call);
        seen.set(decoded.ok ? (decoded.request.meta?.tag ?? '') : '', {
          released,
          lengthBefore,
          lengthAfter: call.request.byteLength,
          decoded: decoded.ok ? decoded.request : undefined,
        });
        callback(null, Buffer.from('ok'));
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  /** Sends `request` tagged `tag`; resolves to its bytes and what the handler saw of it. */
  const send = (request: RunFunctionRequest, tag: string): Promise<Seen & { bytes: Uint8Array }> => {
    const bytes = RunFunctionRequest.encode({ ...request, meta: { tag, capabilities: [] } }).finish();
    return new Promise((resolve, reject) =>
      client.makeUnaryRequest(
        METHOD,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(bytes),
        (err) => {
          const handled = seen.get(tag);
          if (err || handled === undefined) reject(err ?? new Error(`the handler did not see ${tag}`));
          else resolve({ ...handled, bytes });
        },
      ),
    );
  };

  const largest = largestExampleRequest();

  it('gives back a large request’s own buffer and the chunks it arrived in, after decoding it', async () => {
    const result = await send(largest, 'large');
    const { bytes } = result;
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    expect(result.released.requestBytes).toBe(bytes.length + 5);
    // A message this large comes in several HTTP/2 DATA frames (16 KiB each at most).
    expect(result.released.chunks).toBeGreaterThan(1);
    expect(result.lengthBefore).toBe(bytes.length);
    expect(result.lengthAfter).toBe(0);
    expect(result.decoded).toEqual(RunFunctionRequest.decode(bytes));
  });

  it('leaves a small request alone: its buffer is a slice of Node’s shared pool', async () => {
    const result = await send(RunFunctionRequest.fromPartial({}), 'small');
    const { bytes } = result;
    expect(bytes.length + 5).toBeLessThan(Buffer.poolSize >>> 1);
    expect(result.released.requestBytes).toBe(0);
    expect(result.lengthAfter).toBe(bytes.length);
    expect(result.decoded?.meta?.tag).toBe('small');
  });

  it('decodes every request whole when many share the connection, one after another and at once', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await send(largest, `one-after-another-${i}`));
    results.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => send(largest, `at-once-${i}`)))));
    for (const result of results) {
      expect(result.released.requestBytes).toBe(result.bytes.length + 5);
      expect(result.decoded).toEqual(RunFunctionRequest.decode(result.bytes));
    }
  });
});
