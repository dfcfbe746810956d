// Builds the Crossplane packages into _output/, versioned from package.json, without Docker:
//   function-devplatform-v<version>.xpkg                 the Function, with its runtime image embedded
//   configuration-devplatform-v<version>.xpkg            v2 XRDs and Compositions (apis/devenvironment, apis/appstack)
//   configuration-devplatform-claims-v<version>.xpkg     legacy XRDs, claims and Compositions (apis/claims)
// and _output/packages.json (files, digests, sizes). Needs the build (npm run build) and the pinned
// tools (scripts/install-go-tool.sh crossplane|crane, built on first use).
//
//   XPKG_REGISTRY  where the packages will be pushed (default xpkg.crossplane.io/devplatform): the
//                  Configurations depend on the function there, and their Compositions call it by
//                  the name Crossplane gives it when it installs it from there (scripts/package-name.mjs)
//   XPKG_VERSION   the version to build (default package.json's), stamped into every package
//   XPKG_OUTPUT    where to write them (default _output)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { buildImage } from './build-image.mjs';
import { DEFAULT_XPKG_REGISTRY, FUNCTION_PACKAGE, functionName } from './package-name.mjs';
import { goTool, walk } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What to build: for which registry, which version, into which folder. */
function buildOptions({ registry, version, out } = {}) {
  const packageVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const v = version ?? (process.env.XPKG_VERSION || packageVersion);
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v))
    throw new Error(`XPKG_VERSION "${v}": expected a semantic version such as 0.1.1 (no leading v)`);
  const output = resolve(root, out ?? (process.env.XPKG_OUTPUT || '_output'));
  return {
    registry: registry ?? (process.env.XPKG_REGISTRY || DEFAULT_XPKG_REGISTRY),
    tag: `v${v}`,
    out: output,
    stage: join(output, 'stage'),
  };
}

/**
 * The package metadata, stamped with the version being built (so that every version is a package
 * of its own), with the function dependency pinned to this build and its registry.
 */
function pinnedMeta(file, { registry, tag }) {
  const [doc] = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  doc.metadata.annotations = { ...doc.metadata.annotations, [VERSION_ANNOTATION]: tag };
  for (const dep of doc.spec.dependsOn ?? []) {
    if (dep.function !== undefined && dep.function.endsWith(`/${FUNCTION_PACKAGE}`)) {
      dep.function = `${registry}/${FUNCTION_PACKAGE}`;
      dep.version = tag;
    }
  }
  return stringify(doc);
}

/** The annotation on each package's metadata that says which version it is. */
export const VERSION_ANNOTATION = 'devplatform.io/package-version';

/**
 * A Composition calling the function by the name it gets when installed from `registry`. apis/ is
 * written for the default registry; anything else there is a mistake this build will not package.
 */
function compositionFor(file, { registry }) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const doc of docs) {
    const pipeline = doc.getIn(['spec', 'pipeline']);
    for (const [i] of (pipeline?.items ?? []).entries()) {
      const ref = doc.getIn(['spec', 'pipeline', i, 'functionRef', 'name']);
      if (ref !== functionName())
        throw new Error(
          `${relative(root, file)}: spec.pipeline[${i}].functionRef.name is "${ref}"; the Compositions in ` +
            `apis/ call the function by the name Crossplane gives it from ${DEFAULT_XPKG_REGISTRY}: "${functionName()}"`,
        );
      doc.setIn(['spec', 'pipeline', i, 'functionRef', 'name'], functionName(registry));
    }
  }
  return docs.map((d) => d.toString()).join('---\n');
}

/**
 * Stages a Configuration: its crossplane.yaml, its ManagedResourceActivationPolicy, the XRD and
 * Composition of each API folder, and as examples the XRs and claims users submit (not the observed
 * states the tests use).
 */
function stageConfiguration({ name, meta, activation, apiDirs, exampleFiles }, options) {
  const dir = join(options.stage, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'package'), { recursive: true });
  writeFileSync(join(dir, 'package', 'crossplane.yaml'), pinnedMeta(meta, options));
  cpSync(activation, join(dir, 'package', 'activation.yaml'));
  for (const api of apiDirs) {
    const target = join(dir, 'package', relative(join(root, 'apis'), api));
    mkdirSync(target, { recursive: true });
    cpSync(join(api, 'definition.yaml'), join(target, 'definition.yaml'));
    writeFileSync(join(target, 'composition.yaml'), compositionFor(join(api, 'composition.yaml'), options));
  }
  for (const file of exampleFiles) {
    const target = join(dir, 'examples', relative(join(root, 'examples'), file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
  return dir;
}

function xpkgBuild(packageRoot, examplesRoot, file, extra = []) {
  execFileSync(
    goTool('crossplane'),
    [
      'xpkg',
      'build',
      `--package-root=${packageRoot}`,
      `--examples-root=${examplesRoot}`,
      `--package-file=${file}`,
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return file;
}

function sha256(file) {
  return `sha256:${execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]}`;
}

/** Builds the three packages; `options` override XPKG_REGISTRY, XPKG_VERSION and XPKG_OUTPUT. */
export async function buildPackages(overrides) {
  const options = buildOptions(overrides);
  const { registry, tag, out, stage } = options;
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out).filter((f) => f.endsWith('.xpkg'))) rmSync(join(out, f));
  const image = await buildImage(join(out, 'image'));

  const fnStage = join(stage, 'function');
  rmSync(fnStage, { recursive: true, force: true });
  mkdirSync(fnStage, { recursive: true });
  cpSync(join(root, 'package'), join(fnStage, 'package'), { recursive: true });
  writeFileSync(
    join(fnStage, 'package', 'crossplane.yaml'),
    pinnedMeta(join(root, 'package', 'crossplane.yaml'), options),
  );
  const fn = xpkgBuild(
    join(fnStage, 'package'),
    join(fnStage, 'examples'),
    join(out, `function-devplatform-${tag}.xpkg`),
    [`--embed-runtime-image-tarball=${image.tarball}`],
  );

  const examples = walk(join(root, 'examples'));
  const v2 = stageConfiguration(
    {
      name: 'configuration',
      meta: join(root, 'crossplane.yaml'),
      activation: join(root, 'apis', 'activation.yaml'),
      apiDirs: ['devenvironment', 'appstack'].map((a) => join(root, 'apis', a)),
      exampleFiles: examples.filter((f) => /examples\/(devenvironment|appstack)\/[^/]+\/xr\.yaml$/.test(f)),
    },
    options,
  );
  const configuration = xpkgBuild(
    join(v2, 'package'),
    join(v2, 'examples'),
    join(out, `configuration-devplatform-${tag}.xpkg`),
  );
  const legacy = stageConfiguration(
    {
      name: 'configuration-claims',
      meta: join(root, 'apis', 'claims', 'crossplane.yaml'),
      activation: join(root, 'apis', 'claims', 'activation.yaml'),
      apiDirs: ['devenvironment', 'appstack'].map((a) => join(root, 'apis', 'claims', a)),
      exampleFiles: examples.filter((f) => /examples\/claims\/[^/]+\/claim\.yaml$/.test(f)),
    },
    options,
  );
  const claims = xpkgBuild(
    join(legacy, 'package'),
    join(legacy, 'examples'),
    join(out, `configuration-devplatform-claims-${tag}.xpkg`),
  );

  const packages = {
    version: tag,
    registry,
    functionName: functionName(registry),
    runtimeImage: { file: relative(root, image.tarball), digest: image.digest, bytes: image.size },
    packages: [fn, configuration, claims].map((file) => ({
      file: relative(root, file),
      sha256: sha256(file),
      bytes: statSync(file).size,
    })),
  };
  writeFileSync(join(out, 'packages.json'), `${JSON.stringify(packages, null, 2)}\n`);
  return packages;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildPackages();
  console.log(`runtime image ${built.runtimeImage.digest} (${built.runtimeImage.file})`);
  for (const p of built.packages) console.log(`${p.file}  ${p.sha256}  ${p.bytes} bytes`);
}
