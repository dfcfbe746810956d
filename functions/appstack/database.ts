import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Cluster as PostgresCluster } from '../models/crds/postgresql.cnpg.io/v1/Cluster.js';
import { ExternalSecret } from '../models/crds/external-secrets.io/v1/ExternalSecret.js';
import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import type { Gate, Plan } from '../shared/plan.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import type { TargetEnvironment } from './environment.js';
import type { DatabaseSpec, ParsedAppStack } from './spec.js';

/** Composition-resource-names of an AppStack's database. */
export const DB_RESOURCE = {
  namespace: 'app-namespace',
  credentials: 'database-credentials',
  database: 'database',
} as const;

/** The Secret the app mounts, with keys host, port, username, password, database, uri. */
export function databaseSecretName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-db`, 63);
}

export interface DatabaseStatus {
  secretName: string;
  ready: boolean;
}

const DATABASE = 'app';
const USER = 'app';
const PORT = '5432';

/**
 * The credentials, made inside the environment by External Secrets from the platform's password
 * generator, once (refreshPolicy CreatedOnce, and the Secret outlives its ExternalSecret), and
 * written straight into the Secret the app mounts. The password never passes through Crossplane:
 * desired state holds only a template.
 */
function credentials(
  app: ParsedAppStack,
  policy: ResolvedPolicy,
  namespace: string,
  host: string,
  labels: Record<string, string>,
): JsonObject {
  const name = databaseSecretName(app);
  const generator = policy.databases.passwordGenerator;
  return new ExternalSecret({
    metadata: { name, namespace, labels },
    spec: {
      refreshPolicy: 'CreatedOnce',
      dataFrom: [
        {
          sourceRef: {
            generatorRef: {
              apiVersion: 'generators.external-secrets.io/v1alpha1',
              kind: generator.kind,
              name: generator.name,
            },
          },
        },
      ],
      target: {
        name,
        creationPolicy: 'Orphan',
        template: {
          type: 'kubernetes.io/basic-auth',
          engineVersion: 'v2',
          data: {
            host,
            port: PORT,
            username: USER,
            password: '{{ .password }}',
            database: DATABASE,
            uri: `postgresql://${USER}:{{ .password }}@${host}:${PORT}/${DATABASE}`,
          },
        },
      },
    },
  }).toJSON() as JsonObject;
}

/** A CloudNativePG Cluster sized by the policy, bootstrapped with the generated credentials. */
function postgresCluster(
  app: ParsedAppStack,
  database: DatabaseSpec,
  policy: ResolvedPolicy,
  namespace: string,
  name: string,
  labels: Record<string, string>,
): JsonObject {
  const pg = policy.databases.postgres;
  const version = database.version ?? pg.defaultVersion;
  const image = pg.versions[version];
  if (image === undefined) {
    throw new InputError(
      'spec.database.version',
      `"${version}" is not offered; the platform offers ${Object.keys(pg.versions).sort().join(', ')}`,
    );
  }
  const size = pg.sizes[database.size];
  const resources = {
    ...(size.cpu !== undefined ? { cpu: size.cpu } : {}),
    ...(size.memory !== undefined ? { memory: size.memory } : {}),
  };
  return new PostgresCluster({
    metadata: { name, namespace, labels },
    spec: {
      instances: size.instances,
      imageName: image,
      storage: { size: size.storage },
      ...(Object.keys(resources).length > 0 ? { resources: { requests: resources, limits: resources } } : {}),
      bootstrap: { initdb: { database: DATABASE, owner: USER, secret: { name: databaseSecretName(app) } } },
    },
  }).toJSON() as JsonObject;
}

/**
 * Where the database goes: through the environment's kubernetes ProviderConfig, once the tools the
 * platform's in-cluster databases need are ready there (namespace environments rely on the host).
 */
function databaseTarget(
  environment: TargetEnvironment,
  policy: ResolvedPolicy,
): { providerConfig: ProviderConfigRef; gate: Gate } {
  if (environment.type === 'gke' || environment.type === 'eks') {
    throw new InputError(
      'spec.database',
      `${environment.type === 'gke' ? 'Cloud SQL' : 'RDS'} databases for ${environment.type} environments are not available in this release yet; deploy into a namespace or vcluster environment, or leave spec.database out`,
    );
  }
  if (environment.kubernetesProviderConfig === undefined) {
    throw new InputError(
      'spec.environmentRef.name',
      `DevEnvironment ${environment.name} does not report status.kubernetesProviderConfigRef; it was composed by an older function-devplatform`,
    );
  }
  const blockers: Gate['blockers'] = [];
  if (environment.type !== 'namespace') {
    const needed = policy.databases.inClusterTools;
    const missing = needed.filter((t) => !environment.tools.some((x) => x.name === t));
    if (missing.length > 0) {
      throw new InputError(
        'spec.database',
        `DevEnvironment ${environment.name} needs the tools ${missing.join(', ')} for an in-cluster database; add them to its spec.tools`,
      );
    }
    for (const tool of environment.tools.filter((t) => needed.includes(t.name) && !t.ready)) {
      blockers.push({ text: `tool ${tool.name} in DevEnvironment ${environment.name}` });
    }
  }
  return {
    providerConfig: environment.kubernetesProviderConfig,
    gate: { open: blockers.length === 0, blockers },
  };
}

/**
 * An in-cluster PostgreSQL for the app, in its namespace in the environment (namespace and vcluster
 * environments): the namespace (where the environment has a cluster of its own), the credentials,
 * then the CloudNativePG Cluster. The environment must have the platform's in-cluster database tools.
 */
export function composeInClusterPostgres(
  app: ParsedAppStack,
  database: DatabaseSpec,
  environment: TargetEnvironment,
  policy: ResolvedPolicy,
  plan: Plan,
  target: { namespace: string; labels: Record<string, string> },
): DatabaseStatus {
  const flavor = app.identity.flavor;
  const { namespace, labels } = target;
  const { providerConfig, gate: ready } = databaseTarget(environment, policy);
  const object = (manifest: JsonObject, readiness: 'SuccessfulCreate' | 'DeriveFromObject') =>
    kubernetesObject(flavor, { manifest, providerConfig, labels, readiness });
  const clusterName = dnsLabel(`${app.identity.name}-db`, 40, true);
  const host = `${clusterName}-rw.${namespace}.svc`;

  let gate = ready;
  if (environment.type !== 'namespace') {
    plan.addWhen(gate, {
      name: DB_RESOURCE.namespace,
      body: object(
        new Namespace({ metadata: { name: namespace, labels } }).toJSON() as JsonObject,
        'DeriveFromObject',
      ),
    });
    gate = plan.gate([{ name: DB_RESOURCE.namespace, label: `namespace ${namespace} in the environment` }]);
  }
  plan.addWhen(gate, {
    name: DB_RESOURCE.credentials,
    body: object(credentials(app, policy, namespace, host, labels), 'DeriveFromObject'),
  });
  plan.addWhen(plan.gate([{ name: DB_RESOURCE.credentials, label: 'database credentials' }]), {
    name: DB_RESOURCE.database,
    body: object(postgresCluster(app, database, policy, namespace, clusterName, labels), 'DeriveFromObject'),
  });
  return { secretName: databaseSecretName(app), ready: plan.isReady(DB_RESOURCE.database) };
}
