// Over gRPC with mTLS: the harness ceiling, ours, the no-op floors and the Go peer, one at a time on
// the same machine, each sent the same request (the peer's input is the Go template that renders what
// ours composes), at 1, 8 and 32 requests in flight, plus cold start and RSS.
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { RunFunctionRequest, RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';
import { request } from '../examples.mjs';
import { certificates } from '../certs.mjs';
import { ghz, runFunctionProto } from './ghz.mjs';
import { goTemplateInput } from './peer-template.mjs';
import { callRaw, FUNCTIONS, memory, startFunction } from './servers.mjs';

export const CONCURRENCY = [1, 8, 32];

const encode = (req) => Buffer.from(RunFunctionRequest.encode(req).finish());

/** The peer must compose exactly what ours does, or the comparison means nothing. */
function checkSameWork(ours, peer, caseName) {
  const a = RunFunctionResponse.decode(ours);
  const b = RunFunctionResponse.decode(peer);
  const fatal = b.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
  if (fatal) throw new Error(`Go peer, ${caseName}: ${fatal.message}`);
  const names = Object.keys(a.desired?.resources ?? {}).sort();
  if (!isDeepStrictEqual(names, Object.keys(b.desired?.resources ?? {}).sort())) {
    throw new Error(`Go peer, ${caseName}: it composed other resources than ours`);
  }
  for (const name of names) {
    const [x, y] = [a.desired.resources[name], b.desired.resources[name]];
    if (!isDeepStrictEqual(x.resource, y.resource) || x.ready !== y.ready) {
      throw new Error(`Go peer, ${caseName}: resource ${name} differs from ours`);
    }
  }
  if (!isDeepStrictEqual(a.desired?.composite?.resource?.status, b.desired?.composite?.resource?.status)) {
    throw new Error(`Go peer, ${caseName}: the composite's status differs from ours`);
  }
}

/**
 * `cases` are {name, case} as cases.mjs makes them; `runFunction` is the built function, which
 * gives the Go peer its template. Resolves to the figures per function and case.
 */
export async function benchGrpc({ cases, runFunction, quick, work, log }) {
  const certs = certificates(work);
  const proto = runFunctionProto();
  const load = quick ? { total: 40 } : { duration: '5s' };
  const warmUp = { total: quick ? 20 : 1500 };
  const requests = cases.map((c, i) => {
    const req = request('bench', c.case);
    const peerReq = { ...req, input: goTemplateInput(c.case.xr, runFunction(req)) };
    const files = { ours: join(work, `request-${i}.bin`), peer: join(work, `request-${i}-peer.bin`) };
    writeFileSync(files.ours, encode(req));
    writeFileSync(files.peer, encode(peerReq));
    return { name: c.name, files, bytes: { ours: encode(req).length, peer: encode(peerReq).length } };
  });

  const results = {};
  const oursResponses = [];
  for (const fn of ['ceiling', 'noop', 'noopOurServer', 'ours', 'peer']) {
    const fileFor = (r) => (fn === 'peer' ? r.files.peer : r.files.ours);
    const served = await startFunction(fn, certs, readFileSync(fileFor(requests[0])));
    log(`  ${FUNCTIONS[fn].label}: cold start ${served.coldStartMs} ms`);
    const atRest = memory(served.pid);
    const perCase = [];
    try {
      for (const [i, r] of requests.entries()) {
        const response = await callRaw(served.client, readFileSync(fileFor(r)));
        if (fn === 'ours') oursResponses[i] = response;
        if (fn === 'peer') checkSameWork(oursResponses[i], response, r.name);
        const common = { port: served.port, certs, proto, requestFile: fileFor(r), work };
        ghz({ ...common, concurrency: 8, load: warmUp });
        const runs = CONCURRENCY.map((concurrency) => {
          const figures = ghz({ ...common, concurrency, load });
          log(
            `    ${r.name}, ${concurrency} in flight: ${figures.rps} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, p99.9 ${figures.p999Ms} ms${figures.errors ? `, ${figures.errors} ERRORS` : ''}`,
          );
          return { concurrency, ...figures };
        });
        perCase.push({
          case: r.name,
          requestBytes: r.bytes[fn === 'peer' ? 'peer' : 'ours'],
          responseBytes: response.length,
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
