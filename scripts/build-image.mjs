// Builds the function's runtime image without a Docker engine, reproducibly: the root filesystem
// from scripts/build-rootfs.sh (pinned parts only) becomes one layer (GNU tar with fixed order, owners
// and times; gzip without a timestamp), and go-containerregistry's crane (pinned in tools/crane/) puts
// it into an OCI image with the entrypoint, user, ports and environment the function needs, through a
// registry crane serves on loopback for the duration of the build. Two builds of one commit give the
// same digest.
//
//   node scripts/build-image.mjs            writes _output/image/function-devplatform-runtime-<version>.tar
//   CRANE  crane binary (default: built by scripts/install-go-tool.sh crane)
//
// Prints the tarball's path and the image digest. The Function package embeds the tarball
// (`crossplane xpkg build --embed-runtime-image-tarball`, see scripts/build-packages.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, goTool } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const defaultOut = join(root, '_output', 'image');

/** The image's runtime settings. The Dockerfile states the same ones (test/package checks both). */
export const RUNTIME = {
  entrypoint: ['/usr/local/bin/node', '/app/dist/functions/server/main.js'],
  workdir: '/app',
  user: '65532:65532',
  /** gRPC (RunFunction and health), then Prometheus metrics. */
  ports: ['9443/tcp', '8080/tcp'],
  env: {
    NODE_ENV: 'production',
    // V8's heap sizing. Node.js 24 sizes it for the machine: on a 24 GiB node it grew each young
    // semi-space to 64 MiB under make bench's load and let the old generation fill with garbage
    // before collecting, for an RSS of 285 MiB after the load. 4 MiB semi-spaces and a 512 MiB old
    // generation (which still decodes and composes a 44 MiB request, ten times what Crossplane takes
    // back) kept it at 125-135 MiB (README, Performance). One V8 worker thread rather than Node's
    // four: on a small node the four (concurrent marking, parallel scavenges, compilation) took the
    // cores from the thread serving the request, for a p99 at one request in flight of 11-12 ms
    // instead of 7, at 3-7% more CPU per request (docs/performance.md). A DeploymentRuntimeConfig
    // can set others.
    NODE_OPTIONS: '--max-semi-space-size=4 --max-old-space-size=512 --v8-pool-size=1',
  },
  platform: 'linux/amd64',
};

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

async function waitForRegistry(port) {
  for (let i = 0; i < 100; i++) {
    try {
      const rsp = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (rsp.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('crane registry serve did not start');
}

/** One deterministic, gzipped layer of the root filesystem. */
function layerOf(rootfs, file) {
  run('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mode=go-w',
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    '-C',
    rootfs,
    '-cf',
    file,
    '.',
  ]);
  run('gzip', ['-n', '-9', '-f', file]);
  return `${file}.gz`;
}

/** Builds the image into `out` (default _output/image; each package build passes its own). */
export async function buildImage(out = defaultOut) {
  const crane = goTool('crane');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const rootfs = join(out, 'rootfs');
  run(join(root, 'scripts', 'build-rootfs.sh'), [rootfs], { stdio: ['ignore', 'ignore', 'inherit'] });
  const layer = layerOf(rootfs, join(out, 'rootfs.tar'));

  const port = await freePort();
  // crane logs every request of the throwaway registry; only its failure to start matters.
  const registry = spawn(crane, ['registry', 'serve', '--address', `127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  try {
    await waitForRegistry(port);
    const ref = `127.0.0.1:${port}/function-devplatform:v${version}`;
    run(crane, ['append', '--insecure', '--oci-empty-base', '-f', layer, '-t', ref]);
    const tarball = join(out, `function-devplatform-runtime-v${version}.tar`);
    run(crane, [
      'mutate',
      '--insecure',
      ref,
      '--set-platform',
      RUNTIME.platform,
      '--entrypoint',
      RUNTIME.entrypoint.join(','),
      '--workdir',
      RUNTIME.workdir,
      '--user',
      RUNTIME.user,
      ...RUNTIME.ports.flatMap((port) => ['--exposed-ports', port]),
      ...Object.entries(RUNTIME.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      '--label',
      `org.opencontainers.image.version=v${version}`,
      '--label',
      'org.opencontainers.image.title=function-devplatform',
      '-t',
      ref,
      '-o',
      tarball,
    ]);
    const digest = run(crane, ['digest', '--tarball', tarball]).trim();
    rmSync(layer);
    return { tarball, digest, rootfs, size: statSync(tarball).size };
  } finally {
    registry.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { tarball, digest } = await buildImage();
  console.log(tarball);
  console.log(digest);
}
