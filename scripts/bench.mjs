#!/usr/bin/env node
// make bench: how fast the function composes. Prints a table and writes the same figures as JSON
// to _output/bench/inprocess.json.
//
//   node scripts/bench.mjs [--quick]
//
// In process (the built dist/, no gRPC): the time per RunFunction for every example at every observed
// stage, then with its response encoded as the server sends it; and scaling: the gke DevEnvironment,
// everything ready, with 10, 100 and 1,000 more observed composed resources.
// --quick runs a few iterations only (the tests' smoke run); figures are then not meaningful.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { corpus, request } from './examples.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => join(root, 'dist', 'functions', 'server', path);
const { runFunction } = await import(dist('handler.js'));
const { encodeResponse } = await import(dist('response-size.js'));

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
/** Each case runs for at least this long and this many iterations, after a warm-up. */
const MIN_MS = args.quick ? 5 : 300;
const MIN_ITERATIONS = args.quick ? 3 : 100;
const WARM_UP = args.quick ? 2 : 50;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

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
  const rsp = runFunction(req);
  return {
    example: base.name,
    observed: Object.keys(base.observed).length,
    desired: Object.keys(rsp.desired?.resources ?? {}).length,
    responseBytes: encodeResponse(runFunction(req)).length,
    runFunction: measure(() => runFunction(req)),
    withEncoding: measure(() => encodeResponse(runFunction(req))),
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
  return {
    extraObserved: extra,
    observed: Object.keys(req.observed.resources).length,
    runFunction: measure(() => runFunction(req)),
  };
});
const perResourceUs = scaling.map((s) => Math.round((s.runFunction.p50Us / s.observed) * 10) / 10);

const report = {
  node: process.version,
  quick: args.quick,
  inProcess: perExample,
  scaling,
  scalingPerObservedResourceUs: perResourceUs,
};
mkdirSync(join(root, '_output', 'bench'), { recursive: true });
writeFileSync(join(root, '_output', 'bench', 'inprocess.json'), `${JSON.stringify(report, null, 2)}\n`);

const pad = (v, n) => String(v).padStart(n);
console.log(
  `In process (${process.version}${args.quick ? ', --quick: not meaningful' : ''}), microseconds per request:`,
);
console.log(
  `${'example'.padEnd(46)} ${pad('observed', 8)} ${pad('desired', 7)} ${pad('bytes', 7)} ${pad('p50', 7)} ${pad('p99', 7)} ${pad('+encode', 8)}`,
);
for (const r of perExample) {
  console.log(
    `${r.example.padEnd(46)} ${pad(r.observed, 8)} ${pad(r.desired, 7)} ${pad(r.responseBytes, 7)} ${pad(r.runFunction.p50Us, 7)} ${pad(r.runFunction.p99Us, 7)} ${pad(r.withEncoding.p50Us, 8)}`,
  );
}
console.log('Scaling (gke DevEnvironment, ready, plus extra observed resources):');
scaling.forEach((s, i) =>
  console.log(
    `  ${pad(s.observed, 5)} observed: p50 ${pad(s.runFunction.p50Us, 8)} µs, ${pad(perResourceUs[i], 6)} µs per observed resource`,
  ),
);
