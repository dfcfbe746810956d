// Builds the Go native reference for one bench run: tools/gonative-function with the composing code
// written from our responses to the bench's cases (native-source.mjs), in the run's scratch folder.
// The Go build cache makes a rebuild take seconds once function-sdk-go is compiled.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeGoSource } from './native-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `cases` are {xr, rsp}: the observed XR and our response to it. Returns the binary's path. */
export function buildNative(work, cases) {
  const dir = join(work, 'gonative-function');
  mkdirSync(dir, { recursive: true });
  for (const file of ['main.go', 'go.mod', 'go.sum'])
    copyFileSync(join(root, 'tools', 'gonative-function', file), join(dir, file));
  writeFileSync(join(dir, 'cases.go'), nativeGoSource(cases));
  const binary = join(dir, 'gonative-function');
  execFileSync('go', ['build', '-trimpath', '-o', binary, '.'], {
    cwd: dir,
    env: { ...process.env, GOFLAGS: `-mod=mod ${process.env.GOFLAGS ?? ''}` },
    // Go's progress ("go: downloading …") stays quiet; a failed build throws with it.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return binary;
}
