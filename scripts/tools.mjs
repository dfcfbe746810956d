// Small helpers the build, render, fuzz and bench scripts share.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A pinned Go tool (crossplane or crane): the binary named by the upper-cased environment variable
 * (CROSSPLANE, CRANE), else the one scripts/install-go-tool.sh builds into the cache once.
 */
export function goTool(name) {
  const fromEnv = process.env[name.toUpperCase().replaceAll('-', '_')];
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

/** Whether something accepts TCP connections on a loopback port right now. */
export function listening(port) {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}

/** Every file below `dir`, recursively. */
export function walk(dir) {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * YAML options for writing composed objects out: every object in full. Composed objects may share
 * parts (functions/shared/resources/model-object.ts copies nothing), which yaml would otherwise write
 * once as an anchor and then as aliases; Crossplane receives them as protobuf, where nothing is shared.
 */
export const UNSHARED = { aliasDuplicateObjects: false };

/** The YAML documents in a file that are objects. */
export function yamlDocs(file) {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d !== null && typeof d === 'object');
}

/**
 * The platform policy of a Composition's function input, resolved by the function's own code in
 * dist/ (defaults applied, validated): what the composers read. Needs `make build`.
 */
export async function compositionPolicy(file) {
  const policyModule = join(root, 'dist', 'functions', 'shared', 'policy', 'policy.js');
  if (!existsSync(policyModule)) throw new Error('run `make build` first (dist/ is missing)');
  const { resolvePolicy } = await import(policyModule);
  return resolvePolicy(yamlDocs(file)[0]?.spec?.pipeline?.[0]?.input);
}

/** The Compositions in apis/, by the `apiVersion/kind` of the XR they compose: { file, composition }. */
export function compositions() {
  const byType = new Map();
  for (const file of walk(join(root, 'apis')).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of yamlDocs(file)) {
      if (doc.kind !== 'Composition') continue;
      const { apiVersion, kind } = doc.spec.compositeTypeRef;
      byType.set(`${apiVersion}/${kind}`, { file, composition: doc });
    }
  }
  return byType;
}
