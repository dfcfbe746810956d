#!/usr/bin/env node
// Dapr component files for running an AppStack's app on a laptop with `dapr run`, under the same
// component names (and app ID) the platform gives it in its environment, so code that works locally
// works there unchanged:
//
//   node scripts/local-components.mjs <appstack.yaml> [--out DIR] [--composition FILE]
//        [--redis HOST:PORT] [--redis-password-env VAR] [--postgres URL] [--secrets FILE]
//
// <appstack.yaml> is an AppStack (or a claim, or a legacy XAppStack). What backs each capability
// follows the platform's policy (the Composition's function input; default: the one in apis/ for
// the kind), with local stand-ins: a local Redis for Redis state and pub/sub, a local PostgreSQL
// for state the platform keeps in the app's database, and a JSON file for the secret store (in the
// environment: the Kubernetes Secrets of the app's namespace). Credentials stay out of the files:
// the Redis password is read from an environment variable, the PostgreSQL URL is local.
// Also writes resiliency.yaml (the policy's Dapr Resiliency). Needs `make build` (it runs the
// function's own parsing and policy code from dist/).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { compositionPolicy } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'functions');

function usage(message) {
  console.error(`local-components: ${message}`);
  console.error(
    'usage: node scripts/local-components.mjs <appstack.yaml> [--out DIR] [--composition FILE] [--redis HOST:PORT] [--redis-password-env VAR] [--postgres URL] [--secrets FILE]',
  );
  process.exit(2);
}

export function parseArgs(argv) {
  const options = {
    out: 'dapr-components',
    redis: 'localhost:6379',
    redisPasswordEnv: 'REDIS_PASSWORD',
    postgres: 'postgres://postgres:postgres@localhost:5432/app?sslmode=disable',
    secrets: 'secrets.json',
  };
  const flags = {
    '--out': 'out',
    '--composition': 'composition',
    '--redis': 'redis',
    '--redis-password-env': 'redisPasswordEnv',
    '--postgres': 'postgres',
    '--secrets': 'secrets',
  };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const key = flags[argv[i]];
    if (key === undefined) {
      if (argv[i].startsWith('--')) usage(`unknown option ${argv[i]}`);
      positional.push(argv[i]);
      continue;
    }
    const value = argv[++i];
    if (value === undefined) usage(`${argv[i - 1]} needs a value`);
    options[key] = value;
  }
  if (positional.length !== 1) usage('give exactly one AppStack file');
  return { file: positional[0], ...options };
}

/** The AppStack as the function parses it: a claim is read as the legacy XR it becomes. */
function asComposite(doc) {
  if (doc === null || typeof doc !== 'object') throw new Error('the file holds no YAML object');
  const kind = doc.kind;
  const group = String(doc.apiVersion).split('/')[0];
  if (group === 'claims.devplatform.io' && kind === 'AppStack') {
    const { name, namespace } = doc.metadata ?? {};
    return {
      flavor: 'legacy',
      xr: {
        ...doc,
        kind: 'XAppStack',
        metadata: {
          name,
          labels: { 'crossplane.io/claim-name': name, 'crossplane.io/claim-namespace': namespace },
        },
      },
    };
  }
  if (kind === 'XAppStack') return { flavor: 'legacy', xr: doc };
  if (kind === 'AppStack') return { flavor: 'namespaced', xr: doc };
  throw new Error(`expected an AppStack, a claim or an XAppStack, got ${doc.apiVersion} ${kind}`);
}

function component(name, type, version, metadata, appId) {
  return {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { type, version, metadata },
    scopes: [appId],
  };
}

/** The local stand-in of each capability, by what backs it in the environment. */
function localComponent(capability, onDatabase, options, appId, stateSeparation) {
  const redis = [
    { name: 'redisHost', value: options.redis },
    { name: 'redisPassword', envRef: options.redisPasswordEnv },
  ];
  switch (capability.type) {
    case 'statestore':
      return onDatabase
        ? component(
            capability.name,
            'state.postgresql',
            'v2',
            [
              { name: 'connectionString', value: options.postgres },
              ...stateSeparation('postgres', capability.name),
            ],
            appId,
          )
        : component(
            capability.name,
            'state.redis',
            'v1',
            [...redis, ...stateSeparation('redis', capability.name)],
            appId,
          );
    case 'pubsub':
      return component(capability.name, 'pubsub.redis', 'v1', redis, appId);
    case 'secretstore':
      return component(
        capability.name,
        'secretstores.local.file',
        'v1',
        [
          { name: 'secretsFile', value: options.secrets },
          { name: 'nestedSeparator', value: ':' },
        ],
        appId,
      );
    default:
      throw new Error(`unknown capability type ${capability.type}`);
  }
}

/** Writes the files; returns what it wrote and the `dapr run` command. */
export async function writeLocalComponents(options) {
  if (!existsSync(join(dist, 'appstack', 'spec.js')))
    throw new Error('run `make build` first (dist/ is missing)');
  const { parseAppStack } = await import(join(dist, 'appstack', 'spec.js'));
  const { resiliencySpec, stateSeparation } = await import(
    join(dist, 'appstack', 'capabilities', 'components.js')
  );
  const { stateOnDatabase } = await import(join(dist, 'appstack', 'capabilities', 'plan.js'));
  const { flavor, xr } = asComposite(parse(readFileSync(options.file, 'utf8')));
  const composition =
    options.composition ??
    join(root, 'apis', flavor === 'legacy' ? 'claims/appstack' : 'appstack', 'composition.yaml');
  const policy = await compositionPolicy(composition);
  const app = parseAppStack(flavor, xr);
  const { daprAppId: appId, capabilities } = app.spec;
  if (capabilities.length === 0)
    throw new Error(`${options.file} asks for no capabilities (spec.capabilities)`);
  const onDatabase = stateOnDatabase(policy, app);
  mkdirSync(options.out, { recursive: true });
  const written = [];
  const write = (name, doc) => {
    const path = join(options.out, `${name}.yaml`);
    writeFileSync(path, `# Written by scripts/local-components.mjs from ${options.file}.\n${stringify(doc)}`);
    written.push(path);
  };
  for (const capability of capabilities) {
    write(capability.name, localComponent(capability, onDatabase, options, appId, stateSeparation));
  }
  write('resiliency', {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Resiliency',
    metadata: { name: `${app.identity.name}-capabilities` },
    scopes: [appId],
    spec: resiliencySpec(policy.capabilities.resiliency, capabilities),
  });
  const command = `dapr run --app-id ${appId} --resources-path ${options.out} -- <your app>`;
  return { appId, written, command };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { written, command } = await writeLocalComponents(parseArgs(process.argv.slice(2)));
    for (const path of written) console.log(`wrote ${path}`);
    console.log(`then: ${command}`);
  } catch (error) {
    console.error(`local-components: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
