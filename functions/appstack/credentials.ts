import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ExternalSecret } from '../models/crds/external-secrets.io/v1/ExternalSecret.js';
import { SecretStore } from '../models/crds/external-secrets.io/v1/SecretStore.js';
import type { JsonObject } from '../shared/objects.js';
import type { Need } from '../shared/graph/graph.js';
import { modelObject } from '../shared/resources/model-object.js';
import { madeOnceKnown } from '../shared/retain.js';
import type { InEnvironmentContext } from './app-context.js';
import type { DatabaseContext } from './database-context.js';
import {
  credentialsReaderName,
  databaseSecretName,
  passwordSecretName,
  platformPasswordSecret,
  RESOURCE,
} from './naming.js';

/** The database and role every AppStack database is created with. */
export const DATABASE_NAME = 'app';
export const DATABASE_USER = 'app';
export const POSTGRES_PORT = 5432;

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

function generatorSource(ctx: InEnvironmentContext): JsonObject {
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
    modelObject(ExternalSecret, {
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
    { readiness: 'DeriveFromObject' },
  );
}

/** What resources in the app's namespace need of it: deleting the namespace deletes them with it. */
export function inNamespace(namespaceNeeds: Need[]): Need[] {
  return namespaceNeeds.map((need) => ({
    ...need,
    anyDeletionOrder: 'deleting the namespace deletes what is in it',
  }));
}

/**
 * A password generated once inside the environment by External Secrets (CreatedOnce, and the
 * Secret outlives its ExternalSecret) into Secret `secretName` (key `password`) in the app's
 * namespace. With `mirrorTo`, provider-kubernetes also copies it into that platform Secret (the
 * Object's connection Secret), for a cloud provider that sets the password from there: the Object
 * reads it from the cluster as a connection detail, so it is never in desired state, and its
 * status stays clean when provider-kubernetes runs with --sanitize-secrets (it only manages the
 * ExternalSecret, never the Secret).
 */
export function composeGeneratedPassword(
  ctx: InEnvironmentContext,
  password: {
    resource: string;
    what: string;
    secretName: string;
    needs: Need[];
    mirrorTo?: { name: string; namespace: string };
  },
): void {
  const name = password.secretName;
  const manifest = modelObject(ExternalSecret, {
    metadata: { name, namespace: ctx.namespace, labels: ctx.labels },
    spec: {
      refreshPolicy: 'CreatedOnce',
      dataFrom: [generatorSource(ctx)],
      target: { name, creationPolicy: 'Orphan' },
    },
  });
  const mirror = password.mirrorTo;
  ctx.graph.add({
    name: password.resource,
    what: password.what,
    needs: password.needs,
    body: ctx.object(manifest, {
      readiness: 'DeriveFromObject',
      ...(mirror !== undefined
        ? {
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
            connectionSecret: { name: mirror.name, legacyNamespace: mirror.namespace },
          }
        : {}),
    }),
  });
}

/** Cloud databases, step one: the password, generated in the environment and mirrored to the platform. */
export function composePassword(ctx: DatabaseContext, needs: Need[]): Need {
  composeGeneratedPassword(ctx, {
    resource: RESOURCE.password,
    what: 'the database password',
    secretName: passwordSecretName(ctx.app),
    needs,
    mirrorTo: platformPasswordSecret(ctx.app),
  });
  return {
    on: RESOURCE.password,
    for: 'the password',
    anyDeletionOrder: 'the password is read only to set it',
  };
}

/**
 * Cloud databases, step two: the Secret the app mounts, assembled inside the environment by an
 * ExternalSecret that reads the generated password through a SecretStore confined to the app's
 * namespace (a service account that may get only that Secret), and templates it with the database's
 * address. It refreshes, so a new address reaches the app; the password itself never changes.
 */
export function composeDeliveredCredentials(
  ctx: DatabaseContext,
  namespaceNeeds: Need[],
  password: Need,
  address: { host: string; port: number } | undefined,
): void {
  const reader = composeReader(ctx, inNamespace(namespaceNeeds));
  const store = composeStore(ctx, reader);
  composeCredentialsSecret(ctx, [store, password], address);
}

/** The SecretStore's identity: a service account that may get only the password Secret. */
function composeReader(ctx: DatabaseContext, needs: Need[]): Need[] {
  const { graph, namespace, labels } = ctx;
  const reader = credentialsReaderName(ctx.app);
  const metadata = { name: reader, namespace, labels };
  const created = { readiness: 'SuccessfulCreate' as const };
  const role = modelObject(Role, {
    metadata,
    rules: [
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: [passwordSecretName(ctx.app)],
        verbs: ['get'],
      },
    ],
  });
  const binding = modelObject(RoleBinding, {
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: reader },
    subjects: [{ kind: 'ServiceAccount', name: reader, namespace }],
  });
  const parts = [
    {
      name: RESOURCE.reader,
      what: `service account ${reader}`,
      manifest: modelObject(ServiceAccount, { metadata }),
    },
    { name: RESOURCE.readerRole, what: `role ${reader}`, manifest: role },
    { name: RESOURCE.readerBinding, what: `role binding ${reader}`, manifest: binding },
  ];
  for (const part of parts) {
    graph.add({
      name: part.name,
      what: part.what,
      needs,
      body: ctx.object(part.manifest, created),
    });
  }
  return parts.map((part) => ({
    on: part.name,
    for: 'the identity it reads the password as',
    anyDeletionOrder: 'a SecretStore only names its identity',
  }));
}

/** A SecretStore confined to the app's namespace, reading as the reader. */
function composeStore(ctx: DatabaseContext, reader: Need[]): Need {
  const store = databaseSecretName(ctx.app);
  ctx.graph.add({
    name: RESOURCE.store,
    what: `secret store ${store}`,
    needs: reader,
    body: ctx.object(
      modelObject(SecretStore, {
        metadata: { name: store, namespace: ctx.namespace, labels: ctx.labels },
        spec: {
          provider: {
            kubernetes: {
              remoteNamespace: ctx.namespace,
              server: { caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt' } },
              auth: { serviceAccount: { name: credentialsReaderName(ctx.app) } },
            },
          },
        },
      }),
      { readiness: 'DeriveFromObject' },
    ),
  });
  return {
    on: RESOURCE.store,
    for: 'the store it reads the password through',
    anyDeletionOrder: 'it reads through the store only while it refreshes',
  };
}

/**
 * The Secret the app mounts, once the server has an address. If the provider stops reporting the
 * address, what exists is kept as it is rather than the host blanked.
 */
function composeCredentialsSecret(
  ctx: DatabaseContext,
  needs: Need[],
  address: { host: string; port: number } | undefined,
): void {
  const secret = databaseSecretName(ctx.app);
  const observed = ctx.graph.observedResource(RESOURCE.credentials);
  const addressNeed: Need = {
    on: RESOURCE.database,
    for: 'its address',
    until: () => (address === undefined ? 'no address reported yet' : undefined),
    anyDeletionOrder: 'the address is read only to write the Secret',
  };
  const body = madeOnceKnown(
    address,
    (address) =>
      ctx.object(
        modelObject(ExternalSecret, {
          metadata: { name: secret, namespace: ctx.namespace, labels: ctx.labels },
          spec: {
            refreshPolicy: 'Periodic',
            refreshInterval: '1h',
            secretStoreRef: { kind: 'SecretStore', name: databaseSecretName(ctx.app) },
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
        { readiness: 'DeriveFromObject' },
      ),
    observed,
  );
  ctx.graph.add({
    name: RESOURCE.credentials,
    what: `Secret ${secret}`,
    needs: [...needs, addressNeed],
    body,
  });
}
