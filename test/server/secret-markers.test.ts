import { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { exampleRequests } from '../support/example-requests.js';
import { call, startBuiltServer, type BuiltServer } from '../support/grpc.js';

/**
 * Secrets are referenced, never copied: markers planted in everything secret a request carries
 * (observed connection details of the XR and of every composed resource, function credentials,
 * required Secrets, data of observed Secrets) never appear in any response (desired resources, XR
 * status, conditions, results, requirements, in any encoding) or in any line the server logs.
 */
/** A marker per place it is planted, so a leak says where it came from. */
const marker = (place: string) => `MARKER-${place}-7f3a9c`;
const bytes = (place: string) => Buffer.from(marker(place));
const b64 = (place: string) => Buffer.from(marker(place)).toString('base64');

/**
 * provider-kubernetes reports the object it manages in status.atProvider.manifest: for a Secret it
 * delivers (the Redis password copied from the platform, the generated passwords) that holds the
 * secret unless the provider runs with --sanitize-secrets. Plant it there as if it did not.
 */
function plantInReportedManifest(name: string, resource: Record<string, unknown> | undefined): void {
  const spec = resource?.spec as { forProvider?: { manifest?: { kind?: string } } } | undefined;
  if (resource === undefined || spec?.forProvider?.manifest?.kind === undefined) return;
  const status = (resource.status ?? {}) as Record<string, unknown>;
  status.atProvider = {
    manifest: { ...spec.forProvider.manifest, data: { password: b64(`${name}-reported-secret`) } },
  };
  resource.status = status;
}

function plant(req: RunFunctionRequest): RunFunctionRequest {
  const observed = req.observed!;
  observed.composite!.connectionDetails = {
    password: bytes('xr-connection'),
    kubeconfig: bytes('xr-kubeconfig'),
  };
  for (const [name, r] of Object.entries(observed.resources)) {
    r.connectionDetails = {
      kubeconfig: bytes(`${name}-kubeconfig`),
      password: bytes(`${name}-password`),
      // What provider-upjet-gcp publishes for a Memorystore instance (its AUTH string).
      'attribute.auth_string': bytes(`${name}-auth-string`),
    };
    if (r.resource?.kind === 'Secret') r.resource.data = { token: b64(`${name}-data`) };
    plantInReportedManifest(name, r.resource);
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

const plantedRequests = () =>
  exampleRequests().map(({ name, request }) => ({ name, request: plant(request) }));

/** The marker in any form a leak could take: plain, base64 (of any alignment), hex. */
function leaks(text: string): string[] {
  const found = text.match(/MARKER-[\w-]+-7f3a9c/g) ?? [];
  const b64 = text.match(/TUFSS0VSL[A-Za-z0-9+/=]+|1BUktFUi[A-Za-z0-9+/=]+|NQVJLRVIt[A-Za-z0-9+/=]+/g) ?? [];
  const hex = text.match(/4d41524b45522d[0-9a-f]+/gi) ?? [];
  return [...found, ...b64, ...hex];
}

describe('planted secret markers', () => {
  let server: BuiltServer;
  const cases = plantedRequests();

  beforeAll(async () => {
    server = await startBuiltServer();
  }, 20000);

  afterAll(() => server?.stop());

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
      const rsp = await call(server.client, request);
      const encoded = Buffer.from(RunFunctionResponse.encode(rsp).finish()).toString('latin1');
      expect(leaks(JSON.stringify(RunFunctionResponse.toJSON(rsp)))).toEqual([]);
      expect(leaks(encoded)).toEqual([]);
      expect(Object.keys(rsp.desired?.resources ?? {}).length + rsp.results.length).toBeGreaterThan(0);
    },
  );

  it('no marker in any log line, through shutdown', async () => {
    expect(await server.stop()).toBe(0);
    expect(server.logs()).toMatch(/"serving"/);
    // One line per request, each naming its composite.
    expect(server.logs().match(/"msg":"RunFunction","tag":/g) ?? []).toHaveLength(cases.length);
    expect(leaks(server.logs())).toEqual([]);
  });
});
