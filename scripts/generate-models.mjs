#!/usr/bin/env node
// Generates the TypeScript models the function builds resources with, so that no type a CRD
// already defines is written by hand:
//   - upstream provider CRDs (from CRDS_DIR, default ../shared/crds) -> functions/models/crds/
//   - our own XRDs (apis/) and the function input CRD (package/input/) -> functions/models/apis/
//   - vcluster's chart values JSON Schema -> functions/models/vcluster/ (a type and a standalone
//     validator, so the running function validates values without the schema file)
// The output is committed: a build never needs CRDS_DIR. Run `make generate` after changing the
// list below, an XRD, the input CRD, or the pinned upstream versions.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crdsDir = resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
// MODELS_DIR: where to write (the drift test writes a fresh copy elsewhere and compares).
const modelsDir = resolve(root, process.env.MODELS_DIR ?? join('functions', 'models'));

/** Upstream CRDs we compose, by folder and CRD name. Add here before composing a new kind. */
const upstream = [
  'provider-kubernetes/objects.kubernetes.m.crossplane.io',
  'provider-kubernetes/objects.kubernetes.crossplane.io',
  'provider-kubernetes/providerconfigs.kubernetes.m.crossplane.io',
  'provider-kubernetes/providerconfigs.kubernetes.crossplane.io',
  'provider-helm/releases.helm.m.crossplane.io',
  'provider-helm/releases.helm.crossplane.io',
  'provider-helm/providerconfigs.helm.m.crossplane.io',
  'provider-helm/providerconfigs.helm.crossplane.io',
  // gke environments
  ...['m.', ''].flatMap((m) => [
    `provider-upjet-gcp/networks.compute.gcp.${m}upbound.io`,
    `provider-upjet-gcp/subnetworks.compute.gcp.${m}upbound.io`,
    `provider-upjet-gcp/serviceaccounts.cloudplatform.gcp.${m}upbound.io`,
    `provider-upjet-gcp/projectiammembers.cloudplatform.gcp.${m}upbound.io`,
    `provider-upjet-gcp/clusters.container.gcp.${m}upbound.io`,
    `provider-upjet-gcp/nodepools.container.gcp.${m}upbound.io`,
    // Cloud SQL with private networking (AppStack databases in gke environments)
    `provider-upjet-gcp/globaladdresses.compute.gcp.${m}upbound.io`,
    `provider-upjet-gcp/connections.servicenetworking.gcp.${m}upbound.io`,
    `provider-upjet-gcp/databaseinstances.sql.gcp.${m}upbound.io`,
    `provider-upjet-gcp/databases.sql.gcp.${m}upbound.io`,
    `provider-upjet-gcp/users.sql.gcp.${m}upbound.io`,
    // Memorystore for Redis (AppStack capabilities in gke environments)
    `provider-upjet-gcp/instances.redis.gcp.${m}upbound.io`,
  ]),
  // eks environments
  ...['m.', ''].flatMap((m) => [
    `provider-upjet-aws/vpcs.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/subnets.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/internetgateways.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/routetables.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/routes.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/routetableassociations.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/roles.iam.aws.${m}upbound.io`,
    `provider-upjet-aws/rolepolicyattachments.iam.aws.${m}upbound.io`,
    `provider-upjet-aws/clusters.eks.aws.${m}upbound.io`,
    `provider-upjet-aws/nodegroups.eks.aws.${m}upbound.io`,
    `provider-upjet-aws/accessentries.eks.aws.${m}upbound.io`,
    `provider-upjet-aws/accesspolicyassociations.eks.aws.${m}upbound.io`,
    `provider-upjet-aws/clusterauths.eks.aws.${m}upbound.io`,
    // RDS in the environment's VPC (AppStack databases in eks environments)
    `provider-upjet-aws/securitygroups.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/securitygroupingressrules.ec2.aws.${m}upbound.io`,
    `provider-upjet-aws/subnetgroups.rds.aws.${m}upbound.io`,
    `provider-upjet-aws/instances.rds.aws.${m}upbound.io`,
    // ElastiCache for Redis (AppStack capabilities in eks environments)
    `provider-upjet-aws/subnetgroups.elasticache.aws.${m}upbound.io`,
    `provider-upjet-aws/replicationgroups.elasticache.aws.${m}upbound.io`,
  ]),
  // Argo CD registration, tools, safe teardown
  'provider-argocd/clusters.cluster.argocd.crossplane.io',
  'argo-cd/appprojects.argoproj.io',
  'argo-cd/applications.argoproj.io',
  'knative-operator/knativeservings.operator.knative.dev',
  'cloudnative-pg/clusters.postgresql.cnpg.io',
  // Sleep for namespace and vcluster environments
  'kube-green/sleepinfos.kube-green.com',
  'external-secrets/externalsecrets.external-secrets.io',
  'external-secrets/secretstores.external-secrets.io',
  // AppStack capabilities: Dapr components and their resiliency policy
  'dapr/components.dapr.io',
  'dapr/resiliencies.dapr.io',
  'crossplane/usages.protection.crossplane.io',
  'crossplane/clusterusages.protection.crossplane.io',
];

/** Our XRDs, turned into CRDs (the XR's schema) before generation. */
const xrds = [
  'apis/devenvironment/definition.yaml',
  'apis/claims/devenvironment/definition.yaml',
  'apis/appstack/definition.yaml',
  'apis/claims/appstack/definition.yaml',
];
const inputCrds = ['package/input/devplatform.fn.crossplane.io_policies.yaml'];

if (!existsSync(crdsDir)) {
  console.error(
    `CRDS_DIR ${crdsDir} does not exist. Point CRDS_DIR at a folder of upstream CRDs (see README.md, "Schemas").`,
  );
  process.exit(1);
}

function crdGenerate(inputs, output) {
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  const args = inputs.flatMap((i) => ['--input', i]);
  execFileSync(join(root, 'node_modules', '.bin', 'crd-generate'), [...args, '--output', output], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fixImports(output);
}

/** crd-generate writes extensionless relative imports; NodeNext ESM needs explicit `.js`. */
function fixImports(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      fixImports(path);
      continue;
    }
    if (!/\.(ts|js)$/.test(entry) || entry.endsWith('.d.ts')) continue;
    const text = readFileSync(path, 'utf8').replace(
      /(from\s+["'])(\.{1,2}\/[^"']+?)(["'])/g,
      (_, a, spec, b) => {
        if (spec.endsWith('.js')) return `${a}${spec}${b}`;
        const target = resolve(dirname(path), spec);
        const isDir = existsSync(target) && statSync(target).isDirectory();
        return `${a}${spec}${isDir ? '/index.js' : '.js'}${b}`;
      },
    );
    writeFileSync(path, `// Generated by scripts/generate-models.mjs. Do not edit.\n${text}`);
  }
}

/** An XRD's schema as the CRD of its XR kind (crd-generate reads CRDs). */
function xrdToCrd(xrd) {
  const { group, names, versions } = xrd.spec;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      names,
      scope: xrd.apiVersion.endsWith('/v2') ? (xrd.spec.scope ?? 'Namespaced') : 'Cluster',
      versions: versions.map((v) => ({
        name: v.name,
        served: true,
        storage: v.referenceable ?? true,
        schema: {
          openAPIV3Schema: {
            ...v.schema.openAPIV3Schema,
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              ...v.schema.openAPIV3Schema.properties,
            },
          },
        },
      })),
    },
  };
}

/**
 * Moves the schema validators out of the composed-resource models into one module, validators.ts.
 * They are 9 MB of generated code that the running function never calls (it validates its XRs and
 * input, not what it composes) and loading them was a third of its cold start and ~27 MB of its
 * memory. Tests import validators.ts to validate what the composers emit; until it is imported a
 * model's validate() throws and says so, rather than passing silently.
 */
function detachValidators(dir) {
  const attachments = [];
  const walkModels = (sub) => {
    for (const entry of readdirSync(join(dir, sub)).sort()) {
      const rel = sub === '' ? entry : `${sub}/${entry}`;
      if (statSync(join(dir, rel)).isDirectory()) {
        if (entry !== '_schemas') walkModels(rel);
        continue;
      }
      if (!entry.endsWith('.ts') || entry === 'index.ts') continue;
      const path = join(dir, rel);
      const text = readFileSync(path, 'utf8');
      const schemaImport = /^import \{ validate \} from "\.\.\/\.\.\/(_schemas\/\w+\.js)";\n/m.exec(text);
      const attach = /^setValidateFunc\((\w+), validate as ValidateFunc<(\w+)>\);$/m.exec(text);
      const apiVersion = /^\s*static apiVersion: [^=]*= "([^"]+)";$/m.exec(text)?.[1];
      if (!schemaImport || !attach || !apiVersion)
        throw new Error(`${rel}: crd-generate's model layout changed; update detachValidators`);
      const [, className, interfaceName] = attach;
      writeFileSync(
        path,
        text
          .replace(
            schemaImport[0],
            'import { validatorNotAttached } from "../../validator-not-attached.js";\n',
          )
          .replace(
            attach[0],
            `setValidateFunc(${className}, validatorNotAttached<${interfaceName}>("${apiVersion}", "${className}"));`,
          ),
      );
      attachments.push({
        model: `./${rel.replace(/\.ts$/, '.js')}`,
        schema: `./${schemaImport[1]}`,
        className,
        interfaceName,
      });
    }
  };
  walkModels('');
  writeFileSync(
    join(dir, 'validator-not-attached.ts'),
    `// Generated by scripts/generate-models.mjs. Do not edit.
import { ValidateFunc } from "@kubernetes-models/validate";

/** The validate() of a model whose schema validator is not loaded: see validators.ts. */
export function validatorNotAttached<T>(apiVersion: string, kind: string): ValidateFunc<T> {
  return (_data: unknown): _data is T => {
    throw new Error(
      \`\${apiVersion} \${kind}: schema validators are not loaded; import functions/models/crds/validators.js first\`,
    );
  };
}
`,
  );
  const lines = attachments.flatMap(({ model, schema, className, interfaceName }, i) => [
    `import { ${className} as Model${i}, ${interfaceName} as IModel${i} } from "${model}";`,
    `import { validate as validate${i} } from "${schema}";`,
  ]);
  const calls = attachments.map(
    (_, i) => `setValidateFunc(Model${i}, validate${i} as ValidateFunc<IModel${i}>);`,
  );
  writeFileSync(
    join(dir, 'validators.ts'),
    `// Generated by scripts/generate-models.mjs. Do not edit.
// Importing this module gives every composed-resource model its schema validator. Tests import it;
// the running function does not (see detachValidators in the generator).
import { setValidateFunc } from "@kubernetes-models/base";
import { ValidateFunc } from "@kubernetes-models/validate";
${lines.join('\n')}

${calls.join('\n')}
`,
  );
}

// 1. Upstream provider CRDs.
crdGenerate(
  upstream.map((name) => join(crdsDir, `${name}.yaml`)),
  join(modelsDir, 'crds'),
);
detachValidators(join(modelsDir, 'crds'));

// 2. Our XRDs and input CRD.
const work = mkdtempSync(join(tmpdir(), 'devplatform-models-'));
const ours = [
  ...xrds.map((file, i) => {
    const out = join(work, `xrd-${i}.yaml`);
    writeFileSync(out, stringify(xrdToCrd(parse(readFileSync(join(root, file), 'utf8')))));
    return out;
  }),
  ...inputCrds.map((file) => join(root, file)),
];
crdGenerate(ours, join(modelsDir, 'apis'));
rmSync(work, { recursive: true, force: true });

// 3. vcluster chart values: a type and a standalone validator.
const vclusterDir = join(modelsDir, 'vcluster');
rmSync(vclusterDir, { recursive: true, force: true });
mkdirSync(vclusterDir, { recursive: true });
const valuesSchema = JSON.parse(readFileSync(join(crdsDir, 'vcluster', 'values.schema.json'), 'utf8'));
const { compile } = await import('json-schema-to-typescript');
// Without its $id the root type takes the name given here rather than one derived from the URL.
const { $id: _valuesSchemaId, ...valuesSchemaForTypes } = valuesSchema;
const valuesType = await compile(valuesSchemaForTypes, 'VclusterValues', {
  bannerComment: '// Generated by scripts/generate-models.mjs from vcluster values.schema.json. Do not edit.',
  additionalProperties: false,
  unreachableDefinitions: false,
  format: false,
});
writeFileSync(join(vclusterDir, 'values.ts'), valuesType);

const { default: Ajv2020 } = await import('ajv/dist/2020.js');
const { default: Ajv } = await import('ajv');
const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');

/**
 * Writes a standalone ESM validator for `schema` (allErrors: every violation at once) and its
 * typings, with no runtime dependency on ajv.
 */
function writeStandaloneValidator(AjvClass, schema, file, source) {
  const ajv = new AjvClass({ code: { source: true, esm: true }, strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  // Ajv's ESM output still require()s its tiny code-point counter; inline it so the module is
  // pure ESM with no runtime dependency on ajv.
  const ucs2length = 'function ucs2length(str) { return [...str].length; }';
  const code = standaloneCode(ajv, validate).replace(
    /const (\w+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;/g,
    (_, name) => `const ${name} = ${ucs2length};`,
  );
  if (code.includes('require(')) throw new Error(`the ${source} validator still calls require()`);
  writeFileSync(
    `${file}.js`,
    `// Generated by scripts/generate-models.mjs from ${source}. Do not edit.\n${code}`,
  );
  writeFileSync(
    `${file}.d.ts`,
    `// Generated by scripts/generate-models.mjs. Do not edit.
export interface ValuesError {
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}
declare const validate: ((data: unknown) => boolean) & { errors?: ValuesError[] | null };
export default validate;
`,
  );
}
writeStandaloneValidator(
  Ajv2020,
  valuesSchema,
  join(vclusterDir, 'validate-values'),
  'vcluster values.schema.json',
);

/**
 * The schema as a Kubernetes API server with strict field validation reads it: an object that lists
 * its properties takes no others, unless it says so (additionalProperties, preserve-unknown-fields).
 */
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (
    schema.properties !== undefined &&
    schema.additionalProperties === undefined &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  )
    out.additionalProperties = false;
  return out;
}

// 4. The function input: a strict validator, because Crossplane does not validate a step's input
// and a typo in the platform team's Policy must not pass silently.
for (const file of inputCrds) {
  const crd = parse(readFileSync(join(root, file), 'utf8'));
  const schema = crd.spec.versions.find((v) => v.served).schema.openAPIV3Schema;
  const { apiVersion: _a, kind: _k, metadata: _m, ...properties } = schema.properties;
  writeStandaloneValidator(
    Ajv,
    strict({
      ...schema,
      properties: {
        ...properties,
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
      },
    }),
    join(modelsDir, 'apis', `validate-${crd.spec.names.singular}`),
    file,
  );
}

// The chart release: from the CRD folder's README (../shared/crds), else from the pinned release
// file make crds fetched it from (schemas/crds.lock.json).
const chartVersion =
  (existsSync(join(crdsDir, 'README.md')) ? readFileSync(join(crdsDir, 'README.md'), 'utf8') : '').match(
    /`vcluster\/` \| .*? \| `(v[^`]+)`/,
  )?.[1] ??
  JSON.parse(readFileSync(join(root, 'schemas', 'crds.lock.json'), 'utf8'))
    .files.find((f) => f.file === 'vcluster/values.schema.json')
    ?.url.match(/\/(v\d+\.\d+\.\d+)\//)?.[1];
if (chartVersion === undefined)
  throw new Error('cannot tell which vcluster chart release values.schema.json is from');
writeFileSync(
  join(vclusterDir, 'schema-version.ts'),
  `// Generated by scripts/generate-models.mjs. Do not edit.\n/** The vcluster chart release whose values schema the types and validator were generated from. */\nexport const VCLUSTER_VALUES_SCHEMA_VERSION = ${JSON.stringify(String(chartVersion).replace(/^v/, ''))};\n`,
);

console.log(`models generated into ${relative(root, modelsDir)} from ${crdsDir}`);
