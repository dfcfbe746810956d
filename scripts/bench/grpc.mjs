// Over gRPC with mTLS: the harness ceiling, ours, the no-op floors, the Go peer and the Go native
// reference, all running on the same machine and loaded in turn, each sent the same request (the
// peer's input is the Go template that renders what ours composes; the native reference composes it
// in Go code written by hand), at 1, 8 and 32 requests in flight, plus cold start, RSS, and each
// server's CPU time per request.
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { RunFunctionRequest, RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { request } from '../examples.mjs';
import { certificates } from '../certs.mjs';
import { loadgen } from './loadgen.mjs';
import { goTemplateInput } from './peer-template.mjs';
import { callRaw, cpuSeconds, FUNCTIONS, memory, startFunction } from './servers.mjs';

export const CONCURRENCY = [1, 8, 32];

const encode = (req) => Buffer.from(RunFunctionRequest.encode(req).finish());

/** A Go function must compose exactly what ours does, or the comparison means nothing. */
function checkSameWork(ours, other, caseName, label) {
  const a = RunFunctionResponse.decode(ours);
  const b = RunFunctionResponse.decode(other);
  const fatal = b.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
  if (fatal) throw new Error(`${label}, ${caseName}: ${fatal.message}`);
  const names = Object.keys(a.desired?.resources ?? {}).sort();
  if (!isDeepStrictEqual(names, Object.keys(b.desired?.resources ?? {}).sort())) {
    throw new Error(`${label}, ${caseName}: it composed other resources than ours`);
  }
  for (const name of names) {
    const [x, y] = [a.desired.resources[name], b.desired.resources[name]];
    if (!isDeepStrictEqual(x.resource, y.resource) || x.ready !== y.ready) {
      throw new Error(`${label}, ${caseName}: resource ${name} differs from ours`);
    }
  }
  if (!isDeepStrictEqual(a.desired?.composite?.resource?.status, b.desired?.composite?.resource?.status)) {
    throw new Error(`${label}, ${caseName}: the composite's status differs from ours`);
  }
}

/** One load run with the server's CPU time over it: {..., cpuSeconds, cpuPerRequestUs}. */
function measuredRun(pid, options) {
  const before = cpuSeconds(pid);
  const figures = loadgen(options);
  const cpu = cpuSeconds(pid) - before;
  return {
    ...figures,
    cpuSeconds: Math.round(cpu * 1000) / 1000,
    cpuPerRequestUs: figures.requests > 0 ? Math.round((cpu * 1e6) / figures.requests) : null,
  };
}

/** CPU time per request over all of a case's runs (every concurrency), in microseconds. */
const cpuPerRequestOf = (runs) => {
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  return requests > 0 ? Math.round((runs.reduce((n, r) => n + r.cpuSeconds, 0) * 1e6) / requests) : null;
};

/** The order servers are started and take their turns in; ours answers before the Go functions are checked against it. */
const ORDER = ['ceiling', 'noop', 'noopOurServer', 'ours', 'peer', 'native'];

/** Which request a server is sent: ours (also the no-ops' and the ceiling's), the peer's template, the native reference's. */
const kindOf = (fn) => (fn === 'peer' || fn === 'native' ? fn : 'ours');

/**
 * One case on every server: a call each (the Go functions must compose what ours does), a warm-up
 * each, then each concurrency on each server in turn. Adds the case's figures to `servers[fn].cases`.
 */
async function benchCase(servers, r, { certs, load, warmUp, log }) {
  const responses = {};
  for (const fn of ORDER) {
    const { served } = servers[fn];
    responses[fn] = await callRaw(served.client, readFileSync(r.files[kindOf(fn)]));
    if (kindOf(fn) !== 'ours') checkSameWork(responses.ours, responses[fn], r.name, FUNCTIONS[fn].label);
    loadgen({ port: served.port, certs, requestFile: r.files[kindOf(fn)], concurrency: 8, load: warmUp });
  }
  const runs = Object.fromEntries(ORDER.map((fn) => [fn, []]));
  for (const concurrency of CONCURRENCY) {
    for (const fn of ORDER) {
      const { served } = servers[fn];
      const common = { port: served.port, certs, requestFile: r.files[kindOf(fn)] };
      const figures = measuredRun(served.pid, { ...common, concurrency, load });
      log(
        `    ${FUNCTIONS[fn].label}, ${r.name}, ${concurrency} in flight: ${figures.rps} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, CPU ${figures.cpuPerRequestUs} µs/request${figures.errors ? `, ${figures.errors} ERRORS` : ''}`,
      );
      runs[fn].push({ concurrency, ...figures });
    }
  }
  for (const fn of ORDER) {
    servers[fn].cases.push({
      case: r.name,
      requestBytes: r.bytes[kindOf(fn)],
      responseBytes: responses[fn].length,
      cpuPerRequestUs: cpuPerRequestOf(runs[fn]),
      runs: runs[fn],
    });
  }
}

/**
 * `cases` are {name, case} as cases.mjs makes them; `runFunction` is the built function, which
 * gives the Go peer its template; `resolvePolicy` gives the native reference its input. Resolves to the figures per
 * function and case.
 */
export async function benchGrpc({ cases, runFunction, resolvePolicy, quick, work, log }) {
  const certs = certificates(work);
  const load = quick ? { total: 40 } : { duration: '5s' };
  const warmUp = { total: quick ? 20 : 1500 };
  const requests = cases.map((c, i) => {
    const req = request('bench', c.case);
    const peerReq = { ...req, input: goTemplateInput(c.case.xr, runFunction(req)) };
    // The native reference reads the policy as ours resolves it (a Go function would have the
    // defaults compiled in); its decoding is part of what it pays per request.
    const nativeReq = { ...req, input: resolvePolicy(c.case.input) };
    const files = {
      ours: join(work, `request-${i}.bin`),
      peer: join(work, `request-${i}-peer.bin`),
      native: join(work, `request-${i}-native.bin`),
    };
    const bytes = { ours: encode(req), peer: encode(peerReq), native: encode(nativeReq) };
    for (const key of Object.keys(files)) writeFileSync(files[key], bytes[key]);
    const sizes = Object.fromEntries(Object.entries(bytes).map(([k, b]) => [k, b.length]));
    return { name: c.name, files, bytes: sizes };
  });

  const results = {};
  // Every server is started (one at a time, for its cold start) and kept running; then, for each case
  // and concurrency, each takes its turn. This machine's speed drifts by a third within minutes, so
  // servers measured seconds apart compare better than one server's runs after another's.
  const servers = {};
  try {
    for (const fn of ORDER) {
      const served = await startFunction(fn, certs, readFileSync(requests[0].files[kindOf(fn)]));
      log(`  ${FUNCTIONS[fn].label}: cold start ${served.coldStartMs} ms`);
      servers[fn] = { served, atRest: memory(served.pid), cases: [] };
    }
    for (const r of requests) await benchCase(servers, r, { certs, load, warmUp, log });
  } finally {
    for (const [fn, { served, atRest, cases }] of Object.entries(servers)) {
      results[fn] = {
        label: FUNCTIONS[fn].label,
        coldStartMs: served.coldStartMs,
        memoryAtRest: atRest,
        memoryAfterLoad: memory(served.pid),
        cases,
      };
      await served.stop();
    }
  }
  return results;
}
