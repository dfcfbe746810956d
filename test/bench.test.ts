import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './support/request.js';

/**
 * A smoke run of `make bench` (scripts/bench.mjs --quick), so the harness cannot rot: in process,
 * and over gRPC with mTLS against ours, the SDK's no-op (the floor), a no-op on our server, the Go
 * peer and the Go native reference (each must compose exactly what ours does, or the run fails) and
 * the harness ceiling (a server that reads nothing). It starts from an empty Go module cache and an
 * empty tool cache, as on a fresh machine (make bench once failed there: a Go module it read a file
 * from was not downloaded yet). No timing is asserted: figures on shared machines are not stable;
 * `make bench` is where they are read.
 */
interface Run {
  concurrency: number;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p999Ms: number;
  cpuSeconds: number;
}
interface GrpcReport {
  functions: Record<
    string,
    {
      coldStartMs: number;
      memoryAtRest?: { rssMiB: number };
      memoryAfterLoad?: { rssMiB: number };
      cases: Array<{
        case: string;
        requestBytes: number;
        responseBytes: number;
        cpuPerRequestUs: number;
        runs: Run[];
      }>;
    }
  >;
}
interface QueueingRun {
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  boundMs: number;
}
interface InProcessReport {
  inProcess: Array<{ example: string; desired: number; runFunction: { p50Us: number } }>;
  scaling: Array<{ extraObserved: number; observed: number; runFunction: { p50Us: number } }>;
}

const readReport = <T>(file: string) => JSON.parse(readFileSync(`${REPO}_output/bench/${file}`, 'utf8')) as T;

describe('make bench', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'devplatform-bench-fresh-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('times every example, the scaling runs and the six servers over gRPC from empty Go caches, and writes JSON', () => {
    const run = spawnSync(process.execPath, [`${REPO}scripts/bench.mjs`, '--quick'], {
      cwd: REPO,
      encoding: 'utf8',
      env: {
        ...process.env,
        // Nothing downloaded, nothing built: the Go tools and modules come from scratch (the build
        // cache stays shared: it only saves compiling, never hides a missing file).
        GOMODCACHE: join(fresh, 'gomodcache'),
        GOFLAGS: '-modcacherw',
        DEVPLATFORM_CACHE: join(fresh, 'tools'),
      },
    });
    // Building the Go tools says so on stderr, as Go does each module it downloads; nothing else
    // may be written there.
    const stderr = run.stderr
      .split('\n')
      .filter((line) => line !== '' && !/^(install-go-tool: building |go: downloading )/.test(line));
    expect(stderr).toEqual([]);
    expect(run.status).toBe(0);

    const inProcess = readReport<InProcessReport>('inprocess.json');
    expect(inProcess.inProcess.length).toBeGreaterThanOrEqual(30);
    for (const r of inProcess.inProcess) {
      expect(r.desired).toBeGreaterThan(0);
      expect(r.runFunction.p50Us).toBeGreaterThan(0);
    }
    expect(inProcess.scaling.map((s) => s.extraObserved)).toEqual([0, 10, 100, 1000]);
    expect(run.stdout).toMatch(/Scaling \(gke DevEnvironment/);

    const grpc = readReport<GrpcReport>('grpc.json');
    expect(Object.keys(grpc.functions).sort()).toEqual([
      'ceiling',
      'native',
      'noop',
      'noopOurServer',
      'ours',
      'peer',
    ]);
    for (const fn of Object.values(grpc.functions)) {
      expect(fn.coldStartMs).toBeGreaterThan(0);
      expect(fn.memoryAfterLoad?.rssMiB).toBeGreaterThan(0);
      expect(fn.cases.map((c) => c.case)).toEqual([
        expect.stringMatching(/^DevEnvironment gke, \d+ tools, ready$/),
        expect.stringMatching(/^AppStack /),
      ]);
      for (const c of fn.cases) {
        expect(c.runs.map((r) => r.concurrency)).toEqual([1, 8, 32]);
        expect(c.cpuPerRequestUs).toBeGreaterThan(0);
        for (const r of c.runs) {
          expect(r.errors).toBe(0);
          expect(r.rps).toBeGreaterThan(0);
          expect(r.p999Ms).toBeGreaterThanOrEqual(r.p50Ms);
          expect(r.cpuSeconds).toBeGreaterThanOrEqual(0);
        }
      }
    }
    // The Go peer rendered the same resources as ours (checked by the bench), from a bigger request.
    const [ours, peer] = [grpc.functions.ours!.cases[0]!, grpc.functions.peer!.cases[0]!];
    expect(peer.requestBytes).toBeGreaterThan(ours.requestBytes);
    expect(run.stdout).toMatch(/Targets \(issue 7\):/);
    expect(run.stdout).toMatch(/Targets \(issue 22\):/);
    // CPU time per request of every server, by case, under the names summary.json promises.
    const summary = readReport<{ cpuPerRequestUs: Record<string, Record<string, number>> }>('summary.json');
    expect(Object.keys(summary.cpuPerRequestUs).sort()).toEqual([
      'goNative',
      'goTemplating',
      'noopOurServer',
      'ours',
      'sdkNoop',
    ]);
    for (const byCase of Object.values(summary.cpuPerRequestUs)) {
      expect(Object.keys(byCase)).toEqual(grpc.functions.ours!.cases.map((c) => c.case));
      for (const us of Object.values(byCase)) expect(us).toBeGreaterThan(0);
    }
    expect(run.stdout).toMatch(/the harness ceiling, a server that reads nothing, p99 [\d.]+ ms/);
    // The p99 bound held against every server with its own CPU per request, the ceiling included.
    const bounds = readReport<{ p99VsQueueingEveryServer: Record<string, Record<string, QueueingRun[]>> }>(
      'summary.json',
    ).p99VsQueueingEveryServer;
    expect(Object.keys(bounds).sort()).toEqual(
      [...Object.keys(summary.cpuPerRequestUs), 'harnessCeiling'].sort(),
    );
    for (const [server, byCase] of Object.entries(bounds)) {
      for (const [c, runs] of Object.entries(byCase)) {
        expect(runs.map((r) => r.concurrency)).toEqual([1, 8, 32]);
        const us = server === 'harnessCeiling' ? undefined : summary.cpuPerRequestUs[server]![c]!;
        for (const r of runs) {
          expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
          if (us !== undefined) expect(r.boundMs).toBeCloseTo((1.2 * r.concurrency * us) / 1000, 2);
        }
      }
    }
    expect(run.stdout).toMatch(/p99 against 1\.2 x N x the server's own CPU per request/);
  }, 900_000);
});
