import * as grpc from '@grpc/grpc-js';
import { RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { createServer } from 'node:net';
import { FunctionMetrics, startMetricsServer } from '../../functions/server/metrics.js';
import { parseServeOptions, UsageError } from '../../functions/server/options.js';
import {
  CROSSPLANE_MAX_RESPONSE_BYTES,
  encodeResponse,
  RESPONSE_WARNING_BYTES,
  responseSizeWarning,
} from '../../functions/server/codec/index.js';
import { FUNCTION_SERVICE } from '../../functions/server/serve.js';
import { call, healthCheck, scrape, startInProcess } from '../support/grpc.js';
import { compositionInput, readYaml, readYamlDocs, requestFor } from '../support/request.js';

/**
 * What operators get from the server beside RunFunction: Prometheus metrics on a port of their own,
 * the gRPC health service, and a warning before a response outgrows what Crossplane accepts.
 */
const XR = readYaml('examples/devenvironment/namespace/xr.yaml');
const INPUT = compositionInput('apis/devenvironment/composition.yaml');

describe('flags', () => {
  it('serves metrics on 0.0.0.0:8080 unless told otherwise, and an empty address turns them off', () => {
    expect(parseServeOptions([], {})?.metricsAddress).toBe('0.0.0.0:8080');
    expect(parseServeOptions(['--metrics-address=127.0.0.1:9090'], {})?.metricsAddress).toBe(
      '127.0.0.1:9090',
    );
    expect(parseServeOptions(['--metrics-address=[::1]:9090'], {})?.metricsAddress).toBe('[::1]:9090');
    expect(parseServeOptions(['--metrics-address='], {})?.metricsAddress).toBeUndefined();
  });

  it.each(['8080', 'localhost', 'host:99999', 'a:b'])(
    'refuses --metrics-address=%s, naming the flag',
    (bad) => {
      expect(() => parseServeOptions([`--metrics-address=${bad}`], {})).toThrow(UsageError);
      expect(() => parseServeOptions([`--metrics-address=${bad}`], {})).toThrow(
        /--metrics-address must be host:port/,
      );
    },
  );

  it('answers at --fixed-time when given (reproducible renders), else at the system clock', () => {
    expect(parseServeOptions([], {})?.fixedTime).toBeUndefined();
    expect(parseServeOptions(['--fixed-time=2026-11-21T12:00:00Z'], {})?.fixedTime?.toISOString()).toBe(
      '2026-11-21T12:00:00.000Z',
    );
    expect(parseServeOptions(['--fixed-time=2026-11-21T13:00:00+01:00'], {})?.fixedTime?.toISOString()).toBe(
      '2026-11-21T12:00:00.000Z',
    );
    for (const bad of ['2026-11-21', 'tomorrow', '2026-11-21T12:00:00', '2026-13-45T99:00:00Z']) {
      expect(() => parseServeOptions([`--fixed-time=${bad}`], {})).toThrow(
        /--fixed-time must be an RFC 3339 time/,
      );
    }
  });
});

it('says which flag to use when the metrics port is taken', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const { port } = taken.address() as { port: number };
  try {
    await expect(startMetricsServer(new FunctionMetrics(), `127.0.0.1:${port}`)).rejects.toThrow(
      `cannot serve metrics on 127.0.0.1:${port}: the port is already in use; choose another address with --metrics-address=<host:port>, or turn metrics off with --metrics-address= (empty)`,
    );
  } finally {
    taken.close();
  }
});

describe('a served function', () => {
  let server: Awaited<ReturnType<typeof startInProcess>>;
  let client: grpc.Client;
  let metricsUrl: string;

  beforeAll(async () => {
    server = await startInProcess({ metricsAddress: '127.0.0.1:0' });
    client = server.client;
    metricsUrl = `http://127.0.0.1:${server.served.metricsPort}/metrics`;
  });

  afterAll(() => server.stop());

  it('reports SERVING for the server and for the function service, NOT_FOUND for others', async () => {
    expect(await healthCheck(client, '')).toBe('SERVING');
    expect(await healthCheck(client, FUNCTION_SERVICE)).toBe('SERVING');
    await expect(healthCheck(client, 'something.Else')).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  it('counts requests by kind, results by severity, latency and response sizes', async () => {
    const before = (await scrape(metricsUrl)).series;
    const good = requestFor(XR, { input: INPUT });
    const bad = requestFor({ ...XR, spec: { type: 'openshift' } }, { input: INPUT });
    const unknown = requestFor({ apiVersion: 'example.org/v1', kind: 'Nope', metadata: { name: 'x' } });
    for (const req of [good, good, bad, unknown]) await call(client, req);

    const { contentType, series } = await scrape(metricsUrl);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const grew = (name: string) => (series.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(grew('function_run_function_requests_total{composite="DevEnvironment",flavor="namespaced"}')).toBe(
      3,
    );
    expect(grew('function_run_function_requests_total{composite="other",flavor="other"}')).toBe(1);
    expect(grew('function_run_function_results_total{severity="fatal"}')).toBe(2);
    expect(
      grew('function_run_function_duration_seconds_count{composite="DevEnvironment",flavor="namespaced"}'),
    ).toBe(3);
    expect(
      grew(
        'function_run_function_duration_seconds_bucket{composite="DevEnvironment",flavor="namespaced",le="+Inf"}',
      ),
    ).toBe(3);
    expect(grew('function_run_function_response_bytes_count')).toBe(4);
    expect(series.get('function_run_function_in_flight_requests')).toBe(0);
    expect(series.get('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(series.get('process_start_time_seconds')).toBeGreaterThan(1.7e9);
  });

  it('observes time to Ready once per composite, and each stage once, by kind, type and flavor', async () => {
    const before = (await scrape(metricsUrl)).series;
    const observed = readYamlDocs('examples/devenvironment/namespace/observed/ready.yaml');
    // Without its ttl: the server runs on today's clock, and the example's ttl ran out long ago.
    const { ttl: _ttl, ...spec } = XR.spec as Record<string, unknown>;
    const xr = { ...XR, spec };
    const first = requestFor(xr, { input: INPUT, observed });
    const rsp = await call(client, first);
    // Crossplane writes the status the response asked for; the next call sees it, and counts nothing.
    const status = rsp.desired?.composite?.resource?.status as Record<string, unknown>;
    const again = requestFor({ ...xr, status }, { input: INPUT, observed });
    await call(client, again);
    const { series } = await scrape(metricsUrl);
    const grew = (name: string) => (series.get(name) ?? 0) - (before.get(name) ?? 0);
    const labels = 'kind="DevEnvironment",type="namespace",flavor="namespaced"';
    expect(grew(`devplatform_provisioning_seconds_count{${labels}}`)).toBe(1);
    expect(grew(`devplatform_provisioning_seconds_sum{${labels}}`)).toBe(300);
    expect(grew(`devplatform_provisioning_seconds_bucket{${labels},le="300"}`)).toBe(1);
    expect(grew(`devplatform_provisioning_stages_total{${labels},stage="Namespace"}`)).toBe(1);
    expect(grew(`devplatform_provisioning_stages_total{${labels},stage="Registration"}`)).toBe(1);
  });

  it('logs one structured line per request: composite, composed, waits, results, duration', async () => {
    server.logs.length = 0;
    await call(client, requestFor(XR, { input: INPUT }));
    await call(
      client,
      requestFor({ ...XR, spec: { ...(XR.spec as object), size: 'huge' } }, { input: INPUT }),
    );
    const lines = server.logs.filter((l) => l.msg === 'RunFunction');
    expect(lines).toHaveLength(2);
    const metadata = XR.metadata as { name: string; namespace: string };
    const composite = {
      apiVersion: XR.apiVersion,
      kind: 'DevEnvironment',
      namespace: metadata.namespace,
      name: metadata.name,
      type: 'namespace',
    };
    expect(lines[0]).toEqual({
      severity: 'INFO',
      msg: 'RunFunction',
      fields: {
        tag: expect.any(String),
        composite,
        composed: expect.any(Number),
        ready: 0,
        waitingFor: expect.arrayContaining([expect.stringMatching(/^EnvironmentReady: /)]),
        durationMs: expect.any(Number),
      },
    });
    expect(lines[0]!.fields.composed).toBeGreaterThan(0);
    expect(lines[1]).toEqual({
      severity: 'ERROR',
      msg: 'RunFunction',
      fields: {
        tag: expect.any(String),
        composite: { ...composite },
        composed: 0,
        ready: 0,
        waitingFor: [expect.stringMatching(/^SpecValid: invalid DevEnvironment: spec\.size/)],
        results: [
          {
            severity: 'Fatal',
            message: expect.stringMatching(/^invalid DevEnvironment: spec\.size: must be one of/),
          },
        ],
        durationMs: expect.any(Number),
      },
    });
  });

  it('keeps histogram buckets cumulative and the sum consistent', async () => {
    const { series } = await scrape(metricsUrl);
    const buckets = [...series.entries()]
      .filter(([k]) => k.startsWith('function_run_function_response_bytes_bucket'))
      .map(([, v]) => v);
    expect(buckets.length).toBe(7);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    expect(buckets.at(-1)).toBe(series.get('function_run_function_response_bytes_count'));
    expect(series.get('function_run_function_response_bytes_sum')).toBeGreaterThan(0);
  });

  it('answers only GET /metrics on the metrics port', async () => {
    expect((await fetch(`http://127.0.0.1:${server.served.metricsPort}/`)).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(404);
  });
});

describe('response size', () => {
  /** A response carrying `bytes` of desired state (as a big earlier pipeline step could hand us). */
  function responseOf(bytes: number): RunFunctionResponse {
    return {
      meta: { tag: 't', ttl: { seconds: 30, nanos: 0 } },
      desired: {
        composite: undefined,
        resources: { big: { resource: { data: 'x'.repeat(bytes) }, connectionDetails: {}, ready: 0 } },
      },
      results: [],
      conditions: [],
      context: undefined,
      requirements: undefined,
      output: undefined,
    } as RunFunctionResponse;
  }

  it('stays quiet below 3 MiB and encodes exactly once, as the SDK would', () => {
    const rsp = responseOf(RESPONSE_WARNING_BYTES - 4096);
    const bytes = encodeResponse(rsp);
    expect(rsp.results).toEqual([]);
    expect(bytes.equals(Buffer.from(RunFunctionResponse.encode(rsp).finish()))).toBe(true);
  });

  it('warns on the XR when a response nears 4 MiB, and says when it is over', () => {
    const near = responseOf(RESPONSE_WARNING_BYTES + 1024);
    const decoded = RunFunctionResponse.decode(encodeResponse(near));
    expect(decoded.results).toEqual([
      expect.objectContaining({ severity: Severity.SEVERITY_WARNING, reason: 'ResponseSize' }),
    ]);
    expect(decoded.results[0]?.message).toMatch(/response is 3\.0 MiB; Crossplane refuses .* over 4\.0 MiB/);
    expect(decoded.results[0]?.message).not.toMatch(/will fail/);
    expect(responseSizeWarning(CROSSPLANE_MAX_RESPONSE_BYTES + 1)).toMatch(/so this one will fail/);
  });
});
