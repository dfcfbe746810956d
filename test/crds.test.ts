import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { canonicalSha256 } from '../scripts/crds.mjs';
import { buildStandIn } from '../scripts/e2e/stand-in-providers.mjs';
import { freePort, goTool, listening } from '../scripts/tools.mjs';
import { REPO } from './support/request.js';

/**
 * make crds against a mirror on 127.0.0.1 that serves copies of the CRD folder (../shared/crds or
 * CRDS_DIR): each provider package of the lock rebuilt from those copies with `crossplane xpkg build`
 * and served by crane's registry, each release file served at its URL's path. CRDS_MIRROR points the
 * script at it. The mirror stands in for xpkg.crossplane.io and GitHub's release files: it cannot
 * catch a package whose real layout differs from what `crossplane xpkg build` makes, nor an upstream
 * that moved a file; what it proves is the fetching, the checksums and the all-or-nothing write.
 */
const CRDS = resolve(REPO, process.env.CRDS_DIR || '../shared/crds');
const run = promisify(execFile);

interface LockEntry {
  file: string;
  package?: string;
  url?: string;
  sha256?: string;
  canonicalSha256?: string;
}
const lock = (
  JSON.parse(readFileSync(join(REPO, 'schemas', 'crds.lock.json'), 'utf8')) as { files: LockEntry[] }
).files;

const available = existsSync(CRDS);
(available ? describe : describe.skip)('make crds (scripts/crds.mjs) against a mirror', () => {
  let work: string;
  let registry: ChildProcess;
  let mirror: Server;
  let mirrorUrl: string;
  let backend: number;
  const tampered = new Map<string, Buffer>();

  const push = (file: string, ref: string) =>
    execFileSync(goTool('crane'), ['push', '--insecure', file, `127.0.0.1:${backend}/${ref}`], {
      stdio: 'ignore',
    });
  const packagesOf = () => [...new Set(lock.flatMap((e) => (e.package ? [e.package] : [])))];
  const fetchInto = (out: string) =>
    run(process.execPath, [join(REPO, 'scripts', 'crds.mjs'), '--out', out], {
      env: { ...process.env, CRDS_MIRROR: mirrorUrl },
    });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'crds-mirror-'));
    backend = await freePort();
    registry = spawn(goTool('crane'), ['registry', 'serve', `--address=127.0.0.1:${backend}`], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && !(await listening(backend)); i++) await new Promise((r) => setTimeout(r, 100));
    // Release files at their URL's path, as https://host/path -> mirror/host/path.
    for (const e of lock.filter((x) => x.url !== undefined)) {
      const url = new URL(e.url!);
      const target = join(work, 'files', url.host, url.pathname);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(CRDS, e.file), target);
    }
    for (const ref of packagesOf()) {
      const [repository, version] = ref.split(':') as [string, string];
      const name = repository.split('/').pop()!;
      push(
        buildStandIn({ crdsDir: CRDS, dir: join(work, 'packages'), name, version }),
        `crossplane-contrib/${name}:${version}`,
      );
    }
    mirror = createServer((req, res) => {
      if (req.url!.startsWith('/v2/')) {
        const upstream = request(
          { host: '127.0.0.1', port: backend, method: req.method, path: req.url, headers: req.headers },
          (a) => {
            res.writeHead(a.statusCode ?? 502, a.headers);
            a.pipe(res);
          },
        );
        req.pipe(upstream);
        return;
      }
      const file = join(work, 'files', decodeURIComponent(req.url!));
      if (!existsSync(file)) return res.writeHead(404).end();
      res.writeHead(200).end(tampered.get(req.url!) ?? readFileSync(file));
    });
    const port = await freePort();
    await new Promise<void>((r) => mirror.listen(port, '127.0.0.1', r));
    mirrorUrl = `http://127.0.0.1:${port}`;
  }, 300_000);

  afterAll(async () => {
    registry?.kill();
    await new Promise((r) => mirror?.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it('lists every file of the CRD folder, each once', () => {
    const files = lock.map((e) => e.file);
    expect(new Set(files).size).toBe(files.length);
    expect(files.length).toBeGreaterThan(100);
    for (const e of lock) expect(Boolean(e.package) !== Boolean(e.url)).toBe(true);
  });

  it('fetches every schema, checks it and writes the CRD folder layout', async () => {
    const out = join(work, 'out');
    const { stdout } = await fetchInto(out);
    expect(stdout.trim()).toBe(out);
    for (const e of lock) {
      const written = readFileSync(join(out, e.file));
      if (e.url !== undefined) expect(written.equals(readFileSync(join(CRDS, e.file)))).toBe(true);
      else
        expect(canonicalSha256(written.toString('utf8'))).toBe(
          canonicalSha256(readFileSync(join(CRDS, e.file), 'utf8')),
        );
    }
  }, 300_000);

  it('fails loudly on a release file whose checksum does not match, and writes nothing', async () => {
    const entry = lock.find((e) => e.file === 'vcluster/values.schema.json')!;
    const url = new URL(entry.url!);
    tampered.set(
      `/${url.host}${url.pathname}`,
      Buffer.concat([readFileSync(join(CRDS, entry.file)), Buffer.from('\n')]),
    );
    const out = join(work, 'tampered-file');
    try {
      await expect(fetchInto(out)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(
          /vcluster\/values\.schema\.json: checksum mismatch .* expected [0-9a-f]{64} .* got [0-9a-f]{64}/,
        ),
      });
      expect(existsSync(out)).toBe(false);
    } finally {
      tampered.clear();
    }
  }, 300_000);

  it('fails loudly on a package whose CRD differs from its checksum, and writes nothing', async () => {
    const crdsCopy = join(work, 'tampered-crds');
    cpSync(join(CRDS, 'provider-helm'), join(crdsCopy, 'provider-helm'), { recursive: true });
    const release = join(crdsCopy, 'provider-helm', 'releases.helm.m.crossplane.io.yaml');
    writeFileSync(
      release,
      readFileSync(release, 'utf8').replace(
        'name: releases.helm.m.crossplane.io',
        'name: releases.helm.m.crossplane.io\n  labels: {tampered: "true"}',
      ),
    );
    const ref = packagesOf().find((p) => p.includes('/provider-helm:'))!;
    const version = ref.split(':')[1]!;
    push(
      buildStandIn({ crdsDir: crdsCopy, dir: join(work, 'tampered'), name: 'provider-helm', version }),
      `crossplane-contrib/provider-helm:${version}`,
    );
    const out = join(work, 'tampered-package');
    await expect(fetchInto(out)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('provider-helm/releases.helm.m.crossplane.io.yaml: checksum mismatch'),
    });
    expect(existsSync(out)).toBe(false);
  }, 300_000);
});
