#!/usr/bin/env node
// make templates: Backstage software templates (scaffolder.backstage.io/v1beta3) for DevEnvironment
// and AppStack, generated from our XRDs and the platform policy of the Compositions in apis/, into
// backstage/templates/ (committed; test/templates.test.ts fails when they drift).
//
//   every spec field of the XRD becomes a form field with its description, enum, default, pattern,
//   bounds and required-ness; choices the policy makes (regions, Kubernetes versions and tools by
//   environment type, database versions) are offered from the resolved policy; an AppStack's
//   environment is picked from the catalog (the kubernetes-ingestor's entities for DevEnvironment XRs).
//   The steps render the XR from a skeleton and open a pull request into the platform's GitOps
//   repository. Needs `make build` (it runs the function's own policy code from dist/).
//
//   OUT  output directory (default backstage/templates; the drift test writes elsewhere)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { compositionPolicy } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.env.OUT ?? join('backstage', 'templates'));

/** The kubernetes-ingestor's annotations on the catalog entity of a Crossplane v2 XR. */
export const INGESTOR = {
  compositeKind: 'terasky.backstage.io/composite-kind',
  compositeName: 'terasky.backstage.io/composite-name',
  compositeNamespace: 'terasky.backstage.io/composite-namespace',
  compositeGroup: 'terasky.backstage.io/composite-group',
  // On a claim's entity (translateCrossplaneClaimToEntity): the claim's kind, group and name; its
  // namespace is the entity's Kubernetes namespace.
  claimKind: 'terasky.backstage.io/claim-kind',
  claimGroup: 'terasky.backstage.io/claim-group',
  claimName: 'terasky.backstage.io/claim-name',
  kubernetesNamespace: 'backstage.io/kubernetes-namespace',
  owner: 'terasky.backstage.io/owner',
  addToCatalog: 'terasky.backstage.io/add-to-catalog',
};

/** Schema keywords a form field keeps from the XRD. */
const KEPT = [
  'enum',
  'default',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
];

/** Titles that are not the field name in words. */
const TITLES = { ttl: 'TTL', repoURL: 'Repository URL', daprAppId: 'Dapr app ID' };

/** "kubernetesVersion" -> "Kubernetes version". */
function titleOf(name) {
  if (name in TITLES) return TITLES[name];
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const oneLine = (text) => String(text).replace(/\s+/g, ' ').trim();

/**
 * An XRD schema (OpenAPI v3, structural) as a form field (JSON Schema draft 7 for react-jsonschema-form).
 * `required`: whether the parent requires this field. Backstage's form fills in every object of the
 * schema with its defaults (react-jsonschema-form's populateAllDefaults), so under an object the XR
 * may leave out (spec.database, spec.sleep.schedule) a default would make that object appear, and a
 * required field would have to be filled even by whoever does not want the object: there the form
 * keeps no defaults (the function applies them) and asks for the required fields only once another
 * field of the object is given (JSON Schema property dependencies).
 */
export function formField(name, schema, { required = true, underOptional = false } = {}) {
  const field = {
    ...(name !== undefined ? { title: titleOf(name) } : {}),
    ...(schema.description !== undefined ? { description: oneLine(schema.description) } : {}),
  };
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) {
    return { ...field, type: 'object', additionalProperties: true };
  }
  field.type = schema.type;
  for (const key of KEPT)
    if (key in schema && !(key === 'default' && underOptional)) field[key] = schema[key];
  if (schema.type === 'object' && schema.properties !== undefined) {
    const needed = schema.required ?? [];
    const under = underOptional || !required;
    field.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [
        key,
        formField(key, value, { required: needed.includes(key), underOptional: under }),
      ]),
    );
    if (needed.length > 0 && !under) field.required = [...needed];
    if (needed.length > 0 && under)
      field.dependencies = requiredOnceGiven(Object.keys(schema.properties), needed);
  }
  if (schema.type === 'array' && schema.items !== undefined) {
    // An item exists once the developer adds it: its required fields are required then.
    field.items = formField(undefined, schema.items);
    if (schema['x-kubernetes-list-type'] === 'set') field.uniqueItems = true;
  }
  return field;
}

/** Property dependencies: once any field of the object is given, its required fields are too. */
function requiredOnceGiven(properties, needed) {
  return Object.fromEntries(
    properties.map((key) => [key, needed.filter((r) => r !== key)]).filter(([, others]) => others.length > 0),
  );
}

/** The spec schema of the served version of an XRD. */
function specSchema(xrdPath) {
  const xrd = parse(readFileSync(join(root, xrdPath), 'utf8'));
  const version = xrd.spec.versions.find((v) => v.served) ?? xrd.spec.versions[0];
  const schema = version.schema.openAPIV3Schema;
  return { description: schema.description, spec: schema.properties.spec };
}

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/**
 * The first page: the XR's name, who owns it in the catalog and, where the form decides it, the team
 * namespace it goes into (an AppStack goes into its DevEnvironment's namespace instead).
 */
function wherePage(kind, { askNamespace }) {
  return {
    title: `Name your ${kind}`,
    required: ['name', ...(askNamespace ? ['namespace'] : []), 'owner'],
    properties: {
      name: {
        title: 'Name',
        type: 'string',
        description: `The ${kind}'s name, unique in its namespace.`,
        pattern: DNS_LABEL,
        maxLength: 63,
      },
      ...(askNamespace
        ? {
            namespace: {
              title: 'Namespace',
              type: 'string',
              description:
                "Your team's namespace on the platform cluster, where your DevEnvironments and AppStacks live.",
              pattern: DNS_LABEL,
              maxLength: 63,
            },
          }
        : {}),
      owner: {
        title: 'Owner',
        type: 'string',
        description: 'Who owns it in the catalog.',
        'ui:field': 'OwnerPicker',
        'ui:options': { catalogFilter: { kind: ['Group', 'User'] } },
      },
    },
  };
}

/** The last page: the GitOps repository and folder the pull request goes to. */
const PUBLISH_PAGE = {
  title: 'Open a pull request',
  required: ['repoUrl', 'path'],
  properties: {
    repoUrl: {
      title: 'GitOps repository',
      type: 'string',
      description: "The platform's GitOps repository, which Argo CD syncs to the platform cluster.",
      'ui:field': 'RepoUrlPicker',
      'ui:options': { allowedHosts: ['github.com'] },
    },
    path: {
      title: 'Folder',
      type: 'string',
      description: 'Where in the repository the manifest goes (one file per resource).',
      default: 'teams',
      pattern: '^[A-Za-z0-9._/-]+$',
    },
  },
};

/**
 * The DevEnvironment form: the XRD's spec, with region and Kubernetes version offered per
 * environment type from the policy (react-jsonschema-form shows them once a type is chosen), and
 * tools from the catalogue.
 */
function devEnvironmentSpec(spec, policy) {
  const field = formField('spec', spec);
  field.title = 'DevEnvironment';
  const { region, kubernetesVersion, ...base } = field.properties;
  field.properties = base;
  field.properties.tools.items = { ...field.properties.tools.items, enum: Object.keys(policy.tools).sort() };
  const envs = policy.environments;
  const versions = {
    vcluster: {
      enum: Object.keys(envs.vcluster.kubernetesVersions),
      default: envs.vcluster.defaultKubernetesVersion,
    },
    gke: { enum: envs.gke.kubernetesVersions, default: envs.gke.defaultKubernetesVersion },
    eks: { enum: envs.eks.kubernetesVersions, default: envs.eks.defaultKubernetesVersion },
  };
  const regions = {
    gke: { enum: envs.gke.regions, default: envs.gke.defaultRegion },
    eks: { enum: envs.eks.regions, default: envs.eks.defaultRegion },
  };
  field.dependencies = {
    type: {
      oneOf: field.properties.type.enum.map((type) => ({
        properties: {
          type: { enum: [type] },
          ...(versions[type] !== undefined
            ? { kubernetesVersion: { ...kubernetesVersion, ...versions[type] } }
            : {}),
          ...(regions[type] !== undefined ? { region: { ...region, ...regions[type] } } : {}),
        },
      })),
    },
  };
  return field;
}

/** The AppStack form: the XRD's spec without environmentRef (picked from the catalog instead). */
function appStackSpec(spec, policy) {
  const field = formField('spec', spec);
  field.title = 'AppStack';
  const { environmentRef: _picked, ...rest } = field.properties;
  field.properties = rest;
  field.required = (field.required ?? []).filter((r) => r !== 'environmentRef');
  // The database is optional: its version is offered from the policy, whose default the function
  // applies (a default here would make every AppStack ask for a database, see formField).
  const database = field.properties.database.properties;
  database.version = {
    ...database.version,
    enum: Object.keys(policy.databases.postgres.versions).sort(),
    description: `${database.version.description} The platform's default: ${policy.databases.postgres.defaultVersion}.`,
  };
  return field;
}

/** An annotation of the DevEnvironment's catalog entity, which the `environment` step fetched. */
const environmentAnnotation = (key) =>
  `\${{ steps['environment'].output.entity.metadata.annotations['${key}'] }}`;

/** The page that picks an AppStack's DevEnvironment from the catalog, for a flavour. */
function environmentPage(flavour) {
  return {
    title: 'Choose its DevEnvironment',
    required: ['environment'],
    properties: {
      environment: {
        title: 'DevEnvironment',
        type: 'string',
        description: `One of your DevEnvironment${flavour.claims ? ' claims' : 's'} (the catalog shows them once the kubernetes-ingestor ingested them). The AppStack goes into the DevEnvironment's namespace on the platform cluster.`,
        'ui:field': 'EntityPicker',
        'ui:options': {
          catalogFilter: [
            {
              kind: 'Component',
              ...Object.fromEntries(
                Object.entries(flavour.environmentEntity).map(([key, value]) => [
                  `metadata.annotations.${key}`,
                  value,
                ]),
              ),
            },
          ],
          defaultKind: 'Component',
        },
      },
    },
  };
}

/**
 * The steps: render the XR into the workspace, open a pull request, link to it. `namespace` is the
 * expression of the XR's namespace: the form's answer, or what an earlier step looked up.
 */
function steps({ templateName, kind, plural, namespace, extraValues, before = [] }) {
  return [
    ...before,
    {
      id: 'render',
      name: `Render the ${kind}`,
      action: 'fetch:template',
      input: {
        url: './skeleton',
        targetPath: './manifests',
        values: {
          name: '${{ parameters.name }}',
          namespace,
          owner: '${{ parameters.owner }}',
          spec: '${{ parameters.spec }}',
          ...extraValues,
        },
      },
    },
    {
      id: 'publish',
      name: 'Open a pull request',
      action: 'publish:github:pull-request',
      input: {
        repoUrl: '${{ parameters.repoUrl }}',
        branchName: `${plural}/${namespace}/\${{ parameters.name }}`,
        title: `${kind} \${{ parameters.name }} in ${namespace}`,
        description: `Adds the ${kind} \${{ parameters.name }} to namespace ${namespace}, from the Backstage template ${templateName}.`,
        sourcePath: './manifests',
        targetPath: `\${{ parameters.path }}/${namespace}`,
      },
    },
  ];
}

/**
 * Where Backstage's Argo CD plugin finds Applications: by the labels the function puts on each
 * AppStack's Application (functions/appstack/compose.ts, appLabels), so an AppStack's entity shows
 * its Application and a DevEnvironment's entity every Application deployed into it. The
 * kubernetes-ingestor copies the XR's annotations onto its catalog entity.
 */
const argocdAppSelector = (label) =>
  `    argocd/app-selector: "devplatform.io/${label}=\${{ values.name }},devplatform.io/owner-namespace=\${{ values.namespace }}"`;

/** The skeleton: the XR, its spec written field by field as JSON (which is YAML), empty ones left out. */
function skeleton(apiVersion, kind, { extraAnnotations = [], extraSpec = [] } = {}) {
  return [
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata:',
    '  name: ${{ values.name | dump }}',
    '  namespace: ${{ values.namespace | dump }}',
    '  annotations:',
    `    ${INGESTOR.owner}: \${{ values.owner | dump }}`,
    `    ${INGESTOR.addToCatalog}: "true"`,
    ...extraAnnotations,
    'spec:',
    ...extraSpec,
    // Backstage's form submits an untouched list or object as [] or {}: left out, the field takes
    // its default (spec.tools [] would mean no tools at all, where the form means the defaults).
    '{%- for key, value in values.spec %}',
    '{%- if (value | dump) != "[]" and (value | dump) != "{}" %}',
    '  ${{ key }}: ${{ value | dump }}',
    '{%- endif %}',
    '{%- endfor %}',
    '',
  ].join('\n');
}

function template({ name, title, description, xrd, pages, ...publishing }) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      title,
      description,
      tags: ['crossplane', 'devplatform', publishing.plural],
      annotations: { 'devplatform.io/generated-from': xrd },
    },
    spec: {
      owner: 'group:default/platform-team',
      type: 'resource',
      parameters: pages,
      steps: steps({ templateName: name, ...publishing }),
      output: { links: [{ title: 'Pull request', url: "${{ steps['publish'].output.remoteUrl }}" }] },
    },
  };
}

const HEADER =
  '# Generated by scripts/templates.mjs (make templates) from the XRD and the policy in apis/. Do not edit.\n';

function write(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/**
 * The two ways a platform serves these APIs: Crossplane v2 namespaced XRs, and legacy cluster-scoped
 * XRs that teams ask for through claims. Each gets its own pair of templates; the ingestor's entities
 * of DevEnvironments differ (an XR's or a claim's annotations).
 */
const FLAVOURS = [
  {
    claims: false,
    suffix: '',
    apis: 'apis',
    apiVersion: 'devplatform.io/v1alpha1',
    environmentEntity: {
      [INGESTOR.compositeKind]: 'DevEnvironment',
      [INGESTOR.compositeGroup]: 'devplatform.io',
    },
    environmentName: INGESTOR.compositeName,
    environmentNamespace: INGESTOR.compositeNamespace,
  },
  {
    claims: true,
    suffix: '-claim',
    apis: 'apis/claims',
    apiVersion: 'claims.devplatform.io/v1alpha1',
    environmentEntity: {
      [INGESTOR.claimKind]: 'DevEnvironment',
      [INGESTOR.claimGroup]: 'claims.devplatform.io',
    },
    environmentName: INGESTOR.claimName,
    environmentNamespace: INGESTOR.kubernetesNamespace,
  },
];

const LOOK_UP_ENVIRONMENT = {
  id: 'environment',
  name: 'Look up the DevEnvironment',
  action: 'catalog:fetch',
  input: { entityRef: '${{ parameters.environment }}' },
};

/** The DevEnvironment and AppStack templates of one flavour: { <folder>/<path>: text }. */
async function flavourFiles(flavour) {
  const { suffix, apis, apiVersion } = flavour;
  const claim = flavour.claims ? ' claim' : '';
  const devEnv = specSchema(`${apis}/devenvironment/definition.yaml`);
  const app = specSchema(`${apis}/appstack/definition.yaml`);
  const envPolicy = await compositionPolicy(join(root, apis, 'devenvironment/composition.yaml'));
  const appPolicy = await compositionPolicy(join(root, apis, 'appstack/composition.yaml'));
  const devEnvironment = template({
    name: `devplatform-devenvironment${suffix}`,
    title: `DevEnvironment${claim}`,
    description: oneLine(devEnv.description),
    xrd: `${apis}/devenvironment/definition.yaml`,
    kind: 'DevEnvironment',
    plural: 'devenvironments',
    pages: [
      wherePage('DevEnvironment', { askNamespace: true }),
      specPage(devEnvironmentSpec(devEnv.spec, envPolicy)),
      PUBLISH_PAGE,
    ],
    namespace: '${{ parameters.namespace }}',
    extraValues: {},
  });
  const appStack = template({
    name: `devplatform-appstack${suffix}`,
    title: `AppStack${claim}`,
    description: oneLine(app.description),
    xrd: `${apis}/appstack/definition.yaml`,
    kind: 'AppStack',
    plural: 'appstacks',
    pages: [
      wherePage('AppStack', { askNamespace: false }),
      environmentPage(flavour),
      specPage(appStackSpec(app.spec, appPolicy)),
      PUBLISH_PAGE,
    ],
    namespace: environmentAnnotation(flavour.environmentNamespace),
    extraValues: { environmentName: environmentAnnotation(flavour.environmentName) },
    before: [LOOK_UP_ENVIRONMENT],
  });
  return {
    [`devenvironment${suffix}/template.yaml`]: HEADER + stringify(devEnvironment, { lineWidth: 0 }),
    [`devenvironment${suffix}/skeleton/\${{ values.name }}.yaml`]: skeleton(apiVersion, 'DevEnvironment', {
      extraAnnotations: [argocdAppSelector('environment')],
    }),
    [`appstack${suffix}/template.yaml`]: HEADER + stringify(appStack, { lineWidth: 0 }),
    [`appstack${suffix}/skeleton/\${{ values.name }}.yaml`]: skeleton(apiVersion, 'AppStack', {
      extraAnnotations: [argocdAppSelector('appstack')],
      extraSpec: ['  environmentRef:', '    name: ${{ values.environmentName | dump }}'],
    }),
  };
}

export async function generate(target = out) {
  const files = {};
  for (const flavour of FLAVOURS) Object.assign(files, await flavourFiles(flavour));
  rmSync(target, { recursive: true, force: true });
  write(target, files);
  return target;
}

/** A form page whose fields are the spec's, submitted as `parameters.spec`. */
function specPage(spec) {
  const { title, description, ...schema } = spec;
  return { title, description, required: ['spec'], properties: { spec: { title, ...schema } } };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await generate();
  console.log(`make templates: wrote ${dir}`);
}
