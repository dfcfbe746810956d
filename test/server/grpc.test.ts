import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { call, exited, freePort, waitForReady } from '../support/grpc.js';
import { runFunction } from '../../functions/server/handler.js';
import { REPO, compositionInput, desiredOf, readYaml, readYamlDocs, requestFor } from '../support/request.js';

/**
 * The built server, as Crossplane talks to it: `dist/functions/server/main.js --insecure` on a local
 * port, called over gRPC. Needs the build (make test builds first).
 */
const MAIN = `${REPO}dist/functions/server/main.js`;

describe('the built server over gRPC', () => {
  let server: ChildProcess;
  let client: grpc.Client;
  let stderr = '';

  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    const port = await freePort();
    server = spawn(
      process.execPath,
      [MAIN, '--insecure', `--address=127.0.0.1:${port}`, '--metrics-address=127.0.0.1:0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    server.stdout?.on('data', () => undefined);
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    await waitForReady(client, 15000);
  }, 20000);

  afterAll(async () => {
    client?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await exited(server);
    }
  });

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
    server.kill('SIGTERM');
    const replies = await Promise.allSettled(inFlight);
    expect(replies.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await exited(server)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);
    expect(stderr).not.toMatch(/Error|unhandled/i);
  });
});
