// Builds the Crossplane packages into _output/, versioned from package.json, without Docker:
//   function-devplatform-v<version>.xpkg                 the Function, with its runtime image embedded
//   configuration-devplatform-v<version>.xpkg            v2 XRDs and Compositions (apis/devenvironment, apis/appstack)
//   configuration-devplatform-claims-v<version>.xpkg     legacy XRDs, claims and Compositions (apis/claims)
// and _output/packages.json (files, digests, sizes). Needs the build (npm run build) and the pinned
// tools (scripts/install-go-tool.sh crossplane|crane, built on first use).
//
//   XPKG_REGISTRY  where the packages will be pushed, as the Configurations name their function
//                  dependency (default xpkg.crossplane.io/devplatform)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { buildImage } from './build-image.mjs';
import { goTool, walk } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tag = `v${version}`;
const registry = process.env.XPKG_REGISTRY ?? 'xpkg.crossplane.io/devplatform';
const out = join(root, '_output');
const stage = join(out, 'stage');

/** The package metadata with the function dependency pinned to this build and its registry. */
function pinnedMeta(file) {
  const [doc] = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  for (const dep of doc.spec.dependsOn ?? []) {
    if (dep.function !== undefined && dep.function.endsWith('/function-devplatform')) {
      dep.function = `${registry}/function-devplatform`;
      dep.version = tag;
    }
  }
  return stringify(doc);
}

/**
 * Stages a Configuration: its crossplane.yaml, the XRD and Composition of each API folder, and as
 * examples the XRs and claims users submit (not the observed states the tests use).
 */
function stageConfiguration(name, meta, apiDirs, exampleFiles) {
  const dir = join(stage, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'package'), { recursive: true });
  writeFileSync(join(dir, 'package', 'crossplane.yaml'), pinnedMeta(meta));
  for (const api of apiDirs) {
    for (const file of ['definition.yaml', 'composition.yaml']) {
      const target = join(dir, 'package', relative(join(root, 'apis'), api), file);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(api, file), target);
    }
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

export async function buildPackages() {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out).filter((f) => f.endsWith('.xpkg'))) rmSync(join(out, f));
  const image = await buildImage();

  const fnStage = join(stage, 'function');
  rmSync(fnStage, { recursive: true, force: true });
  mkdirSync(fnStage, { recursive: true });
  cpSync(join(root, 'package'), join(fnStage, 'package'), { recursive: true });
  const fn = xpkgBuild(
    join(fnStage, 'package'),
    join(fnStage, 'examples'),
    join(out, `function-devplatform-${tag}.xpkg`),
    [`--embed-runtime-image-tarball=${image.tarball}`],
  );

  const examples = walk(join(root, 'examples'));
  const v2 = stageConfiguration(
    'configuration',
    join(root, 'crossplane.yaml'),
    ['devenvironment', 'appstack'].map((a) => join(root, 'apis', a)),
    examples.filter((f) => /examples\/(devenvironment|appstack)\/[^/]+\/xr\.yaml$/.test(f)),
  );
  const configuration = xpkgBuild(
    join(v2, 'package'),
    join(v2, 'examples'),
    join(out, `configuration-devplatform-${tag}.xpkg`),
  );
  const legacy = stageConfiguration(
    'configuration-claims',
    join(root, 'apis', 'claims', 'crossplane.yaml'),
    ['devenvironment', 'appstack'].map((a) => join(root, 'apis', 'claims', a)),
    examples.filter((f) => /examples\/claims\/[^/]+\/claim\.yaml$/.test(f)),
  );
  const claims = xpkgBuild(
    join(legacy, 'package'),
    join(legacy, 'examples'),
    join(out, `configuration-devplatform-claims-${tag}.xpkg`),
  );

  const packages = {
    version: tag,
    registry,
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
