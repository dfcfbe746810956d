// Stand-in provider packages: for each provider a Configuration depends on, a package under exactly
// the pinned name and version that holds the real CRDs of that provider release from CRDS_DIR, so that
// Crossplane's package manager installs what the real provider would: the CRDs, turned into
// ManagedResourceDefinitions that stay inactive until our activation policy activates them (the
// stand-ins declare the safe-start capability, as the Upjet providers of Crossplane v2 do).
//
// What they cannot catch: anything the real package holds beyond its CRDs (its controller image,
// its own dependencies such as the Upjet family's provider-family-gcp, webhooks), and anything the
// provider's controller does; the e2e plays the controllers (scripts/e2e/composites.mjs).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { goTool } from '../tools.mjs';

/** The CRD files in CRDS_DIR of a provider package, by its repository's last path element. */
export function providerCrdFiles(crdsDir, provider) {
  const upjet = /^provider-(gcp|aws)-([a-z0-9]+)$/.exec(provider);
  const folder = upjet ? `provider-upjet-${upjet[1]}` : provider;
  const pattern = upjet
    ? new RegExp(`^[a-z0-9]+\\.${upjet[2]}\\.${upjet[1]}(\\.m)?\\.upbound\\.io\\.yaml$`)
    : /\.yaml$/;
  let files;
  try {
    files = readdirSync(join(crdsDir, folder)).filter((f) => pattern.test(f));
  } catch {
    files = [];
  }
  if (files.length === 0)
    throw new Error(`no CRDs for the stand-in ${provider} in ${join(crdsDir, folder)} (CRDS_DIR)`);
  return files.sort().map((f) => join(crdsDir, folder, f));
}

/** Every provider dependency of the Configurations' metadata, once: { repository, name, version }. */
export function providerDependencies(metas) {
  const byRepository = new Map();
  for (const meta of metas)
    for (const dep of meta.spec.dependsOn ?? [])
      if (dep.provider !== undefined)
        byRepository.set(dep.provider, {
          repository: dep.provider,
          name: dep.provider.split('/').pop(),
          version: dep.version,
        });
  return [...byRepository.values()];
}

/** Builds one stand-in package into `dir`; returns the package file. */
export function buildStandIn({ crdsDir, dir, name, version }) {
  const root = join(dir, name, 'package');
  mkdirSync(join(root, 'crds'), { recursive: true });
  const meta = {
    apiVersion: 'meta.pkg.crossplane.io/v1',
    kind: 'Provider',
    metadata: {
      name,
      annotations: {
        'meta.crossplane.io/description': `Stand-in for ${name} ${version} in function-devplatform's e2e: its CRDs, no controller.`,
      },
    },
    spec: { capabilities: ['safe-start'] },
  };
  writeFileSync(join(root, 'crossplane.yaml'), stringify(meta));
  for (const file of providerCrdFiles(crdsDir, name)) copyFileSync(file, join(root, 'crds', basename(file)));
  const out = join(dir, `${name}-${version}.xpkg`);
  execFileSync(
    goTool('crossplane'),
    [
      'xpkg',
      'build',
      `--package-root=${root}`,
      `--examples-root=${join(dir, name, 'examples')}`,
      `--package-file=${out}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}
