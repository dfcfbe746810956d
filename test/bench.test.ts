import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { REPO } from './support/request.js';

/**
 * A smoke run of `make bench` (scripts/bench.mjs --quick), so the harness cannot rot: in process,
 * and over gRPC with mTLS against ours, the SDK's no-op (the floor), a no-op on our server, the Go
 * peer (which must compose exactly what ours does, or the run fails) and the harness ceiling (a
 * server that reads nothing). No timing is asserted: figures on shared machines are not
 * stable; `make bench` is where they are read.
 */
interface Run {
  concurrency: number;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p999Ms: number;
}
interface GrpcReport {
  functions: Record<
    string,
    {
      coldStartMs: number;
      memoryAtRest?: { rssMiB: number };
      memoryAfterLoad?: { rssMiB: number };
      cases: Array<{ case: string; requestBytes: number; responseBytes: number; runs: Run[] }>;
    }
  >;
}
interface InProcessReport {
  inProcess: Array<{ example: string; desired: number; runFunction: { p50Us: number } }>;
  scaling: Array<{ extraObserved: number; observed: number; runFunction: { p50Us: number } }>;
}

const readReport = <T>(file: string) => JSON.parse(readFileSync(`${REPO}_output/bench/${file}`, 'utf8')) as T;

describe('make bench', () => {
  beforeAll(() => {
    // Build the pinned Go tools first (once per machine), so the run's own output is the bench's.
    for (const tool of ['ghz', 'gotemplating-peer']) {
      execFileSync(`${REPO}scripts/install-go-tool.sh`, [tool], { stdio: 'ignore' });
    }
  }, 600_000);

  it('times every example, the scaling runs and the five servers over gRPC, and writes JSON', () => {
    const run = spawnSync(process.execPath, [`${REPO}scripts/bench.mjs`, '--quick'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
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
    expect(Object.keys(grpc.functions).sort()).toEqual(['ceiling', 'noop', 'noopOurServer', 'ours', 'peer']);
    for (const fn of Object.values(grpc.functions)) {
      expect(fn.coldStartMs).toBeGreaterThan(0);
      expect(fn.memoryAfterLoad?.rssMiB).toBeGreaterThan(0);
      expect(fn.cases.map((c) => c.case)).toEqual([
        expect.stringMatching(/^DevEnvironment gke, \d+ tools, ready$/),
        expect.stringMatching(/^AppStack /),
      ]);
      for (const c of fn.cases) {
        expect(c.runs.map((r) => r.concurrency)).toEqual([1, 8, 32]);
        for (const r of c.runs) {
          expect(r.errors).toBe(0);
          expect(r.rps).toBeGreaterThan(0);
          expect(r.p999Ms).toBeGreaterThanOrEqual(r.p50Ms);
        }
      }
    }
    // The Go peer rendered the same resources as ours (checked by the bench), from a bigger request.
    const [ours, peer] = [grpc.functions.ours!.cases[0]!, grpc.functions.peer!.cases[0]!];
    expect(peer.requestBytes).toBeGreaterThan(ours.requestBytes);
    expect(run.stdout).toMatch(/Targets \(issue 7\):/);
    expect(run.stdout).toMatch(/the harness ceiling, a server that reads nothing, p99 [\d.]+ ms/);
  }, 300_000);
});
