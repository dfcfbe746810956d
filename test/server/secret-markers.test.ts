import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { call, exited, freePort, waitForReady } from '../support/grpc.js';
import { REPO, compositionInput, readYaml, readYamlDocs, requestFor } from '../support/request.js';

/**
 * Secrets are referenced, never copied: markers planted in everything secret a request carries
 * (observed connection details of the XR and of every composed resource, function credentials,
 * required Secrets, data of observed Secrets) never appear in any response (desired resources, XR
 * status, conditions, results, requirements, in any encoding) or in any line the server logs.
 */
const MAIN = `${REPO}dist/functions/server/main.js`;
const COMPOSITIONS: Record<string, string> = {
  'devplatform.io/v1alpha1/DevEnvironment': 'apis/devenvironment/composition.yaml',
  'devplatform.io/v1alpha1/AppStack': 'apis/appstack/composition.yaml',
  'claims.devplatform.io/v1alpha1/XDevEnvironment': 'apis/claims/devenvironment/composition.yaml',
  'claims.devplatform.io/v1alpha1/XAppStack': 'apis/claims/appstack/composition.yaml',
};

/** A marker per place it is planted, so a leak says where it came from. */
const marker = (place: string) => `MARKER-${place}-7f3a9c`;
const bytes = (place: string) => Buffer.from(marker(place));
const b64 = (place: string) => Buffer.from(marker(place)).toString('base64');

function plant(req: RunFunctionRequest): RunFunctionRequest {
  const observed = req.observed!;
  observed.composite!.connectionDetails = {
    password: bytes('xr-connection'),
    kubeconfig: bytes('xr-kubeconfig'),
  };
  for (const [name, r] of Object.entries(observed.resources)) {
    r.connectionDetails = { kubeconfig: bytes(`${name}-kubeconfig`), password: bytes(`${name}-password`) };
    if (r.resource?.kind === 'Secret') r.resource.data = { token: b64(`${name}-data`) };
  }
  req.credentials = { platform: { credentialData: { data: { token: bytes('credentials') } } } };
  req.requiredResources = {
    ...req.requiredResources,
    secret: {
      items: [
        {
          resource: {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'db', namespace: 'team-a' },
            data: { password: b64('required-secret') },
            stringData: { token: marker('required-secret-string') },
          },
          connectionDetails: { password: bytes('required-connection') },
          ready: 0,
        },
      ],
    },
  };
  return req;
}

function xrFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? xrFiles(`${dir}/${e.name}`) : e.name === 'xr.yaml' ? [`${dir}/${e.name}`] : [],
  );
}

function plantedRequests(): Array<{ name: string; request: RunFunctionRequest }> {
  return xrFiles('examples').flatMap((file) => {
    const dir = dirname(file);
    const xr = readYaml(file);
    const input = compositionInput(COMPOSITIONS[`${String(xr.apiVersion)}/${String(xr.kind)}`]!);
    const required = existsSync(join(REPO, dir, 'required'))
      ? { environment: readYamlDocs(`${dir}/required/environment.yaml`) }
      : undefined;
    const stages = existsSync(join(REPO, dir, 'observed')) ? readdirSync(join(REPO, dir, 'observed')) : [];
    return [undefined, ...stages].map((stage) => ({
      name: `${dir} (${stage ?? 'nothing observed'})`,
      request: plant(
        requestFor(xr, {
          input,
          required,
          observed: stage === undefined ? [] : readYamlDocs(`${dir}/observed/${stage}`),
        }),
      ),
    }));
  });
}

/** The marker in any form a leak could take: plain, base64 (of any alignment), hex. */
function leaks(text: string): string[] {
  const found = text.match(/MARKER-[\w-]+-7f3a9c/g) ?? [];
  const b64 = text.match(/TUFSS0VSL[A-Za-z0-9+/=]+|1BUktFUi[A-Za-z0-9+/=]+|NQVJLRVIt[A-Za-z0-9+/=]+/g) ?? [];
  const hex = text.match(/4d41524b45522d[0-9a-f]+/gi) ?? [];
  return [...found, ...b64, ...hex];
}

describe('planted secret markers', () => {
  let server: ChildProcess;
  let client: grpc.Client;
  let logs = '';
  const cases = plantedRequests();

  beforeAll(async () => {
    const port = await freePort();
    server = spawn(
      process.execPath,
      [MAIN, '--insecure', `--address=127.0.0.1:${port}`, '--metrics-address='],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
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

  it('the detector sees every form of a marker', () => {
    expect(leaks(marker('x'))).toHaveLength(1);
    expect(leaks(b64('x'))).toHaveLength(1);
    expect(leaks(Buffer.from(`a${marker('x')}`).toString('base64'))).toHaveLength(1);
    expect(leaks(Buffer.from(`ab${marker('x')}`).toString('base64'))).toHaveLength(1);
    expect(leaks(Buffer.from(marker('x')).toString('hex'))).toHaveLength(1);
  });

  it('plants markers in every example stage, composed resource and secret channel', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const planted = cases.flatMap(({ request }) => leaks(JSON.stringify(RunFunctionRequest.toJSON(request))));
    expect(planted.length).toBeGreaterThan(500);
  });

  it.each(cases.map((c) => [c.name, c.request] as const))(
    '%s: no marker in the response',
    async (_, request) => {
      const rsp = await call(client, request);
      const encoded = Buffer.from(RunFunctionResponse.encode(rsp).finish()).toString('latin1');
      expect(leaks(JSON.stringify(RunFunctionResponse.toJSON(rsp)))).toEqual([]);
      expect(leaks(encoded)).toEqual([]);
      expect(Object.keys(rsp.desired?.resources ?? {}).length + rsp.results.length).toBeGreaterThan(0);
    },
  );

  it('no marker in any log line, through shutdown', async () => {
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(logs).toMatch(/"serving"/);
    expect(leaks(logs)).toEqual([]);
  });
});
