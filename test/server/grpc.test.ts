import type * as grpc from '@grpc/grpc-js';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { call, exited, startBuiltServer, type BuiltServer } from '../support/grpc.js';
import { runFunction } from '../../functions/server/handler.js';
import { compositionInput, desiredOf, readYaml, readYamlDocs, requestFor } from '../support/request.js';

/**
 * The built server, as Crossplane talks to it: `dist/functions/server/main.js --insecure` on a local
 * port, called over gRPC. Needs the build (make test builds first).
 */
describe('the built server over gRPC', () => {
  let server: BuiltServer;
  let client: grpc.Client;

  beforeAll(async () => {
    server = await startBuiltServer(['--metrics-address=127.0.0.1:0']);
    client = server.client;
  }, 20000);

  afterAll(() => server?.stop());

  it('composes the vcluster example as the handler does in process', async () => {
    const dir = 'examples/devenvironment/vcluster';
    const req = requestFor(readYaml(`${dir}/xr.yaml`), {
      input: compositionInput('apis/devenvironment/composition.yaml'),
      observed: readYamlDocs(`${dir}/observed/vcluster-ready.yaml`),
    });
    const rsp = await call(client, req);
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    expect(rsp.meta?.tag).toBe('test');
    expect(desiredOf(rsp)).toEqual(desiredOf(runFunction(req)));
    expect(Object.keys(desiredOf(rsp))).toEqual(
      expect.arrayContaining(['namespace', 'vcluster', 'providerconfig-helm']),
    );
  });

  it('answers a bad spec with a Fatal result, and keeps serving', async () => {
    const xr = readYaml('examples/devenvironment/namespace/xr.yaml');
    const bad = { ...xr, spec: { ...(xr.spec as object), type: 'openshift' } };
    const rsp = await call(client, requestFor(bad));
    expect(rsp.results[0]?.severity).toBe(Severity.SEVERITY_FATAL);
    expect(rsp.results[0]?.message).toMatch(/spec\.type/);

    const again = await call(client, requestFor(xr));
    expect(Object.keys(desiredOf(again)).length).toBeGreaterThan(0);
  });

  it('on SIGTERM answers every request in flight, then exits 0 within the grace period', async () => {
    const dir = 'examples/devenvironment/gke';
    const req = requestFor(readYaml(`${dir}/xr.yaml`), {
      input: compositionInput('apis/devenvironment/composition.yaml'),
      observed: readYamlDocs(`${dir}/observed/ready.yaml`),
    });
    const inFlight = Array.from({ length: 64 }, () => call(client, req));
    await Promise.race(inFlight); // the server is busy with them
    const stoppedAt = Date.now();
    server.proc.kill('SIGTERM');
    const replies = await Promise.allSettled(inFlight);
    expect(replies.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await exited(server.proc)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);
    // No crash: plain-text output (a stack, an unhandled rejection) and the server's own ERROR lines
    // are failures; a request line at ERROR only reports that request's Fatal result.
    const lines = server.logs().trim().split('\n');
    const json = (line: string) => {
      try {
        return JSON.parse(line) as { severity?: string; msg?: string };
      } catch {
        return undefined;
      }
    };
    expect(lines.filter((l) => json(l) === undefined && /Error|unhandled/i.test(l))).toEqual([]);
    expect(lines.filter((l) => json(l)?.severity === 'ERROR' && json(l)?.msg !== 'RunFunction')).toEqual([]);
  });
});
