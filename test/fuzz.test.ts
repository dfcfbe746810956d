import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { REPO } from './support/request.js';

/**
 * The attack suite (scripts/fuzz.mjs, `make fuzz`) at full size with its fixed seed: 10,000 generated
 * requests over gRPC against the built server. Every reply must be a Fatal result naming the problem
 * or a valid render; no crash, no hang, no leak (V8 heap after a full GC), a clean SIGTERM.
 */
interface FuzzReport {
  requests: number;
  failures: number;
  crashes: number;
  hangs: number;
  heapGrowthBytes: number;
  shutdownExitCode: number;
  shutdownMs: number;
  byCategory: Record<string, { requests: number; failures: number }>;
  failureList: Array<{ index: number; category: string; problem: string }>;
}

describe('make fuzz', () => {
  let stdout = '';
  let status: number | null = null;
  let report: FuzzReport;

  beforeAll(() => {
    const run = spawnSync(process.execPath, [`${REPO}scripts/fuzz.mjs`], { cwd: REPO, encoding: 'utf8' });
    stdout = run.stdout;
    status = run.status;
    report = JSON.parse(readFileSync(`${REPO}_output/fuzz/report.json`, 'utf8')) as FuzzReport;
  }, 600_000);

  it('ends with the figures line and exits 0', () => {
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('10000 requests, 0 failures, 0 crashes');
    expect(report.failureList).toEqual([]);
    expect(status).toBe(0);
  });

  it('covers every kind of attack', () => {
    expect(Object.keys(report.byCategory).sort()).toEqual([
      'deep-nesting',
      'empty',
      'example',
      'huge-field',
      'malformed-observed',
      'mutated-input',
      'mutated-required',
      'mutated-xr',
      'near-size-limit',
      'undecodable',
      'unknown-kind',
    ]);
    for (const { requests } of Object.values(report.byCategory)) expect(requests).toBeGreaterThan(50);
  });

  it('neither hangs nor leaks, and shuts down cleanly with requests in flight', () => {
    expect(report.hangs).toBe(0);
    expect(report.heapGrowthBytes).toBeLessThan(8 * 1024 * 1024);
    expect(report.shutdownExitCode).toBe(0);
  });
});
