import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { JsonObject } from '../functions/shared/objects.js';
import { claimToXr } from './support/claims.js';
import { upToDate } from './support/generated.js';
import { REPO } from './support/request.js';
import { admit, xrdValidateBinary } from './support/xrd-validate.js';

/**
 * The Backstage software templates in backstage/templates/ are what `make templates` generates from
 * the XRDs and the policy (no drift), and they pass Backstage's own checks: the catalog's entity
 * policies and the scaffolder's Template validator, then the scaffolder's dry run (its real workflow
 * runner and template engine, the real fetch:template, catalog:fetch and publish:github:pull-request
 * actions) for a set of form answers (backstage/check-templates.cjs says what stands in for the
 * catalog and GitHub). Each XR a dry run writes into the pull request passes the API server's
 * validation of our XRDs and is written under examples/backstage/ (UPDATE_EXAMPLES=1), where `make
 * render` renders it through the real Crossplane CLI and validates the output.
 */
function files(dir: string, base = dir): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory()
        ? Object.entries(files(path, base))
        : [[path.slice(base.length + 1), readFileSync(path, 'utf8')]];
    }),
  );
}

it('backstage/templates is what make templates generates', () => {
  const out = mkdtempSync(join(tmpdir(), 'templates-'));
  try {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'templates.mjs')], {
      cwd: REPO,
      env: { ...process.env, OUT: out },
      stdio: 'pipe',
    });
    expect(files(out)).toEqual(files(join(REPO, 'backstage', 'templates')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/**
 * The catalog entity of DevEnvironment ranking in team-search, as the kubernetes-ingestor (TeraSky
 * backstage-plugins, kubernetes-ingestor EntityProvider.translateCrossplaneCompositeToEntity) writes
 * it for a Crossplane v2 XR, with its default mappings except namespaceModel: namespace (so the
 * entity's namespace is not the XR's by accident). Stands in for the catalog the ingestor fills: it
 * cannot catch a change in the ingestor's annotations, which is why they are spelled out here.
 */
const RANKING_ENTITY = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ranking',
    namespace: 'team-search',
    title: 'ranking',
    annotations: {
      'backstage.io/kubernetes-cluster': 'platform',
      'backstage.io/kubernetes-namespace': 'team-search',
      'backstage.io/kubernetes-label-selector': 'crossplane.io/composite=ranking',
      'terasky.backstage.io/owner': 'group:default/search',
      'terasky.backstage.io/add-to-catalog': 'true',
      'terasky.backstage.io/crossplane-version': 'v2',
      'terasky.backstage.io/crossplane-scope': 'Namespaced',
      'terasky.backstage.io/composite-kind': 'DevEnvironment',
      'terasky.backstage.io/composite-name': 'ranking',
      'terasky.backstage.io/composite-namespace': 'team-search',
      'terasky.backstage.io/composite-group': 'devplatform.io',
      'terasky.backstage.io/composite-version': 'v1alpha1',
      'terasky.backstage.io/composite-plural': 'devenvironments',
      'terasky.backstage.io/composition-name': 'devenvironment',
      'terasky.backstage.io/crossplane-resource': 'true',
      'terasky.backstage.io/component-type': 'crossplane-xr',
    },
  },
  spec: { type: 'crossplane-xr', lifecycle: 'production', owner: 'group:default/search' },
};

/**
 * The catalog entity of the DevEnvironment claim legacy-app in team-legacy
 * (examples/claims/devenvironment/claim.yaml), as the ingestor writes it for a claim
 * (translateCrossplaneClaimToEntity): the claim's kind, group and name, the XR's kind and name, and
 * the claim's namespace as the entity's Kubernetes namespace.
 */
const LEGACY_APP_ENTITY = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'legacy-app',
    namespace: 'team-legacy',
    title: 'legacy-app',
    annotations: {
      'backstage.io/kubernetes-namespace': 'team-legacy',
      'backstage.io/kubernetes-label-selector':
        'crossplane.io/claim-name=legacy-app,crossplane.io/claim-namespace=team-legacy,crossplane.io/composite=legacy-app-x7k2q',
      'terasky.backstage.io/owner': 'group:default/legacy',
      'terasky.backstage.io/claim-name': 'legacy-app',
      'terasky.backstage.io/claim-kind': 'DevEnvironment',
      'terasky.backstage.io/claim-version': 'v1alpha1',
      'terasky.backstage.io/claim-group': 'claims.devplatform.io',
      'terasky.backstage.io/claim-plural': 'devenvironments',
      'terasky.backstage.io/crossplane-resource': 'true',
      'terasky.backstage.io/composite-kind': 'XDevEnvironment',
      'terasky.backstage.io/composite-name': 'legacy-app-x7k2q',
      'terasky.backstage.io/composite-group': 'claims.devplatform.io',
      'terasky.backstage.io/composite-version': 'v1alpha1',
      'terasky.backstage.io/composite-plural': 'xdevenvironments',
      'terasky.backstage.io/composition-name': 'xdevenvironment',
      'terasky.backstage.io/component-type': 'crossplane-claim',
    },
  },
  spec: { type: 'crossplane-claim', lifecycle: 'production', owner: 'group:default/legacy' },
};

const PUBLISH = { repoUrl: 'github.com?owner=acme&repo=platform-gitops', path: 'teams' };

/** Answers the scaffolder must refuse, as its endpoints do, before running anything. */
const REFUSED = [
  {
    name: 'region-outside-the-policy',
    template: 'devenvironment',
    values: {
      name: 'ml-elsewhere',
      namespace: 'team-ml',
      owner: 'group:default/ml',
      spec: { team: 'ml', type: 'gke', region: 'mars-north1' },
      ...PUBLISH,
    },
    error: /the values do not match the form: .*spec/,
  },
  {
    name: 'tool-outside-the-catalogue',
    template: 'devenvironment',
    values: {
      name: 'ml-tools',
      namespace: 'team-ml',
      owner: 'group:default/ml',
      spec: { team: 'ml', type: 'vcluster', tools: ['jenkins'] },
      ...PUBLISH,
    },
    error: /the values do not match the form: instance\.spec\.tools\[0\] is not one of enum values/,
  },
];

/** Form answers, as a developer would give them in the form, per template. */
const CASES: Array<{ name: string; template: string; values: JsonObject }> = [
  {
    name: 'gke-devenvironment',
    template: 'devenvironment',
    values: {
      name: 'ml-sandbox',
      namespace: 'team-ml',
      owner: 'group:default/ml',
      spec: {
        team: 'ml',
        type: 'gke',
        size: 'medium',
        region: 'europe-west4',
        kubernetesVersion: '1.35',
        tools: ['argocd', 'dapr', 'external-secrets'],
        access: { users: ['carol@example.com'] },
        ttl: '14d',
      },
      ...PUBLISH,
    },
  },
  {
    name: 'vcluster-devenvironment',
    template: 'devenvironment',
    values: {
      name: 'search-sleepy',
      namespace: 'team-search',
      owner: 'group:default/search',
      spec: {
        team: 'search',
        type: 'vcluster',
        kubernetesVersion: '1.36',
        tools: ['argocd', 'cloudnative-pg', 'external-secrets'],
        sleep: {
          schedule: { weekdays: '0-6', sleepAt: '20:00', wakeUpAt: '07:00', timeZone: 'Europe/Berlin' },
        },
      },
      ...PUBLISH,
    },
  },
  {
    name: 'appstack',
    template: 'appstack',
    values: {
      name: 'ranking-api',
      owner: 'group:default/search',
      environment: 'component:team-search/ranking',
      spec: {
        source: {
          repoURL: 'https://github.com/acme/ranking.git',
          path: 'charts/ranking-api',
          helm: { values: { replicaCount: 2, image: { tag: '1.4.0' } } },
        },
        namespace: 'ranking',
        database: { engine: 'postgres', version: '16', size: 'medium' },
        capabilities: [
          { type: 'statestore', name: 'rankings' },
          { type: 'pubsub', name: 'events' },
        ],
      },
      ...PUBLISH,
    },
  },
  // The same forms for a platform that serves claims (legacy XRs): the dry run writes a claim.
  {
    name: 'claims/devenvironment',
    template: 'devenvironment-claim',
    values: {
      name: 'legacy-batch',
      namespace: 'team-legacy',
      owner: 'group:default/legacy',
      spec: {
        team: 'legacy',
        type: 'vcluster',
        size: 'small',
        tools: ['argocd', 'cloudnative-pg'],
        ttl: '7d',
      },
      ...PUBLISH,
    },
  },
  {
    name: 'claims/appstack',
    template: 'appstack-claim',
    values: {
      name: 'legacy-worker',
      owner: 'group:default/legacy',
      environment: 'component:team-legacy/legacy-app',
      spec: {
        source: { repoURL: 'https://github.com/acme/legacy-worker.git', path: 'deploy' },
        capabilities: [{ type: 'pubsub', name: 'jobs' }],
      },
      ...PUBLISH,
    },
  },
];

/**
 * What Backstage's real form submitted in Chromium (backstage/form/submitted/, written by `make
 * screenshots`): the values of a browser session, untouched fields as Backstage's form library
 * leaves them (an empty list, an empty object), which answers typed here would not show.
 */
const SUBMITTED = readdirSync(join(REPO, 'backstage', 'form', 'submitted')).map((file) => {
  const { templateRef, values } = JSON.parse(
    readFileSync(join(REPO, 'backstage', 'form', 'submitted', file), 'utf8'),
  ) as { templateRef: string; values: JsonObject };
  return {
    name: `form/${file.replace(/\.json$/, '')}`,
    template: templateRef.replace(/^.*devplatform-/, ''),
    values,
  };
});
CASES.push(...SUBMITTED);

/**
 * The DevEnvironment each AppStack template's cases pick, as the template reads it from the catalog
 * entity: its name and namespace, from the ingestor's annotations of an XR or of a claim.
 */
const PICKED: Record<string, { environment: string; namespace: string } | undefined> = {
  appstack: {
    environment: RANKING_ENTITY.metadata.annotations['terasky.backstage.io/composite-name'],
    namespace: RANKING_ENTITY.metadata.annotations['terasky.backstage.io/composite-namespace'],
  },
  'appstack-claim': {
    environment: LEGACY_APP_ENTITY.metadata.annotations['terasky.backstage.io/claim-name'],
    namespace: LEGACY_APP_ENTITY.metadata.annotations['backstage.io/kubernetes-namespace'],
  },
};

interface Report {
  templates: Record<string, { valid: boolean; error?: string }>;
  runs: Array<{
    name: string;
    error?: string;
    files?: Record<string, string>;
    output?: JsonObject;
    log: string[];
  }>;
}

describe('the templates, checked and run by Backstage', () => {
  let report: Report;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'template-cases-'));
    const input = join(dir, 'cases.json');
    writeFileSync(
      input,
      JSON.stringify({
        templatesDir: join(REPO, 'backstage', 'templates'),
        entities: [RANKING_ENTITY, LEGACY_APP_ENTITY],
        cases: [...CASES, ...REFUSED],
      }),
    );
    try {
      const out = execFileSync(process.execPath, [join(REPO, 'backstage', 'check-templates.cjs'), input], {
        cwd: join(REPO, 'backstage'),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      report = JSON.parse(out) as Report;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(['devenvironment', 'appstack', 'devenvironment-claim', 'appstack-claim'])(
    '%s passes the catalog and scaffolder validators',
    (template) => {
      expect(report.templates[template]).toEqual({ valid: true });
    },
  );

  const xrOf = (name: string): JsonObject => {
    const run = report.runs.find((r) => r.name === name)!;
    expect(run.error).toBeUndefined();
    const [path, ...others] = Object.keys(run.files ?? {});
    expect(others).toEqual([]);
    expect(path).toMatch(/^manifests\/[a-z0-9-]+\.yaml$/);
    return parse(run.files?.[path ?? ''] ?? '') as JsonObject;
  };

  it.each(CASES.map((c) => [c.name, c]))('%s: the dry run writes the XR the form describes', (_name, c) => {
    const written = xrOf(c.name);
    const { name, owner, spec, ...where } = c.values as {
      name: string;
      namespace?: string;
      owner: string;
      spec: JsonObject;
    };
    const claims = c.template.endsWith('-claim');
    expect(written.apiVersion).toBe(claims ? 'claims.devplatform.io/v1alpha1' : 'devplatform.io/v1alpha1');
    // An AppStack goes into its DevEnvironment's namespace, read from the picked catalog entity.
    const picked = PICKED[c.template];
    const namespace = where.namespace ?? picked?.namespace;
    // Backstage's Argo CD plugin finds Applications by the labels the function gives them: an
    // AppStack's own, and for a DevEnvironment every Application deployed into it.
    const selected = picked !== undefined ? 'appstack' : 'environment';
    expect(written.metadata).toEqual({
      name,
      namespace,
      annotations: {
        'terasky.backstage.io/owner': owner,
        'terasky.backstage.io/add-to-catalog': 'true',
        'argocd/app-selector': `devplatform.io/${selected}=${name},devplatform.io/owner-namespace=${namespace}`,
      },
    });
    // The skeleton leaves out what the form left empty: the field takes its default.
    const given = Object.fromEntries(
      Object.entries(spec).filter(([, v]) => !['[]', '{}'].includes(JSON.stringify(v))),
    );
    expect(written.spec).toEqual(
      picked !== undefined ? { environmentRef: { name: picked.environment }, ...given } : given,
    );
    const header = `# Generated by test/templates.test.ts (UPDATE_EXAMPLES=1): the ${claims ? 'claim' : 'XR'} Backstage's dry run of backstage/templates/${c.template} writes for these answers.`;
    const dir = join(REPO, 'examples', 'backstage', c.name);
    if (!claims) {
      upToDate(join(dir, 'xr.yaml'), `${header}\n${stringify(written)}`);
      return;
    }
    upToDate(join(dir, 'claim.yaml'), `${header}\n${stringify(written)}`);
    const xrKind = `X${String(written.kind)}`;
    upToDate(
      join(dir, 'xr.yaml'),
      `# The ${xrKind} Crossplane makes for claim.yaml (test/support/claims.ts stands in for its claim syncer).\n${stringify(claimToXr(written, xrKind))}`,
    );
  });

  it('opens the pull request into the folder of the namespace, on a branch of its own', () => {
    const run = report.runs.find((r) => r.name === 'appstack')!;
    const log = run.log.join('\n');
    expect(log).toContain('"targetPath": "teams/team-search"');
    expect(log).toContain('"branchName": "appstacks/team-search/ranking-api"');
    expect(log).toContain('Performing dry run of creating pull request');
    expect(run.output).toMatchObject({ links: [{ title: 'Pull request', url: PUBLISH.repoUrl }] });
  });

  it.each([
    ['appstack', 'appstack', 'devenvironment'],
    ['claims/appstack', 'appstack-claim', 'devenvironment-claim'],
  ])(
    '%s: the Argo CD selectors select the Application the function composes',
    (name, template, envTemplate) => {
      const { environment, namespace } = PICKED[template]!;
      const golden = JSON.parse(
        readFileSync(join(REPO, 'test', 'golden', 'backstage', name, 'ready.json'), 'utf8'),
      ) as { desired: { resources: Record<string, { resource: JsonObject }> } };
      // The Application goes to the platform's Argo CD inside a provider-kubernetes Object.
      const object = golden.desired.resources.application?.resource as {
        spec: { forProvider: { manifest: { kind: string; metadata: { labels: Record<string, string> } } } };
      };
      const application = object.spec.forProvider.manifest;
      expect(application.kind).toBe('Application');
      const selects = (selector: unknown): boolean =>
        String(selector)
          .split(',')
          .every((term) => {
            const [key = '', value] = term.split('=');
            return application.metadata.labels[key] === value;
          });
      const app = xrOf(name) as { metadata: { annotations: Record<string, string> } };
      expect(selects(app.metadata.annotations['argocd/app-selector'])).toBe(true);
      // The DevEnvironment's entity shows the Applications deployed into it: its skeleton's selector,
      // filled in for the AppStack's DevEnvironment.
      const skeleton = readFileSync(
        join(REPO, 'backstage', 'templates', envTemplate, 'skeleton', '${{ values.name }}.yaml'),
        'utf8',
      );
      const envSelector = /argocd\/app-selector: "(.*)"/
        .exec(skeleton)?.[1]
        ?.replaceAll('${{ values.name }}', environment)
        .replaceAll('${{ values.namespace }}', namespace);
      expect(envSelector).toContain(`devplatform.io/environment=${environment}`);
      expect(selects(envSelector)).toBe(true);
    },
  );

  it.each(REFUSED.map((r) => [r.name, r.error]))('refuses %s before running anything', (name, error) => {
    const run = report.runs.find((r) => r.name === name)!;
    expect(run.error).toMatch(error);
    expect(run.files).toBeUndefined();
  });

  it('yields XRs the API server admits', () => {
    const results = admit(
      xrdValidateBinary(),
      CASES.map((c) => ({ name: c.name, object: xrOf(c.name) })),
    );
    for (const result of results.values()) expect(result).toMatchObject({ errors: [], pruned: [] });
  }, 600_000);
});
