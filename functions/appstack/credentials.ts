import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ExternalSecret } from '../models/crds/external-secrets.io/v1/ExternalSecret.js';
import { SecretStore } from '../models/crds/external-secrets.io/v1/SecretStore.js';
import { connectionSecretNamespace } from '../shared/identity.js';
import { dnsLabel } from '../shared/names.js';
import type { JsonObject } from '../shared/objects.js';
import type { Gate } from '../shared/plan.js';
import { plainObject } from '../shared/resources/plain-object.js';
import { desirableCopy } from '../shared/retain.js';
import type { DatabaseContext } from './database-context.js';
import type { ParsedAppStack } from './spec.js';

/** The database and role every AppStack database is created with. */
export const DATABASE_NAME = 'app';
export const DATABASE_USER = 'app';
export const POSTGRES_PORT = 5432;

/** Composition-resource-names of the credentials inside the environment. */
export const CREDENTIALS_RESOURCE = {
  /** The Secret the app mounts (an ExternalSecret writes it). */
  credentials: 'database-credentials',
  /** Cloud databases: the password alone, generated in the environment and mirrored to the platform. */
  password: 'database-password',
  reader: 'database-credentials-reader',
  readerRole: 'database-credentials-reader-role',
  readerBinding: 'database-credentials-reader-binding',
  store: 'database-credentials-store',
} as const;

/** The Secret the app mounts, with keys host, port, username, password, database, uri. */
export function databaseSecretName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-db`, 63);
}

/** The Secret in the environment holding only the generated password of a cloud database. */
export function passwordSecretName(app: ParsedAppStack): string {
  return dnsLabel(`${app.identity.name}-db-password`, 63);
}

/**
 * The Secret on the platform cluster (the XR's namespace; a legacy XR's claim namespace) that the
 * cloud provider reads the password from. provider-kubernetes writes it as the password Object's
 * connection Secret; it is never part of desired state.
 */
export function platformPasswordSecret(app: ParsedAppStack): { name: string; namespace: string } {
  return {
    name: `${dnsLabel(app.identity.name, 40)}-db-password`,
    namespace: connectionSecretNamespace(app.identity),
  };
}

/** The ExternalSecret template writing the six keys the app reads; the password stays a template. */
function credentialsTemplate(host: string, port: number, uriOptions: string): JsonObject {
  return {
    type: 'kubernetes.io/basic-auth',
    engineVersion: 'v2',
    data: {
      host,
      port: String(port),
      username: DATABASE_USER,
      password: '{{ .password }}',
      database: DATABASE_NAME,
      uri: `postgresql://${DATABASE_USER}:{{ .password }}@${host}:${port}/${DATABASE_NAME}${uriOptions}`,
    },
  };
}

function generatorSource(ctx: DatabaseContext): JsonObject {
  const generator = ctx.policy.databases.passwordGenerator;
  return {
    sourceRef: {
      generatorRef: {
        apiVersion: 'generators.external-secrets.io/v1alpha1',
        kind: generator.kind,
        name: generator.name,
      },
    },
  };
}

/**
 * In-cluster databases: the credentials made inside the environment by External Secrets from the
 * platform's password generator, once (refreshPolicy CreatedOnce, and the Secret outlives its
 * ExternalSecret), written straight into the Secret the app mounts. The host is known up front.
 */
export function generatedCredentials(ctx: DatabaseContext, host: string): JsonObject {
  const name = databaseSecretName(ctx.app);
  return ctx.object(
    plainObject(
      new ExternalSecret({
        metadata: { name, namespace: ctx.namespace, labels: ctx.labels },
        spec: {
          refreshPolicy: 'CreatedOnce',
          dataFrom: [generatorSource(ctx)],
          target: {
            name,
            creationPolicy: 'Orphan',
            template: credentialsTemplate(host, POSTGRES_PORT, ''),
          },
        },
      }),
    ),
    { readiness: 'DeriveFromObject' },
  );
}

/**
 * Cloud databases, step one: the password, generated once inside the environment (CreatedOnce,
 * orphaned Secret), and mirrored by provider-kubernetes into the platform Secret the cloud provider
 * sets the database password from. The Object reads it from the cluster as a connection detail, so
 * the password is never in desired state, and its status stays clean when provider-kubernetes runs
 * with --sanitize-secrets (it only manages the ExternalSecret, never the Secret).
 */
export function composePassword(ctx: DatabaseContext, when: Gate): void {
  const name = passwordSecretName(ctx.app);
  const platform = platformPasswordSecret(ctx.app);
  const manifest = plainObject(
    new ExternalSecret({
      metadata: { name, namespace: ctx.namespace, labels: ctx.labels },
      spec: {
        refreshPolicy: 'CreatedOnce',
        dataFrom: [generatorSource(ctx)],
        target: { name, creationPolicy: 'Orphan' },
      },
    }),
  );
  ctx.plan.addWhen(when, {
    name: CREDENTIALS_RESOURCE.password,
    body: ctx.object(manifest, {
      readiness: 'DeriveFromObject',
      connectionDetails: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          name,
          namespace: ctx.namespace,
          fieldPath: 'data.password',
          toConnectionSecretKey: 'password',
        },
      ],
      connectionSecret: { name: platform.name, legacyNamespace: platform.namespace },
    }),
  });
}

/**
 * Cloud databases, step two: the Secret the app mounts, assembled inside the environment by an
 * ExternalSecret that reads the generated password through a SecretStore confined to the app's
 * namespace (a service account that may get only that Secret), and templates it with the database's
 * address. It refreshes, so a new address reaches the app; the password itself never changes.
 */
export function composeDeliveredCredentials(
  ctx: DatabaseContext,
  when: Gate,
  address: { host: string; port: number } | undefined,
): void {
  const { plan, namespace, labels } = ctx;
  const reader = dnsLabel(`${ctx.app.identity.name}-db-reader`, 63);
  const store = databaseSecretName(ctx.app);
  const meta = (name: string) => ({ name, namespace, labels });

  plan.addWhen(when, {
    name: CREDENTIALS_RESOURCE.reader,
    body: ctx.object(plainObject(new ServiceAccount({ metadata: meta(reader) })), {
      readiness: 'SuccessfulCreate',
    }),
  });
  plan.addWhen(when, {
    name: CREDENTIALS_RESOURCE.readerRole,
    body: ctx.object(
      plainObject(
        new Role({
          metadata: meta(reader),
          rules: [
            {
              apiGroups: [''],
              resources: ['secrets'],
              resourceNames: [passwordSecretName(ctx.app)],
              verbs: ['get'],
            },
          ],
        }),
      ),
      { readiness: 'SuccessfulCreate' },
    ),
  });
  plan.addWhen(when, {
    name: CREDENTIALS_RESOURCE.readerBinding,
    body: ctx.object(
      plainObject(
        new RoleBinding({
          metadata: meta(reader),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: reader },
          subjects: [{ kind: 'ServiceAccount', name: reader, namespace }],
        }),
      ),
      { readiness: 'SuccessfulCreate' },
    ),
  });
  const readerReady = plan.gate([
    { name: CREDENTIALS_RESOURCE.reader, label: `service account ${reader}` },
    { name: CREDENTIALS_RESOURCE.readerRole, label: `role ${reader}` },
    { name: CREDENTIALS_RESOURCE.readerBinding, label: `role binding ${reader}` },
  ]);
  plan.addWhen(readerReady, {
    name: CREDENTIALS_RESOURCE.store,
    body: ctx.object(
      plainObject(
        new SecretStore({
          metadata: meta(store),
          spec: {
            provider: {
              kubernetes: {
                remoteNamespace: namespace,
                server: { caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt' } },
                auth: { serviceAccount: { name: reader } },
              },
            },
          },
        }),
      ),
      { readiness: 'DeriveFromObject' },
    ),
  });

  const storeReady = plan.gate([
    { name: CREDENTIALS_RESOURCE.store, label: `secret store ${store}` },
    { name: CREDENTIALS_RESOURCE.password, label: 'database password' },
  ]);
  const secret = databaseSecretName(ctx.app);
  if (address === undefined) {
    // The provider stopped reporting the address: keep what exists as it is rather than blank the host.
    const observed = plan.observedResource(CREDENTIALS_RESOURCE.credentials);
    if (observed !== undefined) {
      plan.add({ name: CREDENTIALS_RESOURCE.credentials, body: desirableCopy(observed) });
    } else {
      plan.addWhen(
        { open: false, blockers: [...storeReady.blockers, { text: 'the address of the database' }] },
        { name: CREDENTIALS_RESOURCE.credentials, body: {} },
      );
    }
    return;
  }
  plan.addWhen(storeReady, {
    name: CREDENTIALS_RESOURCE.credentials,
    body: ctx.object(
      plainObject(
        new ExternalSecret({
          metadata: meta(secret),
          spec: {
            refreshPolicy: 'Periodic',
            refreshInterval: '1h',
            secretStoreRef: { kind: 'SecretStore', name: store },
            data: [
              {
                secretKey: 'password',
                remoteRef: { key: passwordSecretName(ctx.app), property: 'password' },
              },
            ],
            target: {
              name: secret,
              creationPolicy: 'Owner',
              template: credentialsTemplate(address.host, address.port, '?sslmode=require'),
            },
          },
        }),
      ),
      { readiness: 'DeriveFromObject' },
    ),
  });
}
