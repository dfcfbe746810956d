import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './support/request.js';

/**
 * scripts/install-go-tool.sh when two makes (or two jest suites) want the same tool at once: one
 * builds, the other waits and reuses the binary. A stand-in `go` on PATH records each build and
 * takes a second, so the test needs no toolchain and proves the lock, not the compiler.
 */
const run = promisify(execFile);

describe('install-go-tool.sh', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'go-tool-'));
    const fakeGo = join(dir, 'bin', 'go');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      fakeGo,
      [
        '#!/usr/bin/env bash',
        `echo build >> "${join(dir, 'builds')}"`,
        'sleep 1',
        'while [[ $# -gt 0 ]]; do if [[ $1 == -o ]]; then printf "#!/bin/sh\\n" > "$2"; chmod +x "$2"; fi; shift; done',
      ].join('\n'),
    );
    chmodSync(fakeGo, 0o755);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a tool once when two runs ask for it at the same time', async () => {
    const env = {
      ...process.env,
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      DEVPLATFORM_CACHE: join(dir, 'cache'),
    };
    const script = join(REPO, 'scripts', 'install-go-tool.sh');
    const [a, b] = await Promise.all([run(script, ['crane'], { env }), run(script, ['crane'], { env })]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.trim()).toMatch(/crane-v[^/]+\/crane$/);
    expect(readFileSync(join(dir, 'builds'), 'utf8').trim().split('\n')).toEqual(['build']);
  });
});
