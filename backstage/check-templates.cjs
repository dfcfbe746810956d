#!/usr/bin/env node
// Validates and dry-runs our Backstage software templates with Backstage's own code, from this
// folder's own dependencies (package.json, package-lock.json; `npm ci` here):
//
//   node backstage/check-templates.cjs <cases.json>
//
// cases.json: { "templatesDir": "...", "entities": [catalog entities], "cases": [{ "name", "template"
// (a folder under templatesDir), "values" (the form's answers) }] }. Prints one JSON object:
// { "templates": { "<folder>": { "valid": true } | { "valid": false, "error": "..." } },
//   "runs": [{ "name", "error"?, "files": { "<path>": "<content>" }, "output", "log": ["..."] }] }
//
// Backstage's code here: the catalog's entity policies and the scaffolder's Template kind validator
// (what the catalog runs when it reads a Template), the check of the values against the form's
// pages that the scaffolder's endpoints make, the scaffolder's dry-run (createDryRunner: its
// NunjucksWorkflowRunner, template filters and secure templating) with the real fetch:template,
// catalog:fetch and publish:github:pull-request actions. Stand-ins, and what they cannot catch: the
// catalog (catalog:fetch reads the entities given, as the kubernetes-ingestor would have written
// them; whether the ingestor writes them so is not tested), GitHub (the pull-request action gets a
// client whose every call fails: a dry run makes none; GitHub's answers are not tested), the
// scaffolder's action registry (a map of the three actions) and its logger and metrics (they
// record). The form itself (react-jsonschema-form in the browser) is not run: the values are given.
'use strict';

const { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join, relative, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const yaml = require('yaml');
const {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} = require('@backstage/catalog-model');
const { ConfigReader } = require('@backstage/config');
const { ScmIntegrations } = require('@backstage/integration');
const { templateEntityV1beta3Validator } = require('@backstage/plugin-scaffolder-common');
const { resolveParameterSteps } = require('@backstage/plugin-scaffolder-common/alpha');
const jsonschema = require('jsonschema');
const {
  createFetchCatalogEntityAction,
  createFetchTemplateAction,
} = require('@backstage/plugin-scaffolder-backend');
const {
  createPublishGithubPullRequestAction,
} = require('@backstage/plugin-scaffolder-backend-module-github');

/**
 * The scaffolder's dry runner is what its /v2/dry-run endpoint runs; the package does not export
 * it, so it is loaded from the pinned release's file.
 */
function loadDryRunner() {
  const pkg = dirname(require.resolve('@backstage/plugin-scaffolder-backend/package.json'));
  return require(join(pkg, 'dist', 'scaffolder', 'dryrun', 'createDryRunner.cjs.js')).createDryRunner;
}

function logger(lines) {
  const log = (level) => (message, meta) =>
    lines.push(`${level}: ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  const self = {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: () => {},
    child: () => self,
  };
  return self;
}

const metrics = {
  createCounter: () => ({ add: () => {} }),
  createHistogram: () => ({ record: () => {} }),
  createUpDownCounter: () => ({ add: () => {} }),
  createGauge: () => ({ record: () => {} }),
  createObservableGauge: () => ({ addCallback: () => {} }),
};

/** The catalog as catalog:fetch asks it: by entity ref, from the entities given. */
function catalogOf(entities) {
  const refOf = (e) => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
  const byRef = new Map(entities.map((e) => [refOf(e), e]));
  return {
    getEntityByRef: async (ref) => {
      const text = typeof ref === 'string' ? ref : `${ref.kind}:${ref.namespace}/${ref.name}`;
      return byRef.get(text.toLowerCase());
    },
    getEntitiesByRefs: async ({ entityRefs }) => ({
      items: entityRefs.map((r) => byRef.get(String(r).toLowerCase())),
    }),
  };
}

async function validateTemplate(entity) {
  const policies = EntityPolicies.allOf([
    new SchemaValidEntityPolicy(),
    new DefaultNamespaceEntityPolicy(),
    new NoForeignRootFieldsEntityPolicy(),
    new FieldFormatEntityPolicy(),
  ]);
  await policies.enforce(entity);
  if (!(await templateEntityV1beta3Validator.check(entity))) throw new Error('not a scaffolder Template');
}

/** Every file under dir as the dry run's directoryContents (paths relative to the template's folder). */
function directoryContents(dir, base = dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return directoryContents(path, base);
    return [{ path: relative(base, path), content: readFileSync(path) }];
  });
}

/**
 * What the scaffolder's /v2/dry-run and /v2/tasks endpoints check before running anything
 * (service/router's validateParameterSteps): the values against each visible form page, with the
 * same libraries. Returns the values the pages keep.
 */
function validateValues(template, values) {
  const pages = [template.spec.parameters ?? []].flat();
  const resolved = resolveParameterSteps(
    values,
    pages.map((schema) => ({ schema, when: schema.when })),
  );
  for (const [index, page] of pages.entries()) {
    if (!resolved.visible[index]) continue;
    const result = jsonschema.validate(values, page);
    if (!result.valid) {
      throw new Error(`the values do not match the form: ${result.errors.map((e) => e.stack).join('; ')}`);
    }
  }
  return resolved.values;
}

async function dryRun(dryRunner, templatesDir, run) {
  const dir = join(templatesDir, run.template);
  const template = yaml.parse(readFileSync(join(dir, 'template.yaml'), 'utf8'));
  const values = validateValues(template, run.values);
  const contents = mkdtempSync(join(tmpdir(), 'dry-run-template-'));
  try {
    const result = await dryRunner({
      spec: {
        apiVersion: template.apiVersion,
        steps: template.spec.steps,
        output: template.spec.output ?? {},
        parameters: values,
        user: { ref: 'user:default/developer', entity: undefined },
      },
      templateInfo: {
        entityRef: `template:default/${template.metadata.name}`,
        baseUrl: pathToFileURL(join(contents, 'template.yaml')).href,
      },
      directoryContents: directoryContents(dir).filter((f) => f.path !== 'template.yaml'),
      secrets: {},
      credentials: {
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/developer' },
      },
    });
    const files = Object.fromEntries(
      result.directoryContents.map((f) => [f.path, Buffer.from(f.content).toString('utf8')]),
    );
    return { files, output: result.output, log: result.log.map((l) => l.body.message) };
  } finally {
    rmSync(contents, { recursive: true, force: true });
  }
}

async function main() {
  const input = JSON.parse(readFileSync(resolve(process.argv[2]), 'utf8'));
  const templatesDir = resolve(input.templatesDir);
  const report = { templates: {}, runs: [] };
  for (const folder of readdirSync(templatesDir)) {
    const entity = yaml.parse(readFileSync(join(templatesDir, folder, 'template.yaml'), 'utf8'));
    try {
      await validateTemplate(entity);
      report.templates[folder] = { valid: true };
    } catch (error) {
      report.templates[folder] = { valid: false, error: String(error?.message ?? error) };
    }
  }
  const config = new ConfigReader({ integrations: { github: [{ host: 'github.com', token: 'stand-in' }] } });
  const integrations = ScmIntegrations.fromConfig(config);
  const actions = new Map(
    [
      createFetchTemplateAction({
        integrations,
        reader: {
          readUrl: async () => {
            throw new Error('no remote reads in these tests');
          },
        },
      }),
      createFetchCatalogEntityAction({ catalog: catalogOf(input.entities ?? []) }),
      createPublishGithubPullRequestAction({
        integrations,
        config,
        // The action makes its client before it checks for a dry run, then returns without using it;
        // a client whose every call fails proves that.
        clientFactory: async () =>
          new Proxy(
            {},
            {
              // Not a thenable (the factory's promise resolves to it); any method call fails.
              get: (_, key) =>
                key === 'then'
                  ? undefined
                  : () => {
                      throw new Error('GitHub stand-in: no calls in a dry run');
                    },
            },
          ),
      }),
    ].map((a) => [a.id, a]),
  );
  const runLog = [];
  const createDryRunner = loadDryRunner();
  const workingDirectory = mkdtempSync(join(tmpdir(), 'scaffolder-'));
  const dryRunner = createDryRunner({
    actionRegistry: {
      get: async (id) => {
        const action = actions.get(id);
        if (action === undefined) throw new Error(`Template action with ID '${id}' is not registered.`);
        return action;
      },
      list: async () => [...actions.values()],
    },
    integrations,
    config,
    logger: logger(runLog),
    metrics,
    workingDirectory,
  });
  for (const run of input.cases) {
    try {
      report.runs.push({ name: run.name, ...(await dryRun(dryRunner, templatesDir, run)) });
    } catch (error) {
      report.runs.push({ name: run.name, error: String(error?.stack ?? error), log: runLog.splice(0) });
    }
  }
  rmSync(workingDirectory, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
