// Over gRPC with mTLS: the harness ceiling, ours, the no-op floors, the Go peer and the Go native
// reference, one at a time on the same machine, each sent the same request (the peer's input is the
// Go template that renders what ours composes; the native reference composes it in Go code written
// by hand), at 1, 8 and 32 requests in flight, plus cold start, RSS, and each server's CPU time per request.
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
  const oursResponses = [];
  for (const fn of ['ceiling', 'noop', 'noopOurServer', 'ours', 'peer', 'native']) {
    const kind = fn === 'peer' || fn === 'native' ? fn : 'ours';
    const fileFor = (r) => r.files[kind];
    const served = await startFunction(fn, certs, readFileSync(fileFor(requests[0])));
    log(`  ${FUNCTIONS[fn].label}: cold start ${served.coldStartMs} ms`);
    const atRest = memory(served.pid);
    const perCase = [];
    try {
      for (const [i, r] of requests.entries()) {
        const response = await callRaw(served.client, readFileSync(fileFor(r)));
        if (fn === 'ours') oursResponses[i] = response;
        if (fn === 'peer' || fn === 'native')
          checkSameWork(oursResponses[i], response, r.name, FUNCTIONS[fn].label);
        const common = { port: served.port, certs, requestFile: fileFor(r) };
        loadgen({ ...common, concurrency: 8, load: warmUp });
        const runs = CONCURRENCY.map((concurrency) => {
          const figures = measuredRun(served.pid, { ...common, concurrency, load });
          log(
            `    ${r.name}, ${concurrency} in flight: ${figures.rps} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, CPU ${figures.cpuPerRequestUs} µs/request${figures.errors ? `, ${figures.errors} ERRORS` : ''}`,
          );
          return { concurrency, ...figures };
        });
        perCase.push({
          case: r.name,
          requestBytes: r.bytes[kind],
          responseBytes: response.length,
          cpuPerRequestUs: cpuPerRequestOf(runs),
          runs,
        });
      }
    } finally {
      results[fn] = {
        label: FUNCTIONS[fn].label,
        coldStartMs: served.coldStartMs,
        memoryAtRest: atRest,
        memoryAfterLoad: memory(served.pid),
        cases: perCase,
      };
      await served.stop();
    }
  }
  return results;
}
