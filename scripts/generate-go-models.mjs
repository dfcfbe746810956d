#!/usr/bin/env node
// Generates the Go types the native reference of make bench (tools/gonative-function) builds its
// resources with, from the same upstream CRDs as functions/models/, so that no type a CRD defines is
// written by hand in Go either. The providers' own Go modules are not served by the module proxy
// here (provider-upjet-gcp, provider-upjet-aws, provider-helm), and they would pull in upjet and
// Terraform; a Go function author would import them, and these types have the shape theirs have:
// a struct per object, a pointer per optional scalar, runtime.RawExtension where the schema keeps
// unknown fields (Helm values, an Object's manifest), as provider-helm and provider-kubernetes do.
// Status is left out (a function never writes status of what it composes); metadata is the subset
// of ObjectMeta a function sets (meta/, written by hand: Kubernetes core, no CRD).
//
//   node scripts/generate-go-models.mjs      CRDS_DIR (default ../shared/crds); GO_MODELS_DIR to
//                                            write elsewhere (the drift test compares)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crdsDir = resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
const outDir = resolve(root, process.env.GO_MODELS_DIR ?? join('tools', 'gonative-function', 'models'));

/** The CRDs the native reference composes (folder/name@version). */
const GO_MODEL_CRDS = [
  'provider-upjet-gcp/networks.compute.gcp.m.upbound.io@v1beta1',
  'provider-upjet-gcp/subnetworks.compute.gcp.m.upbound.io@v1beta1',
  'provider-upjet-gcp/globaladdresses.compute.gcp.m.upbound.io@v1beta1',
  'provider-upjet-gcp/connections.servicenetworking.gcp.m.upbound.io@v1beta1',
  'provider-upjet-gcp/serviceaccounts.cloudplatform.gcp.m.upbound.io@v1beta1',
  'provider-upjet-gcp/projectiammembers.cloudplatform.gcp.m.upbound.io@v1beta1',
  'provider-upjet-gcp/clusters.container.gcp.m.upbound.io@v1beta1',
  'provider-upjet-gcp/nodepools.container.gcp.m.upbound.io@v1beta1',
  'provider-helm/providerconfigs.helm.m.crossplane.io@v1beta1',
  'provider-helm/releases.helm.m.crossplane.io@v1beta1',
  'provider-kubernetes/providerconfigs.kubernetes.m.crossplane.io@v1alpha1',
  'provider-kubernetes/objects.kubernetes.m.crossplane.io@v1alpha1',
  'crossplane/usages.protection.crossplane.io@v1beta1',
  // Argo CD registration, wrapped in provider-kubernetes Objects
  'provider-argocd/clusters.cluster.argocd.crossplane.io@v1alpha1',
  'argo-cd/appprojects.argoproj.io@v1alpha1',
  // AppStack: RDS and ElastiCache in an eks environment's VPC
  'provider-upjet-aws/subnetgroups.rds.aws.m.upbound.io@v1beta1',
  'provider-upjet-aws/instances.rds.aws.m.upbound.io@v1beta1',
  'provider-upjet-aws/securitygroups.ec2.aws.m.upbound.io@v1beta1',
  'provider-upjet-aws/securitygroupingressrules.ec2.aws.m.upbound.io@v1beta1',
  'provider-upjet-aws/subnetgroups.elasticache.aws.m.upbound.io@v1beta1',
  'provider-upjet-aws/replicationgroups.elasticache.aws.m.upbound.io@v1beta1',
  // AppStack: what it creates inside the environment and in Argo CD
  'external-secrets/externalsecrets.external-secrets.io@v1',
  'external-secrets/secretstores.external-secrets.io@v1',
  'dapr/components.dapr.io@v1alpha1',
  'dapr/resiliencies.dapr.io@v1alpha1',
  'argo-cd/applications.argoproj.io@v1alpha1',
];

const pascal = (name) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

/** The Go package of an API group: compute.gcp.m.upbound.io -> computegcpm. */
const goPackage = (group) =>
  group
    .replace(/\.(upbound\.io|crossplane\.io)$/, '')
    .replace(/[^a-z0-9]/g, '')
    .toLowerCase();

const preservesUnknown = (schema) =>
  schema['x-kubernetes-preserve-unknown-fields'] === true && !schema.properties;

/** Collects the struct types of one kind; returns the Go type of `schema`. */
function goType(schema, typeName, structs) {
  if (schema['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${goType(schema.items ?? {}, typeName, structs)}`;
    case 'object':
    default:
      if (preservesUnknown(schema)) return 'runtime.RawExtension';
      if (!schema.properties) {
        const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
        return `map[string]${values.type ? goType(values, `${typeName}Value`, structs) : 'any'}`;
      }
      structs.push({ name: typeName, schema });
      return typeName;
  }
}

/** One struct: a pointer per optional scalar or object, so false, 0 and {} survive omitempty. */
function goStruct({ name, schema }, structs) {
  const used = new Set();
  const fields = Object.keys(schema.properties)
    .sort()
    .map((json) => {
      let field = pascal(json) || 'Field';
      if (/^[0-9]/.test(field)) field = `F${field}`;
      while (used.has(field)) field += '_';
      used.add(field);
      const type = goType(schema.properties[json], `${name}${pascal(json)}`, structs);
      const pointer = !type.startsWith('[]') && !type.startsWith('map[');
      const doc = (schema.properties[json].description ?? '').split('\n')[0].slice(0, 100);
      return `${doc ? `\t// ${doc}\n` : ''}\t${field} ${pointer ? '*' : ''}${type} \`json:"${json},omitempty"\``;
    });
  return `type ${name} struct {\n${fields.join('\n')}\n}\n`;
}

/** The Go source of one kind: its top-level type and every struct under it but status. */
function kindSource(crd, version) {
  const { kind } = crd.spec.names;
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`${crd.metadata.name} has no version ${version}`);
  const structs = [];
  const { apiVersion: _a, kind: _k, metadata: _m, status: _s, ...rest } = schema.properties;
  const fields = goStruct({ name: kind, schema: { properties: rest } }, structs)
    .split('\n')
    .slice(1, -2);
  const out = [
    `// ${kind} is ${crd.spec.group}/${version} ${kind}.`,
    `type ${kind} struct {`,
    '\tAPIVersion string `json:"apiVersion"`',
    '\tKind string `json:"kind"`',
    '\tMetadata meta.ObjectMeta `json:"metadata"`',
    ...fields,
    '}',
    '',
    `// New${kind} is an empty ${kind} with its apiVersion and kind set.`,
    `func New${kind}() *${kind} {`,
    `\treturn &${kind}{APIVersion: "${crd.spec.group}/${version}", Kind: "${kind}"}`,
    '}',
    '',
  ];
  for (let i = 0; i < structs.length; i++) out.push(goStruct(structs[i], structs));
  return out.join('\n');
}

/** Imports the generated source of a package needs. */
function imports(source) {
  const paths = ['github.com/devplatform/function-devplatform/tools/gonative-function/meta'];
  if (source.includes('runtime.RawExtension')) paths.push('k8s.io/apimachinery/pkg/runtime');
  if (source.includes('intstr.IntOrString')) paths.push('k8s.io/apimachinery/pkg/util/intstr');
  return `import (\n${paths
    .sort()
    .map((p) => `\t"${p}"`)
    .join('\n')}\n)\n`;
}

function main() {
  const packages = new Map();
  for (const entry of GO_MODEL_CRDS) {
    const [file, version] = entry.split('@');
    const crd = parse(readFileSync(join(crdsDir, `${file}.yaml`), 'utf8'));
    const pkg = goPackage(crd.spec.group);
    const kinds = packages.get(pkg) ?? [];
    kinds.push({ kind: crd.spec.names.kind, source: kindSource(crd, version), version });
    packages.set(pkg, kinds);
  }
  rmSync(outDir, { recursive: true, force: true });
  for (const [pkg, kinds] of packages) {
    const dir = join(outDir, pkg);
    mkdirSync(dir, { recursive: true });
    for (const { kind, source } of kinds) {
      const text =
        `// Code generated by scripts/generate-go-models.mjs from the upstream CRD. DO NOT EDIT.\n\n` +
        `package ${pkg}\n\n${imports(source)}\n${source}`;
      writeFileSync(join(dir, `${kind.toLowerCase()}.go`), text);
    }
  }
  execFileSync('gofmt', ['-w', outDir]);
}

main();
