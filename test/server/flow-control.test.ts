import { connect, type ClientHttp2Session, type Settings } from 'node:http2';
import { CONNECTION_WINDOW_BYTES, STREAM_WINDOW_BYTES } from '../../functions/server/library-internals.js';
import { largestExampleRequest } from '../support/example-requests.js';
import { call, startInProcess } from '../support/grpc.js';

/**
 * The server grants HTTP/2 flow-control windows larger than a large RunFunctionRequest (Node's
 * default of 64 KiB made every such request wait for window updates; make bench measured half the
 * throughput). grpc-js has no option for them, so serve.ts sets them on grpc-js's HTTP/2 servers:
 * this pins that it still works with the grpc-js in the lock file.
 */
describe('HTTP/2 flow control', () => {
  let server: Awaited<ReturnType<typeof startInProcess>>;
  let session: ClientHttp2Session;

  beforeAll(async () => {
    server = await startInProcess();
  });

  afterAll(async () => {
    session?.close();
    await server.stop();
  });

  it('grants every stream and the connection the larger windows', async () => {
    session = connect(`http://127.0.0.1:${server.served.port}`);
    const settings = await new Promise<Settings>((resolve) => session.once('remoteSettings', resolve));
    expect(settings.initialWindowSize).toBe(STREAM_WINDOW_BYTES);
    // The connection window arrives as a WINDOW_UPDATE right after the settings.
    for (let i = 0; i < 50 && (session.state.remoteWindowSize ?? 0) < CONNECTION_WINDOW_BYTES; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(session.state.remoteWindowSize).toBe(CONNECTION_WINDOW_BYTES);
  });

  it('serves a request larger than the default window', async () => {
    const largest = largestExampleRequest();
    expect(JSON.stringify(largest).length).toBeGreaterThan(64 * 1024);
    const rsp = await call(server.client, largest);
    expect(Object.keys(rsp.desired?.resources ?? {}).length).toBeGreaterThan(0);
  });
});
