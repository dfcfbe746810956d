// make bench, in process: the time per RunFunction of the built function (no gRPC) for every example
// at every observed stage, then with its response encoded as the server sends it; and scaling: the
// gke DevEnvironment, everything ready, with 10, 100 and 1,000 more observed composed resources.
import { corpus, request } from '../examples.mjs';

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/**
 * `build` is the built function (build.mjs: runFunction, encodeResponse, and serve, which decodes,
 * composes and encodes as the server does); `encodeRequest` encodes a request as Crossplane sends it.
 */
export function benchInProcess({ quick, build, encodeRequest }) {
  const { runFunction, encodeResponse, serve } = build;
  const MIN_MS = quick ? 5 : 300;
  const MIN_ITERATIONS = quick ? 3 : 100;
  const WARM_UP = quick ? 2 : 50;
  /** Times `fn` repeatedly; figures in microseconds. */
  function measure(fn) {
    for (let i = 0; i < WARM_UP; i++) fn();
    const samples = [];
    const started = performance.now();
    while (samples.length < MIN_ITERATIONS || performance.now() - started < MIN_MS) {
      const t0 = performance.now();
      fn();
      samples.push((performance.now() - t0) * 1000);
    }
    samples.sort((a, b) => a - b);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const round = (n) => Math.round(n * 10) / 10;
    return {
      iterations: samples.length,
      meanUs: round(mean),
      p50Us: round(percentile(samples, 50)),
      p99Us: round(percentile(samples, 99)),
    };
  }

  const bases = corpus();
  const perExample = bases.map((base) => {
    const req = request('bench', base);
    const bytes = encodeRequest(req);
    const rsp = runFunction(req);
    return {
      example: base.name,
      observed: Object.keys(base.observed).length,
      requestBytes: bytes.length,
      desired: Object.keys(rsp.desired?.resources ?? {}).length,
      responseBytes: encodeResponse(runFunction(req)).length,
      runFunction: measure(() => runFunction(req)),
      withEncoding: measure(() => encodeResponse(runFunction(req))),
      decodeComposeEncode: measure(() => serve(bytes)),
    };
  });

  /** The gke DevEnvironment, everything ready, with `extra` more observed composed resources. */
  const gkeReady = bases.find((b) => b.name === 'devenvironment/gke (ready.yaml)');
  if (gkeReady === undefined) throw new Error('examples/devenvironment/gke/observed/ready.yaml is missing');
  const template =
    Object.values(gkeReady.observed).find((r) => r.kind === 'Object') ?? Object.values(gkeReady.observed)[0];
  function withExtra(extra) {
    const observed = { ...gkeReady.observed };
    for (let i = 0; i < extra; i++) {
      const copy = structuredClone(template);
      copy.metadata.name = `extra-${i}`;
      copy.metadata.annotations['crossplane.io/composition-resource-name'] = `extra-${i}`;
      observed[`extra-${i}`] = copy;
    }
    return request('bench', { ...gkeReady, observed });
  }
  const scaling = [0, 10, 100, 1000].map((extra) => {
    const req = withExtra(extra);
    const bytes = encodeRequest(req);
    return {
      extraObserved: extra,
      observed: Object.keys(req.observed.resources).length,
      requestBytes: bytes.length,
      runFunction: measure(() => runFunction(req)),
      decodeComposeEncode: measure(() => serve(bytes)),
    };
  });
  // Linear or better: the cost of each extra observed resource must not grow with their number.
  const marginal = (column) =>
    scaling.slice(1).map((s) => ({
      extraObserved: s.extraObserved,
      usPerExtraResource:
        Math.round(((s[column].p50Us - scaling[0][column].p50Us) / s.extraObserved) * 100) / 100,
    }));
  return {
    node: process.version,
    quick,
    inProcess: perExample,
    scaling,
    marginalCost: {
      runFunction: marginal('runFunction'),
      decodeComposeEncode: marginal('decodeComposeEncode'),
    },
  };
}
