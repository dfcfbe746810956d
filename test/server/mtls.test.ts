import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  parseServeOptions,
  UsageError,
  DEFAULT_MAX_RECV_MESSAGE_SIZE,
} from '../../functions/server/options.js';
import { certificates } from '../support/certs.js';
import { call, exited, freePort, waitForReady } from '../support/grpc.js';
import { REPO, desiredOf, readYaml, requestFor } from '../support/request.js';

/**
 * The built server as Crossplane runs it: mTLS by default, with client certificates required, the
 * certificate directory from the flag or TLS_SERVER_CERTS_DIR, and a receive limit above gRPC's 4 MiB.
 */
const MAIN = `${REPO}dist/functions/server/main.js`;
const XR = readYaml('examples/devenvironment/namespace/xr.yaml');

interface Running {
  proc: ChildProcess;
  address: string;
  stdout: () => string;
}

async function start(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [MAIN, `--address=127.0.0.1:${port}`, '--metrics-address=127.0.0.1:0', ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 100 && !out.includes('"serving"'); i++) await new Promise((r) => setTimeout(r, 50));
  return { proc, address: `127.0.0.1:${port}`, stdout: () => out };
}

async function stop(running: Running): Promise<void> {
  if (running.proc.exitCode === null) {
    running.proc.kill('SIGTERM');
    await exited(running.proc);
  }
}

const tlsClient = (address: string, dir: string, withCert: boolean) =>
  new grpc.Client(
    address,
    withCert
      ? grpc.credentials.createSsl(
          readFileSync(join(dir, 'ca.crt')),
          readFileSync(join(dir, 'client.key')),
          readFileSync(join(dir, 'client.crt')),
        )
      : grpc.credentials.createSsl(readFileSync(join(dir, 'ca.crt'))),
  );

describe('serving with mTLS', () => {
  let certs: string;
  let stranger: string;
  beforeAll(() => {
    certs = mkdtempSync(join(tmpdir(), 'mtls-'));
    certificates(certs);
    stranger = mkdtempSync(join(tmpdir(), 'stranger-'));
    certificates(stranger);
  });
  afterAll(() => {
    for (const dir of [certs, stranger]) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['the flag', (dir: string) => ({ args: [`--tls-server-certs-dir=${dir}`], env: {} })],
    ['TLS_SERVER_CERTS_DIR', (dir: string) => ({ args: [], env: { TLS_SERVER_CERTS_DIR: dir } })],
  ])('takes its certificates from %s and serves a client with a certificate from its CA', async (_, how) => {
    const { args, env } = how(certs);
    const running = await start(args, env);
    const client = tlsClient(running.address, certs, true);
    try {
      await waitForReady(client, 10_000);
      const rsp = await call(client, requestFor(XR));
      expect(Object.keys(desiredOf(rsp)).length).toBeGreaterThan(0);
      expect(running.stdout()).toContain('"mtls":true');
    } finally {
      client.close();
      await stop(running);
    }
  });

  it('refuses clients without a certificate, with one from another CA, and plaintext', async () => {
    const running = await start([`--tls-server-certs-dir=${certs}`]);
    const clients = [
      tlsClient(running.address, certs, false),
      new grpc.Client(
        running.address,
        grpc.credentials.createSsl(
          readFileSync(join(certs, 'ca.crt')),
          readFileSync(join(stranger, 'client.key')),
          readFileSync(join(stranger, 'client.crt')),
        ),
      ),
      new grpc.Client(running.address, grpc.credentials.createInsecure()),
    ];
    try {
      for (const client of clients) {
        await expect(call(client, requestFor(XR))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      }
    } finally {
      for (const client of clients) client.close();
      await stop(running);
    }
  });

  it('will not start without its certificates, and says why', async () => {
    const running = await start([`--tls-server-certs-dir=${join(certs, 'missing')}`]);
    expect(await exited(running.proc)).toBe(1);
    expect(running.stdout()).toMatch(/cannot serve.*tls|ENOENT/);
  });
});

describe('serve flags', () => {
  it('defaults to mTLS from /tls/server on 0.0.0.0:9443 with a 64 MiB receive limit, metrics on :8080', () => {
    expect(parseServeOptions([], {})).toEqual({
      address: '0.0.0.0:9443',
      insecure: false,
      tlsServerCertsDir: '/tls/server',
      maxRecvMessageSize: DEFAULT_MAX_RECV_MESSAGE_SIZE,
      shutdownGraceSeconds: 20,
      metricsAddress: '0.0.0.0:8080',
      debug: false,
    });
    expect(parseServeOptions(['--debug'], {})?.debug).toBe(true);
    expect(DEFAULT_MAX_RECV_MESSAGE_SIZE).toBeGreaterThan(4 * 1024 * 1024);
    expect(
      parseServeOptions(['--tls-server-certs-dir=/a'], { TLS_SERVER_CERTS_DIR: '/b' })?.tlsServerCertsDir,
    ).toBe('/a');
    expect(parseServeOptions(['--help'], {})).toBeUndefined();
  });

  it('refuses unknown flags and bad values, naming them', () => {
    expect(() => parseServeOptions(['--bogus'], {})).toThrow(UsageError);
    expect(() => parseServeOptions(['--max-recv-message-size=lots'], {})).toThrow(/--max-recv-message-size/);
  });

  it('accepts requests above gRPC default 4 MiB up to its limit', async () => {
    const running = await start(['--insecure']);
    const client = new grpc.Client(running.address, grpc.credentials.createInsecure());
    try {
      await waitForReady(client, 10_000);
      const big = {
        ...XR,
        metadata: { ...(XR.metadata as object), annotations: { padding: 'x'.repeat(6 * 1024 * 1024) } },
      };
      const rsp = await call(client, requestFor(big));
      expect(Object.keys(desiredOf(rsp)).length).toBeGreaterThan(0);
    } finally {
      client.close();
      await stop(running);
    }
    const small = await start(['--insecure', '--max-recv-message-size=1048576']);
    const limited = new grpc.Client(small.address, grpc.credentials.createInsecure());
    try {
      const padded = {
        ...XR,
        metadata: { ...(XR.metadata as object), annotations: { padding: 'x'.repeat(2 * 1024 * 1024) } },
      };
      await expect(call(limited, requestFor(padded))).rejects.toMatchObject({
        code: grpc.status.RESOURCE_EXHAUSTED,
      });
    } finally {
      limited.close();
      await stop(small);
    }
  });
});
