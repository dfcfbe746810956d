// Plays Crossplane's External package runtime: with PACKAGE_RUNTIME=External, Crossplane installs
// packages and revisions but starts nothing, and waits for an external controller to do what its
// Deployment runtime does (internal/controller/pkg/runtime/runtime_function.go and
// runtime_provider.go): a `<package>-tls-server` Secret holding the runtime's serving certificate,
// status.tlsServerSecretName naming it (the revision establisher waits for it before it installs a
// revision's objects), status.endpoint for a function, and RuntimeHealthy once the runtime runs.
//
// Our Function's active revision points at the function this run started (the built server, mTLS),
// the first one and any upgrade alike. An inactive revision points at a port where nothing listens,
// as a real runtime removes an inactive revision's Deployment: a Crossplane that still called the old
// revision after an upgrade would fail to compose. Providers are stand-ins whose
// controllers never run (the test plays them, scripts/e2e/composites.mjs): their revisions get a
// certificate from the run's CA only because the establisher needs one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conditionOf } from './kube.mjs';

const PKG = 'pkg.crossplane.io/v1';
const PARENT_LABEL = 'pkg.crossplane.io/package';
/** Where an inactive function revision "runs": nowhere (port 1 on loopback refuses connections). */
const INACTIVE_ENDPOINT = 'dns:///127.0.0.1:1';

function tlsSecret(name, tlsDir) {
  const file = (f) => readFileSync(join(tlsDir, f)).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'crossplane-system' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': file('tls.crt'), 'tls.key': file('tls.key'), 'ca.crt': file('ca.crt') },
  };
}

/** Brings one revision's runtime status to what a running runtime would report. */
async function playRevision(kube, rev, { endpoint, tlsDir, secrets }) {
  const parent = rev.metadata.labels?.[PARENT_LABEL];
  if (parent === undefined) return;
  const secretName = `${parent}-tls-server`;
  if (!secrets.has(secretName)) {
    await kube.apply(tlsSecret(secretName, tlsDir));
    secrets.add(secretName);
  }
  const status = rev.status ?? {};
  const wanted = { tlsServerSecretName: secretName, ...(endpoint !== undefined ? { endpoint } : {}) };
  if (Object.entries(wanted).some(([k, v]) => status[k] !== v)) {
    await kube.merge(rev, { status: wanted }, 'status');
    return;
  }
  if (conditionOf(rev, 'RuntimeHealthy')?.status !== 'True') {
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'RuntimeHealthy');
    conditions.push({
      type: 'RuntimeHealthy',
      status: 'True',
      reason: 'HealthyPackageRevision',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    });
    await kube.merge(rev, { status: { conditions } }, 'status');
  }
}

/**
 * Plays the runtime for every FunctionRevision and ProviderRevision until stop() is called, once a
 * second. `functionEndpoint` is where our function serves; `certs` the run's certificates.
 */
export function playPackageRuntime({ kube, functionEndpoint, certs }) {
  const secrets = new Set();
  let stopped = false;
  let lastError;
  const round = async () => {
    for (const rev of await kube.list(PKG, 'FunctionRevision')) {
      const endpoint = rev.spec.desiredState === 'Active' ? functionEndpoint : INACTIVE_ENDPOINT;
      await playRevision(kube, rev, { endpoint, tlsDir: certs.function, secrets });
    }
    for (const rev of await kube.list(PKG, 'ProviderRevision'))
      await playRevision(kube, rev, { tlsDir: certs.function, secrets });
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        await round();
        lastError = undefined;
      } catch (err) {
        lastError = err; // a conflict with Crossplane's own status update: the next round retries
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  return {
    lastError: () => lastError,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
