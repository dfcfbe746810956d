#!/usr/bin/env node
// Before and after, on this noisy machine: two builds of the function (their dist/ folders) imported
// side by side in one process and timed in alternating 200 ms slices on the same requests (the
// largest DevEnvironment and AppStack of make bench), so that a machine slowing down or speeding up
// weighs on both alike. Prints the median time per call of each, per stage.
//
//   git worktree add /tmp/before <rev> && (cd /tmp/before && npm ci && npm run build)
//   node scripts/bench/ab.mjs /tmp/before/dist dist [decode|compose|encode|served ...]
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { request } from '../examples.mjs';
import { loadBuild } from './build.mjs';
import { benchCases } from './cases.mjs';

const SLICES = 20;
const SLICE_MS = 200;

/** The call each stage times, for one build and one request. */
function stage(build, bytes, name) {
  const decoded = build.decodeRequest(bytes);
  if (!decoded.ok) throw new Error(decoded.reason);
  const response = build.runFunction(decoded.request);
  const stages = {
    decode: () => build.decodeRequest(bytes),
    compose: () => build.runFunction(decoded.request),
    encode: () => build.encodeResponse(response),
    served: () => build.serve(bytes),
  };
  if (!(name in stages)) throw new Error(`ab: no stage ${name} (decode, compose, encode, served)`);
  return stages[name];
}

function median(values) {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

/** Microseconds per call of `fn`, over one slice. */
function slice(fn) {
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < SLICE_MS) {
    fn();
    calls++;
  }
  return ((performance.now() - started) / calls) * 1000;
}

const [before, after, ...stages] = process.argv.slice(2);
if (after === undefined) {
  console.error('usage: node scripts/bench/ab.mjs BEFORE/dist AFTER/dist [decode|compose|encode|served ...]');
  process.exit(2);
}
const [a, b] = [await loadBuild(before), await loadBuild(after)];
for (const c of benchCases(a.runFunction, a.resolvePolicy)) {
  const bytes = RunFunctionRequest.encode(request('bench', c.case)).finish();
  for (const name of stages.length > 0 ? stages : ['decode', 'compose', 'encode', 'served']) {
    const [fa, fb] = [stage(a, bytes, name), stage(b, bytes, name)];
    for (let i = 0; i < 300; i++) {
      fa();
      fb();
    }
    const [ta, tb] = [[], []];
    // Which goes first alternates: the second slice of a pair ran measurably faster (A/A: 7-10%).
    for (let i = 0; i < SLICES; i++) {
      if (i % 2 === 0) {
        ta.push(slice(fa));
        tb.push(slice(fb));
      } else {
        tb.push(slice(fb));
        ta.push(slice(fa));
      }
    }
    const [ma, mb] = [median(ta), median(tb)];
    console.log(
      `${c.name}, ${name}: before ${ma.toFixed(0)} µs, after ${mb.toFixed(0)} µs (${(((mb - ma) / ma) * 100).toFixed(0)}%; medians of ${SLICES} interleaved slices)`,
    );
  }
}
