import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { REPO } from './support/request.js';

/**
 * A smoke run of `make bench` (scripts/bench.mjs --quick), so the harness cannot rot. No timing is
 * asserted: figures on shared machines are not stable; `make bench` is where they are read.
 */
interface BenchReport {
  inProcess: Array<{ example: string; desired: number; runFunction: { p50Us: number } }>;
  scaling: Array<{ extraObserved: number; observed: number; runFunction: { p50Us: number } }>;
}

describe('make bench', () => {
  it('times every example and the scaling runs, and writes them as JSON', () => {
    const run = spawnSync(process.execPath, [`${REPO}scripts/bench.mjs`, '--quick'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(`${REPO}_output/bench/inprocess.json`, 'utf8')) as BenchReport;
    expect(report.inProcess.length).toBeGreaterThanOrEqual(30);
    for (const r of report.inProcess) {
      expect(r.desired).toBeGreaterThan(0);
      expect(r.runFunction.p50Us).toBeGreaterThan(0);
    }
    expect(report.scaling.map((s) => s.extraObserved)).toEqual([0, 10, 100, 1000]);
    expect(run.stdout).toMatch(/Scaling \(gke DevEnvironment/);
  }, 120_000);
});
