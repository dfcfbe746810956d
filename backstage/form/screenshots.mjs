#!/usr/bin/env node
// make screenshots: the forms of backstage/templates as Backstage's own frontend renders them, in
// Chromium, saved under docs/images/. Builds app.jsx (a Backstage app with the scaffolder plugin's
// page; it says what stands in for the backends), serves it on 127.0.0.1, fills the first pages of
// the DevEnvironment and AppStack forms as a developer would, takes screenshots, submits them and
// keeps what they submitted in submitted/ (test/templates.test.ts dry-runs those values).
//
//   CHROMIUM  the browser (default /usr/bin/chromium, Debian's package; the Makefile installs it)
//   OUT       where the PNGs go (default docs/images)
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const out = resolve(root, process.env.OUT ?? join('docs', 'images'));
const bundleDir = join(root, '_output', 'backstage-form');

/**
 * What the scaffolder backend answers for a template's parameter schema (plugin-scaffolder-backend
 * 4.3.0, dist/service/router.cjs.js, GET /v2/templates/:namespace/:kind/:name/parameter-schema).
 */
function parameterSchema(template) {
  const parameters = [template.spec.parameters ?? []].flat();
  return JSON.parse(
    JSON.stringify({
      title: template.metadata.title ?? template.metadata.name,
      ...(template.spec.presentation ? { presentation: template.spec.presentation } : {}),
      description: template.metadata.description,
      'ui:options': template.metadata['ui:options'],
      steps: parameters.map(({ when, ...schema }) => ({
        title: schema.title ?? 'Please enter the following information',
        description: schema.description,
        ...(typeof when === 'string' || typeof when === 'boolean' ? { when } : {}),
        schema,
      })),
      formDecorators: template.spec.formDecorators ?? template.spec.EXPERIMENTAL_formDecorators,
    }),
  );
}

function manifests() {
  const dir = join(root, 'backstage', 'templates');
  return Object.fromEntries(
    readdirSync(dir).map((folder) => {
      const template = parse(readFileSync(join(dir, folder, 'template.yaml'), 'utf8'));
      return [`template:default/${template.metadata.name}`, parameterSchema(template)];
    }),
  );
}

/** A Component as the kubernetes-ingestor writes it for a Crossplane resource, with its annotations. */
const ingested = (name, namespace, what, annotations) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace,
    title: name,
    description: `${what} ${name} from platform`,
    annotations: { 'backstage.io/kubernetes-namespace': namespace, ...annotations },
  },
  spec: { type: 'crossplane-xr', lifecycle: 'production', owner: 'group:default/search' },
});

/** A Crossplane v2 DevEnvironment XR's entity. */
const devEnvironmentEntity = (name, namespace, type) =>
  ingested(name, namespace, `${type} DevEnvironment`, {
    'terasky.backstage.io/crossplane-version': 'v2',
    'terasky.backstage.io/composite-kind': 'DevEnvironment',
    'terasky.backstage.io/composite-name': name,
    'terasky.backstage.io/composite-namespace': namespace,
    'terasky.backstage.io/composite-group': 'devplatform.io',
    'terasky.backstage.io/composite-version': 'v1alpha1',
  });

/** The catalog: DevEnvironments as the kubernetes-ingestor writes them, the teams and a developer. */
const ENTITIES = [
  devEnvironmentEntity('ranking', 'team-search', 'vcluster'),
  devEnvironmentEntity('ranking-gke', 'team-search', 'gke'),
  devEnvironmentEntity('ml-sandbox', 'team-ml', 'gke'),
  // Not DevEnvironments, so not offered: an AppStack, and a legacy XR's claim.
  ingested('ranking-api', 'team-search', 'AppStack', { 'terasky.backstage.io/composite-kind': 'AppStack' }),
  ingested('legacy-app', 'team-legacy', 'DevEnvironment claim', {
    'terasky.backstage.io/claim-kind': 'DevEnvironment',
    'terasky.backstage.io/claim-group': 'claims.devplatform.io',
    'terasky.backstage.io/composite-kind': 'XDevEnvironment',
    'terasky.backstage.io/composite-group': 'claims.devplatform.io',
  }),
  ...['search', 'ml', 'platform-team'].map((name) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'carol', namespace: 'default' },
    spec: { memberOf: ['search'] },
  },
];

async function bundle() {
  mkdirSync(bundleDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'app.jsx')],
    bundle: true,
    outdir: bundleDir,
    entryNames: 'app',
    format: 'esm',
    jsx: 'automatic',
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    minify: true,
    logLevel: 'warning',
  });
  const css = readdirSync(bundleDir).includes('app.css') ? '<link rel="stylesheet" href="/app.css">' : '';
  const data = JSON.stringify({ manifests: manifests(), entities: ENTITIES });
  writeFileSync(
    join(bundleDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>Backstage</title>${css}` +
      `<script>window.process = { env: {} }; window.DEVPLATFORM_FORM = ${data};</script></head>` +
      '<body><div id="root"></div><script type="module" src="/app.js"></script></body></html>',
  );
}

/** Serves the bundle; every other path is the app (it routes in the browser). */
function serve() {
  const types = { js: 'text/javascript', css: 'text/css', html: 'text/html' };
  const server = createServer((req, res) => {
    const file = /^\/(app\.(js|css))$/.exec(req.url ?? '')?.[1] ?? 'index.html';
    res.writeHead(200, { 'content-type': types[file.split('.').pop()] });
    res.end(readFileSync(join(bundleDir, file)));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

// Chromium as this machine runs it headless: no background networking (its connections are refused
// here), a fresh profile.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function shoot(page, name) {
  const path = join(out, `${name}.png`);
  await page.screenshot({ path });
  console.log(`make screenshots: wrote ${path}`);
}

/** Picks `option` in the select or autocomplete `selector` (Material UI menus fade out: wait). */
async function choose(page, selector, option) {
  await page.locator(selector).click();
  await page.getByRole('option', { name: option }).first().click();
  await page.getByRole('listbox').waitFor({ state: 'hidden' });
}

/** Types into a field the way a person does, then leaves it (autocompletes commit on blur). */
async function type(page, locator, text) {
  await locator.pressSequentially(text);
  await page.keyboard.press('Tab');
}

/** The last two pages of every form: the GitOps repository, the review; then Create. */
async function publishAndCreate(page) {
  await type(page, page.getByLabel('Owner'), 'acme');
  await type(page, page.getByLabel('Repository'), 'platform-gitops');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForFunction(() => window.DEVPLATFORM_SUBMITTED !== undefined);
  return page.evaluate(() => window.DEVPLATFORM_SUBMITTED);
}

/** The DevEnvironment form: its first page, then the spec page with a gke environment, submitted. */
async function devEnvironment(page, base) {
  await page.goto(`${base}/create/templates/default/devplatform-devenvironment`);
  await page.getByText('Name your DevEnvironment').first().waitFor();
  await page.locator('#root_name').fill('ml-sandbox');
  await page.locator('#root_namespace').fill('team-ml');
  await page.locator('#root_owner').fill('ml');
  await page.getByRole('option', { name: /ml/ }).first().click();
  await shoot(page, 'backstage-devenvironment-name');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('#root_spec_team').fill('ml');
  await choose(page, '#root_spec_type', 'gke');
  await page.locator('#root_spec_region').waitFor();
  // The page scrolls inside Backstage's layout: a viewport as tall as the form shows all of it.
  await page.setViewportSize({ width: 1280, height: 2300 });
  await shoot(page, 'backstage-devenvironment-spec');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Next' }).click();
  return publishAndCreate(page);
}

/** The AppStack form: its DevEnvironment picked from the catalog, a source, submitted. */
async function appStack(page, base) {
  await page.goto(`${base}/create/templates/default/devplatform-appstack`);
  await page.getByText('Name your AppStack').first().waitFor();
  await page.locator('#root_name').fill('ranking-api');
  await page.locator('#root_owner').fill('search');
  await page
    .getByRole('option', { name: /search/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('#root_environment').click();
  await page.getByRole('option').first().waitFor();
  const offered = await page.getByRole('option').allTextContents();
  if (offered.some((text) => /ranking-api|legacy-app/.test(text)))
    throw new Error(`the picker offers what is not a DevEnvironment: ${offered.join(', ')}`);
  await shoot(page, 'backstage-appstack-environment');
  await page.getByRole('option', { name: 'ranking', exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('#root_spec_source_repoURL').fill('https://github.com/acme/ranking.git');
  await page.locator('#root_spec_source_path').fill('charts/ranking-api');
  await page.getByRole('button', { name: 'Next' }).click();
  return publishAndCreate(page);
}

/**
 * What the form submitted, for test/templates.test.ts to dry-run through the scaffolder: the values
 * of a real browser session, with the untouched fields as Backstage's form library leaves them.
 */
function keep(name, submitted) {
  const path = join(here, 'submitted', `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(submitted, null, 2)}\n`);
  console.log(`make screenshots: wrote ${path}`);
}

async function main() {
  await bundle();
  mkdirSync(out, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    keep('devenvironment', await devEnvironment(page, base));
    keep('appstack', await appStack(page, base));
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
