// Small helpers the build and render scripts share.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A pinned Go tool (crossplane or crane): the binary named by the upper-cased environment variable
 * (CROSSPLANE, CRANE), else the one scripts/install-go-tool.sh builds into the cache once.
 */
export function goTool(name) {
  const fromEnv = process.env[name.toUpperCase()];
  if (fromEnv) return fromEnv;
  return execFileSync(join(root, 'scripts', 'install-go-tool.sh'), [name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** A TCP port free on loopback right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}
