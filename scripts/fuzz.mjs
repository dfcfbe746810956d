#!/usr/bin/env node
// make fuzz: attacks the built function over gRPC with generated requests and judges every reply.
//
//   node scripts/fuzz.mjs [--count N] [--seed S] [--concurrency C] [--only I] [--verbose]
//
// Cases (each from its own generator seeded by seed and index, so `--only I` replays case I alone):
// the examples at every observed stage (must render); mutated XRs, observed state, function input
// and required resources (wrong types, missing and huge fields, unicode, deep nesting); unknown kinds;
// empty and structurally broken requests (must be a Fatal result naming the problem); requests near
// the 4 MiB gRPC default and near and over the server's receive limit; undecodable bytes.
// A reply passes when it is a well-formed response with either a Fatal result naming the problem
// (not an internal error, nothing composed) or a render (well-formed resources, examples keep every
// observed resource), or, for over-limit and undecodable requests, a gRPC error with the right code.
// The server must not crash or hang; RSS before and after and the SIGTERM shutdown time are reported.
// Output: figures, failures (replayable), and a last line `N requests, F failures, C crashes`;
// the same as JSON in _output/fuzz/report.json. Exits 1 on any failure or crash.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunnerServiceService,
  RunFunctionRequest,
  RunFunctionResponse,
  Severity,
} from '@crossplane-org/function-sdk-typescript';
import { corpus, request } from './examples.mjs';
import { random } from './random.mjs';
import { freePort } from './tools.mjs';

const { decodeDeep } = await import(
  join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'functions', 'server', 'library-internals.js')
).catch(() => {
  throw new Error('dist/ is missing: run make build first');
});

// The leak check talks to the server's inspector over WebSocket: Node 20 has it behind a flag.
if (typeof WebSocket === 'undefined') {
  const again = spawnSync(process.execPath, ['--experimental-websocket', ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(root, 'dist', 'functions', 'server', 'main.js');
const MiB = 1024 * 1024;
/** The server's receive limit in this run: its default is 64 MiB; a smaller one keeps the run light. */
const RECV_LIMIT = 16 * MiB;
const CALL_DEADLINE_MS = 30_000;

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20261123' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const COUNT = Number(args.count);
const SEED = Number(args.seed);
const CONCURRENCY = Number(args.concurrency);

// ---- seeded randomness -------------------------------------------------------------------------

const caseRandom = (index) => random(Math.imul(SEED, 2654435761) ^ Math.imul(index + 1, 40503));
const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const chance = (rand, p) => rand() < p;
const clone = (v) => structuredClone(v);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// ---- mutations ---------------------------------------------------------------------------------

/** Every path to a value inside `value` (objects and arrays), root excluded. */
function paths(value, prefix = [], out = []) {
  if (value === null || typeof value !== 'object') return out;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    const path = [...prefix, key];
    out.push(path);
    paths(value[key], path, out);
  }
  return out;
}

function nested(depth, leaf) {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { n: v } : [v];
  return v;
}

const STRINGS = [
  '',
  ' ',
  '-',
  'UPPER',
  'a'.repeat(64),
  'ünïcødé-☃-🚀',
  '../../etc/passwd',
  '${{x}}',
  '{{ .x }}',
  'null',
  '0',
  'true',
  'a\u0000b',
  '\n',
  'x:y',
  'gke',
  'eks',
  'namespace',
  'vcluster',
  'postgres',
  '72h',
  '-1h',
  '999999999d',
];

/** A value of a random type: the wrong-type attack. */
function randomValue(rand, depth = 0) {
  switch (Math.floor(rand() * 14)) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick(rand, [0, -1, 1, 3.5, 1e308, -1e308, 2 ** 53, Number.MIN_VALUE]);
    case 3:
    case 4:
      return pick(rand, STRINGS);
    case 5:
      return 'x'.repeat(Math.floor(rand() * 100_000));
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return depth > 2
        ? 'leaf'
        : Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    case 9:
      return depth > 2
        ? {}
        : Object.fromEntries(
            Array.from({ length: Math.floor(rand() * 4) }, () => [
              pick(rand, STRINGS),
              randomValue(rand, depth + 1),
            ]),
          );
    case 10:
      return nested(1 + Math.floor(rand() * 200), 'deep');
    case 11:
      return Array.from({ length: 1 + Math.floor(rand() * 2000) }, (_, i) => `item-${i}`);
    case 12:
      return String.fromCharCode(...Array.from({ length: 32 }, () => Math.floor(rand() * 0xd7ff)));
    default:
      return Math.floor(rand() * 1e6) - 5e5;
  }
}

/** Deletes, replaces or adds at random paths of `target`, 1–4 times. */
function mutate(rand, target) {
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const all = paths(target);
    if (all.length === 0) return target;
    const path = pick(rand, all);
    const parent = path.slice(0, -1).reduce((v, k) => v[k], target);
    const key = path[path.length - 1];
    if (parent === null || typeof parent !== 'object') continue;
    const op = rand();
    if (op < 0.3) {
      if (Array.isArray(parent)) parent.splice(key, 1);
      else Reflect.deleteProperty(parent, key);
    } else if (op < 0.85) parent[key] = randomValue(rand);
    else if (!Array.isArray(parent)) parent[pick(rand, STRINGS) || 'unknownField'] = randomValue(rand);
    else parent.push(randomValue(rand));
  }
  return target;
}

// ---- case generation ---------------------------------------------------------------------------

/**
 * Case `index`: { category, expect, request | bytes }. expect: 'render' (must compose), 'fatal'
 * (must be a Fatal result), 'either' (Fatal or render), or a gRPC status code name.
 */
function generate(index, bases) {
  const rand = caseRandom(index);
  const base = bases[index % bases.length];
  const tag = `fuzz-${index}`;
  const roll = rand();
  if (roll < 0.1) {
    return { category: 'example', expect: 'render', base: base.name, request: request(tag, base) };
  }
  if (roll < 0.5) {
    const xr = mutate(rand, clone(base.xr));
    return {
      category: 'mutated-xr',
      expect: 'either',
      base: base.name,
      request: request(tag, { ...base, xr }),
    };
  }
  if (roll < 0.65) {
    const names = Object.keys(base.observed);
    const observed = clone(base.observed);
    if (names.length > 0) {
      const name = pick(rand, names);
      observed[name] = chance(rand, 0.15) ? {} : mutate(rand, observed[name]);
    } else
      observed[pick(rand, STRINGS) || 'stray'] = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        status: randomValue(rand),
      };
    return {
      category: 'malformed-observed',
      expect: 'either',
      base: base.name,
      request: request(tag, { ...base, observed }),
    };
  }
  if (roll < 0.75) {
    const input = chance(rand, 0.1)
      ? { apiVersion: 'devplatform.io/v1alpha1', kind: 'Policy' }
      : mutate(rand, clone(base.input ?? {}));
    return {
      category: 'mutated-input',
      expect: 'either',
      base: base.name,
      request: request(tag, { ...base, input }),
    };
  }
  if (roll < 0.8) {
    const required =
      Object.keys(base.required).length > 0
        ? mutate(rand, clone(base.required))
        : {
            environment: [randomValue(rand, 3)].filter(
              (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
            ),
          };
    return {
      category: 'mutated-required',
      expect: 'either',
      base: base.name,
      request: request(tag, { ...base, required }),
    };
  }
  if (roll < 0.86) {
    const xr = clone(base.xr);
    const which = Math.floor(rand() * 5);
    if (which === 0)
      xr.kind = pick(rand, ['Nope', 'DevEnvironments', 'devenvironment', '', 'XAppStackClaim']);
    else if (which === 1) xr.apiVersion = pick(rand, ['devplatform.io/v2', 'v1', '', 'example.org/v1alpha1']);
    else if (which === 2) delete xr.kind;
    else if (which === 3) delete xr.apiVersion;
    else {
      xr.kind = randomValue(rand);
      xr.apiVersion = randomValue(rand);
    }
    return {
      category: 'unknown-kind',
      expect: 'fatal',
      base: base.name,
      request: request(tag, { ...base, xr }),
    };
  }
  if (roll < 0.9) {
    const which = Math.floor(rand() * 4);
    const req =
      which === 0
        ? RunFunctionRequest.fromPartial({ meta: { tag } })
        : which === 1
          ? request(tag, { input: base.input })
          : which === 2
            ? request(tag, { xr: {}, input: base.input })
            : request(tag, { xr: { apiVersion: base.xr.apiVersion, kind: base.xr.kind }, input: base.input });
    return { category: 'empty', expect: which === 3 ? 'either' : 'fatal', base: base.name, request: req };
  }
  if (roll < 0.95) {
    const xr = clone(base.xr);
    const spec = xr.spec ?? (xr.spec = {});
    const at = Math.floor(rand() * 3);
    if (at === 0)
      spec[pick(rand, Object.keys(spec).concat('huge'))] = 'h'.repeat(100_000 + Math.floor(rand() * 900_000));
    else if (at === 1)
      xr.metadata = { ...xr.metadata, annotations: { big: 'a'.repeat(Math.floor(rand() * 2 * MiB)) } };
    else spec.tools = Array.from({ length: 1000 + Math.floor(rand() * 9000) }, (_, i) => `tool-${i}`);
    return {
      category: 'huge-field',
      expect: 'either',
      base: base.name,
      request: request(tag, { ...base, xr }),
    };
  }
  if (roll < 0.97) {
    const xr = clone(base.xr);
    xr.spec = { ...(xr.spec ?? {}), nested: nested(20 + Math.floor(rand() * 40), 'deep') };
    return {
      category: 'deep-nesting',
      expect: 'either',
      base: base.name,
      request: request(tag, { ...base, xr }),
    };
  }
  if (roll < 0.99) {
    const bytes = Buffer.from(
      Array.from({ length: Math.floor(rand() * 4096) }, () => Math.floor(rand() * 256)),
    );
    // Empty or accidentally valid bytes decode to a (near-)empty request: a Fatal result, not an error.
    return { category: 'undecodable', expect: 'fatal', base: '-', bytes };
  }
  // Near the limits: just under gRPC's 4 MiB default (must work), just under and just over ours.
  const xr = clone(base.xr);
  const which = Math.floor(rand() * 3);
  const target =
    which === 0 ? 4 * MiB - 64 * 1024 : which === 1 ? RECV_LIMIT - 64 * 1024 : RECV_LIMIT + 64 * 1024;
  xr.metadata = { ...xr.metadata, annotations: { padding: '' } };
  const unpadded = RunFunctionRequest.encode(request(tag, { ...base, xr })).finish().length;
  xr.metadata.annotations.padding = 'p'.repeat(Math.max(0, target - unpadded - 16));
  return {
    category: 'near-size-limit',
    expect: which === 2 ? 'RESOURCE_EXHAUSTED' : 'either',
    base: base.name,
    request: request(tag, { ...base, xr }),
  };
}

// ---- judging -----------------------------------------------------------------------------------

/** Why a reply fails its case, or undefined when it passes. */
function judge(testCase, reply) {
  const { expect } = testCase;
  if (reply.error) {
    const code = grpc.status[reply.error.code];
    if (expect === code || (expect === 'fatal-or-INTERNAL' && code === 'INTERNAL')) return undefined;
    return `gRPC error ${code}: ${reply.error.details ?? reply.error.message}`;
  }
  if (expect === 'RESOURCE_EXHAUSTED') return 'a request over the receive limit was accepted';
  const rsp = reply.response;
  const tag = testCase.request?.meta?.tag;
  if (tag !== undefined && rsp.meta?.tag !== tag)
    return `response tag ${rsp.meta?.tag} is not the request's ${tag}`;
  const fatals = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
  if (fatals.length > 0) {
    if (expect === 'render') return `Fatal on a valid example: ${fatals[0].message}`;
    const message = fatals[0].message ?? '';
    if (message.length < 10) return `Fatal result with no useful message: "${message}"`;
    if (/^internal error/.test(message)) return `Fatal result from an unexpected exception: ${message}`;
    const before = Object.keys(testCase.request?.desired?.resources ?? {}).length;
    const after = Object.keys(rsp.desired?.resources ?? {}).length;
    if (after !== before) return `Fatal result but ${after - before} resources composed anyway`;
    return undefined;
  }
  if (expect === 'fatal' || expect === 'fatal-or-INTERNAL')
    return 'no Fatal result for a request the function cannot serve';
  const desired = rsp.desired?.resources ?? {};
  for (const [name, r] of Object.entries(desired)) {
    const body = r.resource;
    if (
      !isObject(body) ||
      typeof body.apiVersion !== 'string' ||
      typeof body.kind !== 'string' ||
      body.apiVersion === '' ||
      body.kind === ''
    )
      return `desired resource ${name} has no apiVersion/kind`;
    if (!isObject(body.metadata) && body.metadata !== undefined)
      return `desired resource ${name} has malformed metadata`;
  }
  if (expect === 'render') {
    if (Object.keys(desired).length === 0) return 'a valid example composed nothing';
    const lost = Object.keys(testCase.request.observed.resources).filter((n) => !(n in desired));
    if (lost.length > 0) return `observed resources dropped from desired state: ${lost.join(', ')}`;
  }
  return undefined;
}

// ---- the server under attack -------------------------------------------------------------------

function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server's V8 heap after a full garbage collection, through its inspector (the server runs with
 * --inspect on a loopback port): the figure a leak moves, where RSS also moves with V8's heap sizing.
 */
async function heapAfterGc(inspectorUrl) {
  const ws = new WebSocket(inspectorUrl);
  await new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = () => fail(new Error(`cannot reach the inspector at ${inspectorUrl}`));
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (event) => {
    const msg = JSON.parse(String(event.data));
    pending.get(msg.id)?.(msg.result);
    pending.delete(msg.id);
  };
  const send = (method) =>
    new Promise((ok) => {
      pending.set(++id, ok);
      ws.send(JSON.stringify({ id, method }));
    });
  await send('HeapProfiler.collectGarbage');
  await send('HeapProfiler.collectGarbage');
  const { usedSize } = await send('Runtime.getHeapUsage');
  ws.close();
  return usedSize;
}

async function startServer() {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      '--inspect=127.0.0.1:0',
      MAIN,
      '--insecure',
      `--address=127.0.0.1:${port}`,
      `--max-recv-message-size=${RECV_LIMIT}`,
      '--metrics-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = { text: '' };
  const keep = (d) => {
    log.text = (log.text + d.toString()).slice(-20_000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  });
  const inspectorUrl = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no inspector URL from the server:\n${log.text}`)), 20_000);
    const look = () => {
      const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(log.text)?.[0];
      if (url === undefined) return;
      clearTimeout(timer);
      proc.stderr.off('data', look);
      ok(url);
    };
    proc.stderr.on('data', look);
    look();
  });
  await new Promise((ok, fail) =>
    client.waitForReady(Date.now() + 20_000, (err) =>
      err ? fail(new Error(`server did not start: ${err.message}\n${log.text}`)) : ok(),
    ),
  );
  return { proc, client, log, inspectorUrl };
}

const RUN = FunctionRunnerServiceService.runFunction;

function send(client, testCase) {
  const serialize = testCase.bytes !== undefined ? () => testCase.bytes : RUN.requestSerialize;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      RUN.path,
      serialize,
      (bytes) => decodeDeep(RunFunctionResponse, bytes),
      testCase.request ?? {},
      { deadline: Date.now() + CALL_DEADLINE_MS },
      (error, response) => resolve(error ? { error } : { response }),
    );
  });
}

const exited = (proc) =>
  new Promise((ok) => (proc.exitCode !== null ? ok(proc.exitCode) : proc.once('exit', (code) => ok(code))));

async function main() {
  if (!existsSync(MAIN)) throw new Error(`${relative(root, MAIN)} is missing: run make build first`);
  const bases = corpus();
  const indices = args.only !== undefined ? [Number(args.only)] : Array.from({ length: COUNT }, (_, i) => i);
  let server = await startServer();
  const started = performance.now();

  // Warm up on the examples, then take the baseline.
  for (const base of bases) await send(server.client, { request: request('warm-up', base) });
  const rssBefore = rssBytes(server.proc.pid);
  const heapBefore = await heapAfterGc(server.inspectorUrl);

  const tally = {
    rssSamples: [],
    requests: 0,
    failures: [],
    crashes: 0,
    hangs: 0,
    byCategory: {},
    outcomes: { render: 0, fatal: 0, grpcError: 0 },
  };
  let next = 0;
  let restarting;
  async function worker() {
    while (next < indices.length) {
      const index = indices[next++];
      const testCase = generate(index, bases);
      if (restarting) await restarting;
      const current = server;
      const reply = await send(current.client, testCase);
      tally.requests += 1;
      if (tally.requests % 1000 === 0) tally.rssSamples.push(rssBytes(current.proc.pid));
      const category = (tally.byCategory[testCase.category] ??= { requests: 0, failures: 0 });
      category.requests += 1;
      let problem;
      if (current.proc.exitCode !== null || current.proc.signalCode !== null) {
        problem = `server crashed (exit ${current.proc.exitCode ?? current.proc.signalCode}): ${current.log.text.slice(-2000)}`;
        if (!restarting) {
          tally.crashes += 1;
          current.client.close();
          restarting = startServer().then((s) => {
            server = s;
            restarting = undefined;
          });
        }
      } else if (reply.error?.code === grpc.status.DEADLINE_EXCEEDED) {
        tally.hangs += 1;
        problem = `no reply within ${CALL_DEADLINE_MS / 1000}s`;
      } else {
        problem = judge(testCase, reply);
      }
      if (reply.error) tally.outcomes.grpcError += 1;
      else if (reply.response.results.some((r) => r.severity === Severity.SEVERITY_FATAL))
        tally.outcomes.fatal += 1;
      else tally.outcomes.render += 1;
      if (problem !== undefined) {
        category.failures += 1;
        tally.failures.push({
          index,
          category: testCase.category,
          base: testCase.base,
          problem: problem.slice(0, 2000),
        });
      }
      if (args.verbose)
        console.log(`case ${index} ${testCase.category} ${testCase.base}: ${problem ?? 'ok'}`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, indices.length) }, worker));
  if (restarting) await restarting;
  const seconds = (performance.now() - started) / 1000;
  const rssAfter = rssBytes(server.proc.pid);
  const heapAfter = await heapAfterGc(server.inspectorUrl);

  // Shutdown: SIGTERM with requests in flight; they must be answered and the process exit 0.
  const inFlight = bases
    .slice(0, 8)
    .map((base) => send(server.client, { request: request('shutdown', base) }));
  await new Promise((r) => setImmediate(r));
  const stopAt = performance.now();
  server.proc.kill('SIGTERM');
  const [code, replies] = await Promise.all([exited(server.proc), Promise.all(inFlight)]);
  const shutdownMs = performance.now() - stopAt;
  server.client.close();
  const unanswered = replies.filter((r) => r.error).length;
  if (code !== 0)
    tally.failures.push({
      index: -1,
      category: 'shutdown',
      base: '-',
      problem: `exit code ${code} after SIGTERM`,
    });
  if (unanswered > 0)
    tally.failures.push({
      index: -1,
      category: 'shutdown',
      base: '-',
      problem: `${unanswered} in-flight requests cut at SIGTERM`,
    });

  const mib = (b) => (b === undefined ? 'n/a' : `${(b / MiB).toFixed(1)} MiB`);
  const report = {
    seed: SEED,
    requests: tally.requests,
    failures: tally.failures.length,
    crashes: tally.crashes,
    hangs: tally.hangs,
    seconds: Number(seconds.toFixed(1)),
    outcomes: tally.outcomes,
    byCategory: tally.byCategory,
    rssBeforeBytes: rssBefore,
    rssAfterBytes: rssAfter,
    rssGrowthBytes: rssBefore !== undefined && rssAfter !== undefined ? rssAfter - rssBefore : undefined,
    heapAfterGcBeforeBytes: heapBefore,
    heapAfterGcAfterBytes: heapAfter,
    heapGrowthBytes: heapAfter - heapBefore,
    restartedAfterCrash: tally.crashes > 0,
    shutdownMs: Math.round(shutdownMs),
    shutdownExitCode: code,
    failureList: tally.failures,
  };
  mkdirSync(join(root, '_output', 'fuzz'), { recursive: true });
  writeFileSync(join(root, '_output', 'fuzz', 'report.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `fuzz: seed ${SEED}, ${bases.length} example states, concurrency ${CONCURRENCY}, ${report.seconds}s (${Math.round(tally.requests / seconds)} req/s)`,
  );
  for (const [name, c] of Object.entries(tally.byCategory).sort())
    console.log(`  ${name.padEnd(20)} ${String(c.requests).padStart(6)} requests, ${c.failures} failures`);
  console.log(
    `  replies: ${tally.outcomes.render} renders, ${tally.outcomes.fatal} Fatal results, ${tally.outcomes.grpcError} gRPC errors (over the limit, undecodable)`,
  );
  console.log(`  hangs: ${tally.hangs}`);
  console.log(
    `  RSS every 1000 requests: ${tally.rssSamples.map((b) => (b / MiB).toFixed(0)).join(' ')} MiB`,
  );
  console.log(
    `  server RSS: ${mib(rssBefore)} before, ${mib(rssAfter)} after (${rssBefore && rssAfter ? `${rssAfter >= rssBefore ? '+' : ''}${mib(rssAfter - rssBefore)}` : 'n/a'})`,
  );
  console.log(
    `  V8 heap after full GC: ${mib(heapBefore)} before, ${mib(heapAfter)} after (${heapAfter >= heapBefore ? '+' : ''}${mib(heapAfter - heapBefore)})${tally.crashes > 0 ? ' (the server was restarted; not comparable)' : ''}`,
  );
  console.log(
    `  shutdown: ${Math.round(shutdownMs)} ms with ${inFlight.length} requests in flight, ${unanswered} cut, exit ${code}`,
  );
  for (const f of tally.failures.slice(0, 20))
    console.log(`  FAIL case ${f.index} (${f.category}, ${f.base}): ${f.problem.slice(0, 400)}`);
  if (tally.failures.length > 20)
    console.log(`  … ${tally.failures.length - 20} more in _output/fuzz/report.json`);
  if (tally.failures.length > 0)
    console.log(`  replay one: node scripts/fuzz.mjs --seed ${SEED} --only <case> --verbose`);
  console.log(`${tally.requests} requests, ${tally.failures.length} failures, ${tally.crashes} crashes`);
  process.exitCode = tally.failures.length > 0 || tally.crashes > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`fuzz: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(2);
});
