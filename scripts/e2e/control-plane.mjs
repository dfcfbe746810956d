// The end-to-end test's control plane, every part a real process on 127.0.0.1: etcd, kube-apiserver,
// kube-controller-manager (garbage collector and namespace controller), Crossplane core (out of
// cluster, package runtime External, its Usage webhook served on loopback and registered by URL) and
// our function serving mTLS. Each is started by path and stopped by its process id, whatever happens.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificates } from '../certs.mjs';
import { freePort, listening, yamlDocs } from '../tools.mjs';
import { Kube, waitFor } from './kube.mjs';

/** Processes started, newest last; stopAll() ends them in reverse order. */
const started = [];

/** Starts a process whose output goes to logs/<name>.log; stopAll() ends it. */
export function startProcess(name, command, args, { dir, env = {} }) {
  const log = join(dir, 'logs', `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
  });
  closeSync(fd);
  const proc = { name, child, log, exited: undefined };
  proc.exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      proc.exited = { code, signal };
      resolve(proc.exited);
    }),
  );
  child.once('error', (err) => {
    proc.exited = { code: null, signal: null, error: err };
  });
  started.push(proc);
  return proc;
}

/** Ends every process this module started, by pid: SIGTERM, then SIGKILL after 5 s. */
export async function stopAll() {
  for (const proc of started.reverse()) {
    if (proc.exited !== undefined) continue;
    proc.child.kill('SIGTERM');
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5_000);
    await proc.exit;
    clearTimeout(timer);
  }
  started.length = 0;
}

/** The last lines of each started process's log, for a failure report. */
export function logTails(lines = 25) {
  return started.map((p) => {
    const text = readFileSync(p.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    return `--- ${p.name} (${p.log}) ---\n${text}`;
  });
}

function alive(proc) {
  if (proc.exited !== undefined)
    throw new Error(`${proc.name} exited (${JSON.stringify(proc.exited)}); see ${proc.log}`);
}

async function httpOk(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/**
 * Certificates from one CA: the API server's and the function's serving certificate (127.0.0.1),
 * Crossplane's client certificate, and the service-account signing key.
 */
function pki(dir) {
  const ca = join(dir, 'pki');
  mkdirSync(ca, { recursive: true });
  certificates(ca);
  const fn = join(dir, 'pki', 'function');
  const xp = join(dir, 'pki', 'crossplane');
  // Crossplane's webhook server: the 127.0.0.1 serving certificate, as the API server's.
  const webhook = join(dir, 'pki', 'crossplane-webhook');
  for (const [target, name] of [
    [fn, 'tls'],
    [xp, 'client'],
    [webhook, 'tls'],
  ]) {
    mkdirSync(target, { recursive: true });
    copyFileSync(join(ca, 'ca.crt'), join(target, 'ca.crt'));
    copyFileSync(join(ca, `${name}.crt`), join(target, 'tls.crt'));
    copyFileSync(join(ca, `${name}.key`), join(target, 'tls.key'));
  }
  execFileSync('openssl', ['genrsa', '-out', 'sa.key', '2048'], { cwd: ca, stdio: 'ignore' });
  execFileSync('openssl', ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], {
    cwd: ca,
    stdio: 'ignore',
  });
  return { dir: ca, function: fn, crossplane: xp, webhook };
}

/**
 * Starts etcd and kube-apiserver and returns a client for it, plus a kubeconfig file for Crossplane.
 * @param {{dir: string, tools: Record<string, string>}} options
 */
export async function startApiServer({ dir, tools, step }) {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const certs = pki(dir);
  const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const peerUrl = `http://127.0.0.1:${etcdPeer}`;
  step(`etcd on ${etcdUrl}`);
  const etcd = startProcess(
    'etcd',
    tools.etcd,
    [
      '--name=e2e',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
      '--listen-metrics-urls=',
      '--unsafe-no-fsync',
      // The largest upstream CRDs come close to etcd's 1.5 MiB default request limit.
      '--max-request-bytes=10485760',
    ],
    { dir },
  );
  await waitFor('etcd health', async () => (alive(etcd), httpOk(`${etcdUrl}/health`)), 30_000);

  const token = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${token},e2e-admin,e2e-admin,system:masters\n`);
  const server = `https://127.0.0.1:${apiPort}`;
  step(`kube-apiserver on ${server}`);
  const apiserver = startProcess(
    'kube-apiserver',
    tools['kube-apiserver'],
    [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${join(certs.dir, 'tls.crt')}`,
      `--tls-private-key-file=${join(certs.dir, 'tls.key')}`,
      `--client-ca-file=${join(certs.dir, 'ca.crt')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${join(certs.dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(certs.dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--disable-admission-plugins=ServiceAccount',
      '--enable-priority-and-fairness=false',
    ],
    { dir },
  );
  const ca = readFileSync(join(certs.dir, 'ca.crt'));
  const kube = new Kube({ server, token, ca });
  await waitFor(
    'kube-apiserver /readyz',
    async () => (alive(apiserver), (await kube.call('GET', '/readyz')) === 'ok'),
    180_000,
    1_000,
  );

  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority': join(certs.dir, 'ca.crt') } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'admin' } }],
      'current-context': 'e2e',
    }),
  );
  return { kube, kubeconfig, certs };
}

/**
 * Starts our built function serving mTLS on 127.0.0.1 and returns its gRPC endpoint; with
 * E2E_DROP_USAGE, the deliberately broken build (scripts/e2e/broken-function.mjs) instead.
 */
export async function startFunction({ dir, root, certs, step }) {
  const port = await freePort();
  const broken = process.env.E2E_DROP_USAGE;
  step(`function-devplatform on 127.0.0.1:${port} (mTLS)${broken ? `, BROKEN: leaves out ${broken}` : ''}`);
  const fn = startProcess(
    'function',
    process.execPath,
    [
      broken
        ? join(root, 'scripts', 'e2e', 'broken-function.mjs')
        : join(root, 'dist', 'functions', 'server', 'main.js'),
      `--address=127.0.0.1:${port}`,
      `--tls-server-certs-dir=${certs.function}`,
      '--metrics-address=',
    ],
    { dir },
  );
  await waitFor('the function to listen', async () => (alive(fn), listening(port)), 30_000, 200);
  return { endpoint: `dns:///127.0.0.1:${port}`, process: fn };
}

/**
 * Starts kube-controller-manager with the two controllers deletion needs: the garbage collector
 * (composed resources go with their XR, connection Secrets with their owners) and the namespace
 * controller (a deleted namespace takes what is in it). The others (nodes, pods, service accounts)
 * have nothing to do here.
 */
export async function startControllerManager({ dir, tools, kubeconfig, step }) {
  const health = await freePort();
  step(`kube-controller-manager (garbage collector, namespace controller), healthz on 127.0.0.1:${health}`);
  const kcm = startProcess(
    'kube-controller-manager',
    tools['kube-controller-manager'],
    [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--controllers=garbage-collector-controller,namespace-controller',
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${health}`,
      `--cert-dir=${join(dir, 'kcm-certs')}`,
      // Sooner than the default 30 s, so a deleted namespace's contents go while the e2e watches.
      '--namespace-sync-period=10s',
    ],
    { dir },
  );
  await waitFor(
    'kube-controller-manager /healthz',
    async () => (alive(kcm), insecureOk(`https://127.0.0.1:${health}/healthz`)),
    60_000,
    1_000,
  );
  return kcm;
}

/** GET over TLS without verifying the server (kube-controller-manager's self-signed healthz). */
async function insecureOk(url) {
  const { request } = await import('node:https');
  return new Promise((resolve) => {
    const req = request(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Registers Crossplane's Usage webhook, served by `crossplane core start` on 127.0.0.1, by URL:
 * the pinned module's own ValidatingWebhookConfiguration (cluster/webhookconfigurations/usage.yaml,
 * every DELETE of an object labelled crossplane.io/in-use), with the run's CA. In a cluster,
 * `crossplane core init` points it at the webhook Service instead; there is no Service here.
 */
async function registerUsageWebhook({ kube, webhooks, port, certs }) {
  const [config] = yamlDocs(join(webhooks, 'usage.yaml'));
  const caBundle = readFileSync(join(certs.dir, 'ca.crt')).toString('base64');
  await kube.apply({
    ...config,
    webhooks: config.webhooks.map((hook) => ({
      ...hook,
      clientConfig: { url: `https://127.0.0.1:${port}${hook.clientConfig.service.path}`, caBundle },
    })),
  });
}

/** Runs `crossplane core init` (core CRDs, lock) and starts `crossplane core start`. */
export async function startCrossplane({ dir, tools, kubeconfig, certs, crds, webhooks, kube, step }) {
  const [metrics, health, webhookPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    KUBECONFIG: kubeconfig,
    POD_NAMESPACE: 'crossplane-system',
    ENABLE_WEBHOOKS: 'false',
    TLS_CA_SECRET_NAME: 'crossplane-root-ca',
    TLS_CLIENT_SECRET_NAME: 'crossplane-tls-client',
  };
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crossplane-system' } });
  step('crossplane core init (core CRDs from the pinned module)');
  // init applies the core CRDs and then the Lock at once; its discovery can lag the new CRDs
  // ("no matches for kind Lock"). Every step is idempotent, so a second run finishes the job.
  await waitFor(
    'crossplane core init to succeed',
    async () => {
      execFileSync(tools['crossplane-core'], ['core', 'init'], {
        env: { ...process.env, ...env, CRDS_PATH: crds },
        stdio: ['ignore', openSync(join(dir, 'logs', 'crossplane-init.log'), 'a'), 'pipe'],
      });
      return true;
    },
    60_000,
    2_000,
  );
  const cacheDir = join(dir, 'xpkg-cache');
  mkdirSync(cacheDir, { recursive: true });
  // CA_BUNDLE_PATH: Crossplane trusts the run's CA when it pulls packages from the e2e's registry.
  // --enable-dependency-version-upgrades: a Configuration moved to a new version moves the function
  // it depends on too (alpha in v2.2; without it the Function stays at the version first installed).
  step(
    `crossplane core start (package runtime External, Usage webhook on 127.0.0.1:${webhookPort}, dependency upgrades on)`,
  );
  const core = startProcess(
    'crossplane',
    tools['crossplane-core'],
    [
      '--debug',
      'core',
      'start',
      '--poll-interval=5s',
      '--sync-interval=1m',
      '--enable-dependency-version-upgrades',
    ],
    {
      dir,
      env: {
        ...env,
        PACKAGE_RUNTIME: 'External',
        TLS_CLIENT_CERTS_DIR: certs.crossplane,
        CA_BUNDLE_PATH: join(certs.dir, 'ca.crt'),
        XPKG_CACHE_DIR: cacheDir,
        XFN_CACHE_DIR: join(dir, 'xfn-cache'),
        METRICS_PORT: String(metrics),
        HEALTH_PROBE_PORT: String(health),
        // init ran without webhooks (it would point them at a Service); start serves the Usage
        // webhook, and with it runs the Usage controllers (both need ENABLE_WEBHOOKS in v2.2).
        ENABLE_WEBHOOKS: 'true',
        WEBHOOK_PORT: String(webhookPort),
        TLS_SERVER_CERTS_DIR: certs.webhook,
      },
    },
  );
  await waitFor(
    'crossplane /readyz',
    async () => (alive(core), httpOk(`http://127.0.0.1:${health}/readyz`)),
    120_000,
    1_000,
  );
  await registerUsageWebhook({ kube, webhooks, port: webhookPort, certs });
  return { cacheDir, process: core };
}
