// Installs our Function through Crossplane's package manager, offline: the package's package.yaml
// stream (package/crossplane.yaml and the input CRD, what `crossplane xpkg build` puts in its base
// layer) is seeded into the package cache under the name Crossplane looks for, the Function refers to
// it by digest with packagePullPolicy Never, and the test then plays the External package runtime:
// it points the active FunctionRevision's status.endpoint at the function it started.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { conditionOf, waitFor } from './kube.mjs';

export const FUNCTION_NAME = 'function-devplatform';
const SOURCE = 'example.invalid/devplatform/function-devplatform';

/** crossplane/internal/xpkg ToDNSLabel, byte for byte. */
function toDnsLabel(s) {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const b = s[i];
    if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) out += b;
    if ('./:-'.includes(b) && i !== 0 && i !== 62 && i !== s.length - 1) out += '-';
    if (i === 62) break;
  }
  return out.replace(/^-+|-+$/g, '');
}

/** crossplane/internal/xpkg FriendlyID: the cache file and revision name of a package version. */
export function friendlyId(name, hash) {
  return toDnsLabel(`${name.slice(0, 50)}-${hash.slice(0, 12)}`);
}

/** The package.yaml stream of the Function package: its metadata, then the input CRD. */
export function packageStream(root) {
  const inputDir = join(root, 'package', 'input');
  const files = [
    join(root, 'package', 'crossplane.yaml'),
    ...readdirSync(inputDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(inputDir, f)),
  ];
  return files.map((f) => `---\n${readFileSync(f, 'utf8').trimEnd()}\n`).join('');
}

/**
 * Seeds the cache, installs the Function and plays the External package runtime for its revision,
 * as Crossplane's own runtime controller does for a Deployment (internal/controller/pkg/runtime/
 * runtime_function.go): the Function's TLS server Secret holds the function's serving
 * certificate (what the function's pod would mount), status.tlsServerSecretName says it is there,
 * status.endpoint says where the function listens, and RuntimeHealthy says it runs.
 * Returns the FunctionRevision's name.
 */
export async function installFunction({ kube, root, cacheDir, endpoint, tlsDir, step }) {
  const stream = packageStream(root);
  const hex = createHash('sha256').update(stream).digest('hex');
  const digest = `sha256:${hex}`;
  writeFileSync(join(cacheDir, `${friendlyId(SOURCE, digest)}.gz`), gzipSync(stream));
  step(`Function ${FUNCTION_NAME} from the seeded package cache (${digest.slice(0, 19)}…)`);
  await kube.apply({
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: { name: FUNCTION_NAME },
    spec: { package: `${SOURCE}@${digest}`, packagePullPolicy: 'Never' },
  });
  const revisionName = friendlyId(FUNCTION_NAME, hex);
  await waitFor(
    `the package manager to create FunctionRevision ${revisionName}`,
    () => kube.find('pkg.crossplane.io/v1', 'FunctionRevision', revisionName),
    60_000,
  );
  // The name Crossplane gives a Function's TLS server Secret (apis/pkg/v1 GetSecretNameWithSuffix).
  const secretName = `${FUNCTION_NAME}-tls-server`;
  step(`the External runtime: Secret ${secretName}, status.endpoint ${endpoint}`);
  const file = (name) => readFileSync(join(tlsDir, name)).toString('base64');
  await kube.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace: 'crossplane-system' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': file('tls.crt'), 'tls.key': file('tls.key'), 'ca.crt': file('ca.crt') },
  });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await waitFor(
    `Function ${FUNCTION_NAME} to be Healthy`,
    async () => {
      const rev = await kube.get('pkg.crossplane.io/v1', 'FunctionRevision', revisionName);
      const status = rev.status ?? {};
      if (status.endpoint !== endpoint || status.tlsServerSecretName !== secretName) {
        await kube.merge(rev, { status: { endpoint, tlsServerSecretName: secretName } }, 'status');
        return undefined;
      }
      if (conditionOf(rev, 'RuntimeHealthy')?.status !== 'True') {
        const conditions = (status.conditions ?? []).filter((c) => c.type !== 'RuntimeHealthy');
        conditions.push({
          type: 'RuntimeHealthy',
          status: 'True',
          reason: 'HealthyPackageRevision',
          lastTransitionTime: now,
        });
        await kube.merge(rev, { status: { conditions } }, 'status');
        return undefined;
      }
      const fn = await kube.get('pkg.crossplane.io/v1', 'Function', FUNCTION_NAME);
      return conditionOf(fn, 'Healthy')?.status === 'True' ? fn : undefined;
    },
    90_000,
    1_000,
  );
  return revisionName;
}
