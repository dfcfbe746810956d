// Installs the platform the way a platform team does (README, "Install"): the packages `make xpkg`
// builds are pushed to a registry, one ImageConfig points the pinned providers' registry path at a
// mirror, and two Configurations are created; Crossplane's package manager resolves the rest (our
// Function, every provider at its pinned version), installs the revisions and establishes the XRDs
// and Compositions. Nothing here creates a Function, a revision or a CRD by hand.
import { join } from 'node:path';
import { buildPackages } from '../build-packages.mjs';
import { yamlDocs } from '../tools.mjs';
import { conditionOf, waitFor } from './kube.mjs';
import { buildStandIn, providerDependencies } from './stand-in-providers.mjs';

const PKG = 'pkg.crossplane.io/v1';
/** Where the Configurations' provider dependencies live; the e2e's registry mirrors that path. */
const MIRRORED_PATH = 'crossplane-contrib/';
const PROVIDER_REGISTRY = `xpkg.crossplane.io/${MIRRORED_PATH}`;

/** The Configurations we ship: their package name and metadata file. */
export const CONFIGURATIONS = [
  { name: 'configuration-devplatform', meta: 'crossplane.yaml' },
  { name: 'configuration-devplatform-claims', meta: join('apis', 'claims', 'crossplane.yaml') },
];

/** Builds the packages of `version` for the registry path and pushes them; returns what was pushed. */
export async function publish({ root, registry, path, version, dir }) {
  const built = await buildPackages({
    registry: `${registry.address}/${path}`,
    version,
    out: join(dir, `xpkg-${version}`),
  });
  const pushed = {};
  for (const p of built.packages) {
    const name = /([a-z-]+)-v[^/]+\.xpkg$/.exec(p.file)[1];
    pushed[name] = registry.push(join(root, p.file), `${path}/${name}`, built.version);
  }
  return { ...built, pushed };
}

/** Builds and pushes a stand-in for every provider the Configurations pin. */
export function publishStandIns({ root, registry, crdsDir, dir }) {
  const metas = CONFIGURATIONS.map((c) => yamlDocs(join(root, c.meta))[0]);
  const providers = providerDependencies(metas);
  for (const p of providers) {
    if (!p.repository.startsWith(PROVIDER_REGISTRY))
      throw new Error(`${p.repository}: the e2e mirrors only ${PROVIDER_REGISTRY}`);
    const file = buildStandIn({ crdsDir, dir: join(dir, 'stand-ins'), name: p.name, version: p.version });
    registry.push(file, `${MIRRORED_PATH}${p.name}`, p.version);
  }
  return providers;
}

/** The ImageConfig a platform with a registry mirror uses: pull the providers from the mirror. */
export function mirrorProviders(registry) {
  return {
    apiVersion: 'pkg.crossplane.io/v1beta1',
    kind: 'ImageConfig',
    metadata: { name: 'e2e-provider-mirror' },
    spec: {
      matchImages: [{ type: 'Prefix', prefix: PROVIDER_REGISTRY }],
      rewriteImage: { prefix: `${registry.address}/${MIRRORED_PATH}` },
    },
  };
}

/** The Configurations at `version` from the registry path. */
export function configurations(registry, path, tag) {
  return CONFIGURATIONS.map(({ name }) => ({
    apiVersion: PKG,
    kind: 'Configuration',
    metadata: { name },
    spec: { package: `${registry.address}/${path}/${name}:${tag}` },
  }));
}

const healthy = (o) => conditionOf(o, 'Healthy')?.status === 'True';

/**
 * Waits until both Configurations, the one Function Crossplane installed for them and every pinned
 * provider are Healthy at the expected versions (and the Function on a revision other than
 * `previousRevision`); returns them.
 */
export async function installed(kube, { tag, providers, timeout, previousRevision }) {
  return waitFor(
    `the Configurations, the Function and ${providers.length} providers to be Healthy at ${tag}`,
    async () => {
      const configs = await Promise.all(CONFIGURATIONS.map((c) => kube.find(PKG, 'Configuration', c.name)));
      if (!configs.every((c) => c && healthy(c) && c.spec.package.endsWith(`:${tag}`))) return undefined;
      const functions = await kube.list(PKG, 'Function');
      const fn = functions.find((f) => f.spec.package.endsWith(`/function-devplatform:${tag}`));
      if (functions.length !== 1 || !fn || !healthy(fn)) return undefined;
      // After an upgrade, Healthy may still be the previous revision's until the new one takes over.
      if (fn.status?.currentRevision === undefined || fn.status.currentRevision === previousRevision)
        return undefined;
      const installedProviders = await kube.list(PKG, 'Provider');
      if (installedProviders.filter(healthy).length < providers.length) return undefined;
      return { configs, fn, providers: installedProviders };
    },
    timeout,
    1_000,
  );
}
