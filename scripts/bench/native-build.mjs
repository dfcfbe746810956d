// Builds the Go native reference for one bench run: tools/gonative-function (hand-written composers
// on generated models) with the composing code of the kinds not written by hand generated from our
// responses to the bench's cases (native-source.mjs), in the run's scratch folder.
// The Go build cache makes a rebuild take seconds once function-sdk-go is compiled.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeGoSource } from './native-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `cases` are {xr, rsp}: the observed XR and our response to it. Returns the binary's path. */
export function buildNative(work, cases) {
  const dir = join(work, 'gonative-function');
  mkdirSync(dir, { recursive: true });
  // The hand-written function, its generated models and its module, then the generated composers.
  cpSync(join(root, 'tools', 'gonative-function'), dir, { recursive: true });
  writeFileSync(join(dir, 'cases.go'), nativeGoSource(cases));
  const binary = join(dir, 'gonative-function');
  try {
    execFileSync('go', ['build', '-trimpath', '-o', binary, '.'], {
      cwd: dir,
      env: { ...process.env, GOFLAGS: `-mod=mod ${process.env.GOFLAGS ?? ''}` },
      // Go's progress ("go: downloading …") stays quiet; a failed build says why.
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    throw new Error(`cannot build the native reference: ${String(error.stderr ?? error.message)}`, {
      cause: error,
    });
  }
  return binary;
}
