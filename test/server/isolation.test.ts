import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import { shutdown, startServer, type Served } from '../../functions/server/serve.js';
import { call, waitForReady } from '../support/grpc.js';
import { random } from '../support/random.js';
import { REPO, compositionInput, readYaml, readYamlDocs, requestFor } from '../support/request.js';

/**
 * No shared mutable state between requests: every example at every observed stage, hundreds of
 * requests in flight at once in a shuffled order, each answered exactly as it is answered alone.
 */
const COMPOSITIONS: Record<string, string> = {
  'devplatform.io/v1alpha1/DevEnvironment': 'apis/devenvironment/composition.yaml',
  'devplatform.io/v1alpha1/AppStack': 'apis/appstack/composition.yaml',
  'claims.devplatform.io/v1alpha1/XDevEnvironment': 'apis/claims/devenvironment/composition.yaml',
  'claims.devplatform.io/v1alpha1/XAppStack': 'apis/claims/appstack/composition.yaml',
};

function xrFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? xrFiles(`${dir}/${e.name}`) : e.name === 'xr.yaml' ? [`${dir}/${e.name}`] : [],
  );
}

/** Every example XR with nothing observed and at each observed stage, with its required resources. */
function exampleRequests(): Array<{ name: string; request: RunFunctionRequest }> {
  return xrFiles('examples').flatMap((file) => {
    const dir = dirname(file);
    const xr = readYaml(file);
    const input = compositionInput(COMPOSITIONS[`${String(xr.apiVersion)}/${String(xr.kind)}`]!);
    const required = existsSync(join(REPO, dir, 'required'))
      ? { environment: readYamlDocs(`${dir}/required/environment.yaml`) }
      : undefined;
    const stages = existsSync(join(REPO, dir, 'observed')) ? readdirSync(join(REPO, dir, 'observed')) : [];
    return [
      { name: `${dir} (nothing observed)`, request: requestFor(xr, { input, required }) },
      ...stages.map((stage) => ({
        name: `${dir} (${stage})`,
        request: requestFor(xr, { input, required, observed: readYamlDocs(`${dir}/observed/${stage}`) }),
      })),
    ];
  });
}

describe('concurrent requests', () => {
  let served: Served;
  let client: grpc.Client;
  const cases = exampleRequests();

  beforeAll(async () => {
    served = await startServer((req) => runFunction(req), {
      address: '127.0.0.1:0',
      insecure: true,
      tlsServerCertsDir: '/nonexistent',
      maxRecvMessageSize: 64 * 1024 * 1024,
      shutdownGraceSeconds: 5,
      metricsAddress: undefined,
    });
    client = new grpc.Client(`127.0.0.1:${served.port}`, grpc.credentials.createInsecure());
    await waitForReady(client, 5000);
  });

  afterAll(async () => {
    client.close();
    await shutdown(served, 5);
  });

  it('covers every example stage', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('answers each of 400 shuffled concurrent requests as it answers that request alone', async () => {
    const alone: RunFunctionResponse[] = [];
    for (const { request } of cases) alone.push(await call(client, request));

    const next = random(6);
    const order = Array.from({ length: 400 }, () => Math.floor(next() * cases.length));
    const together = await Promise.all(order.map((i) => call(client, cases[i]!.request)));

    const differing = order.filter((caseIndex, i) => {
      try {
        expect(together[i]).toEqual(alone[caseIndex]);
        return false;
      } catch {
        return true;
      }
    });
    expect(differing.map((i) => cases[i]!.name)).toEqual([]);
  }, 120_000);
});
