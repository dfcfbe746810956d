#!/usr/bin/env node
// make render: renders every example XR with the real Crossplane CLI against our function, prints
// the rendered resources, and validates them with `crossplane beta validate` against the upstream
// CRDs and our XRDs (plus vcluster chart values against the chart's JSON Schema).
//
//   CROSSPLANE  the Crossplane CLI (default: built by scripts/install-go-tool.sh crossplane)
//   CRDS_DIR    upstream CRDs (default: ../shared/crds) — see README.md, "Schemas"
//   QUIET=1     do not print rendered resources (tests use it)
//
// Layout it reads: examples/**/xr.yaml is an XR to render; required/ beside it holds the objects the
// function requires (passed with --required-resources); observed/*.yaml beside it are observed
// states to render it with (each a file of composed resources); its Composition is the one in apis/
// whose compositeTypeRef matches the XR. Other YAML files in examples/ (claims, the preview Application)
// and preview/applicationset.yaml are validated only.
// Output: _output/render/<example>/<variant>.yaml. Exits non-zero on any failure.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compositions, freePort, goTool, listening, walk, yamlDocs } from './tools.mjs';
import { RENDER_TIME } from './render-time.mjs';
import { parseAllDocuments } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crdsDir = resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
const outDir = join(root, '_output', 'render');
const quiet = process.env.QUIET === '1';

async function waitForPort(port, child, seconds = 20) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the function exited with code ${child.exitCode} before serving`);
    if (await listening(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the function did not listen on 127.0.0.1:${port} within ${seconds}s`);
}

/** The Crossplane release whose core CRDs CRDS_DIR/crossplane holds (validate needs them as an "image"). */
const CROSSPLANE_CORE_IMAGE = 'xpkg.crossplane.io/crossplane/crossplane:v2.3.4';

/**
 * `crossplane beta validate` loads Crossplane's own CRDs from the Crossplane image, downloading it
 * unless its cache has it. Seed the cache with the core CRDs from CRDS_DIR/crossplane instead, so
 * validation never touches the network.
 */
function seedValidateCache(cacheDir) {
  const coreDir = join(crdsDir, 'crossplane');
  const imageDir = join(cacheDir, CROSSPLANE_CORE_IMAGE.replaceAll(':', '@'));
  mkdirSync(imageDir, { recursive: true });
  const docs = walk(coreDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(f, 'utf8').replace(/^---\n/, ''));
  writeFileSync(join(imageDir, 'package.yaml'), docs.join('\n---\n'));
}

/** The schema extensions to validate against: upstream CRDs (not vcluster's JSON Schema, not core) and our XRDs. */
function extensions() {
  if (!existsSync(crdsDir)) {
    throw new Error(
      `CRDS_DIR ${crdsDir} does not exist; see README.md, "Schemas", for where to get the CRDs`,
    );
  }
  const crds = walk(crdsDir).filter(
    (f) => f.endsWith('.yaml') && !f.startsWith(join(crdsDir, 'crossplane') + '/'),
  );
  const xrds = walk(join(root, 'apis')).filter((f) => f.endsWith('definition.yaml'));
  return [...crds, ...xrds].join(',');
}

/** The API groups that have a CRD in CRDS_DIR. */
function crdGroups() {
  const groups = new Set();
  for (const file of walk(crdsDir).filter((f) => f.endsWith('.yaml'))) {
    const group = /\n {2}group: (\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
    if (group) groups.add(group);
  }
  return groups;
}

async function loadVclusterValuesValidator() {
  const schemaFile = join(crdsDir, 'vcluster', 'values.schema.json');
  if (!existsSync(schemaFile)) return undefined;
  const { default: Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
}

async function main() {
  const crossplane = goTool('crossplane');
  const byType = compositions();
  const functionsFile = join(root, 'examples', 'functions.yaml');
  const xrFiles = walk(join(root, 'examples')).filter((f) => f.endsWith('/xr.yaml'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const port = await freePort();
  const fn = spawn(
    process.execPath,
    [
      join(root, 'dist', 'functions', 'server', 'main.js'),
      '--insecure',
      `--address=127.0.0.1:${port}`,
      '--metrics-address=',
      `--fixed-time=${RENDER_TIME}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const failures = [];
  let rendered = 0;
  try {
    await waitForPort(port, fn);
    for (const xrFile of xrFiles) {
      const [xr] = yamlDocs(xrFile);
      const composition = byType.get(`${xr.apiVersion}/${xr.kind}`)?.file;
      const example = relative(join(root, 'examples'), dirname(xrFile));
      if (composition === undefined) {
        failures.push(`${example}: no Composition in apis/ composes ${xr.apiVersion} ${xr.kind}`);
        continue;
      }
      const observedDir = join(dirname(xrFile), 'observed');
      // Objects the function asks Crossplane for (an AppStack's DevEnvironment) sit in required/.
      const requiredDir = join(dirname(xrFile), 'required');
      const requiredArgs = existsSync(requiredDir) ? ['--required-resources', requiredDir] : [];
      const variants = [
        { name: 'initial', args: [] },
        ...(existsSync(observedDir)
          ? readdirSync(observedDir)
              .filter((f) => f.endsWith('.yaml'))
              .sort()
              .map((f) => ({
                name: f.replace(/\.yaml$/, ''),
                args: ['--observed-resources', join(observedDir, f)],
              }))
          : []),
      ];
      for (const variant of variants) {
        const label = `${example} (${variant.name})`;
        const args = [
          'render',
          xrFile,
          composition,
          functionsFile,
          '--include-full-xr',
          '--include-function-results',
          '-a',
          `render.crossplane.io/runtime-development-target=127.0.0.1:${port}`,
          ...requiredArgs,
          ...variant.args,
        ];
        let output;
        try {
          output = execFileSync(crossplane, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        } catch (error) {
          failures.push(
            `${label}: crossplane render failed: ${String(error.stderr || error.message).trim()}`,
          );
          continue;
        }
        rendered++;
        const fatal = parseAllDocuments(output)
          .map((d) => d.toJS())
          .find((d) => d?.kind === 'Result' && d.severity === 'SEVERITY_FATAL');
        if (fatal) failures.push(`${label}: the function returned a Fatal result: ${fatal.message}`);
        const file = join(outDir, example, `${variant.name}.yaml`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, output);
        if (!quiet) process.stdout.write(`# ---- ${label}: ${relative(root, file)}\n${output}`);
      }
    }
  } finally {
    fn.kill('SIGTERM');
  }

  // Validate: rendered output (Results are not resources: strip them), claims and XRs in examples/.
  const toValidate = join(root, '_output', 'validate');
  rmSync(toValidate, { recursive: true, force: true });
  mkdirSync(toValidate, { recursive: true });
  const validateValues = await loadVclusterValuesValidator();
  let index = 0;
  const resources = [
    ...walk(outDir).flatMap((f) => yamlDocs(f).map((d) => ({ d, from: relative(root, f) }))),
    ...walk(join(root, 'examples'))
      .filter((f) => f.endsWith('.yaml') && !f.includes('/observed/') && !f.endsWith('functions.yaml'))
      .flatMap((f) => yamlDocs(f).map((d) => ({ d, from: relative(root, f) }))),
    // The preview ApplicationSet (its chart's output is rendered from examples/preview/).
    ...yamlDocs(join(root, 'preview', 'applicationset.yaml')).map((d) => ({
      d,
      from: 'preview/applicationset.yaml',
    })),
  ];
  // A provider-kubernetes Object's manifest is opaque to its own schema: validate the manifests of
  // API groups whose CRDs are in CRDS_DIR too (AppProjects, Applications, provider-argocd Clusters,
  // KnativeServings, CNPG Clusters, ExternalSecrets). Core kinds are built from kubernetes-models and
  // checked by the unit tests; other groups (ESO generators) have no schema here.
  const groupsWithCrds = crdGroups();
  const embedded = resources.flatMap(({ d, from }) => {
    const manifest = d.kind === 'Object' ? d.spec?.forProvider?.manifest : undefined;
    const group = typeof manifest?.apiVersion === 'string' ? manifest.apiVersion.split('/')[0] : '';
    return groupsWithCrds.has(group) ? [{ d: manifest, from: `${from} (manifest)` }] : [];
  });
  for (const { d, from } of [...resources, ...embedded]) {
    if (d.kind === 'Result' || d.kind === 'Context') continue;
    // Kubernetes' own kinds (examples/install/prerequisites.yaml's Namespace and ClusterRoleBinding)
    // have no CRD to validate against; make e2e applies that file to a real API server.
    if (!String(d.apiVersion).includes('/') || /\.k8s\.io\//.test(String(d.apiVersion))) continue;
    writeFileSync(
      join(toValidate, `${String(index++).padStart(4, '0')}.yaml`),
      `# from ${from}\n${JSON.stringify(d)}\n`,
    );
    const chart = d.spec?.forProvider?.chart;
    if (
      d.kind === 'Release' &&
      chart?.name === 'vcluster' &&
      validateValues &&
      !validateValues(d.spec.forProvider.values ?? {})
    ) {
      failures.push(
        `${from}: vcluster values do not match the chart schema: ${JSON.stringify(validateValues.errors)}`,
      );
    }
  }
  try {
    const cacheDir = join(root, '_output', 'validate-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    seedValidateCache(cacheDir);
    const args = [
      'beta',
      'validate',
      extensions(),
      toValidate,
      '--cache-dir',
      cacheDir,
      '--crossplane-image',
      CROSSPLANE_CORE_IMAGE,
      '--error-on-missing-schemas',
      '--skip-success-results',
    ];
    const out = execFileSync(crossplane, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    process.stdout.write(out);
  } catch (error) {
    process.stdout.write(String(error.stdout ?? ''));
    failures.push(`crossplane beta validate failed: ${String(error.stderr || error.message).trim()}`);
  }

  console.log(
    `\nrendered ${rendered} example variants; validated ${index} resources against ${relative(root, crdsDir) || crdsDir} and apis/`,
  );
  if (failures.length > 0) {
    console.error(`\nmake render FAILED:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.log('make render: all examples rendered and validated');
}

main().catch((error) => {
  console.error(`make render FAILED: ${error.message}`);
  process.exit(1);
});
