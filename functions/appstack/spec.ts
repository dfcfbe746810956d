import { XAppStack, type IXAppStack } from '../models/apis/claims.devplatform.io/v1alpha1/XAppStack.js';
import { AppStack, type IAppStack } from '../models/apis/devplatform.io/v1alpha1/AppStack.js';
import { InputError } from '../shared/errors.js';
import type { Flavor } from '../shared/flavor.js';
import { compositeIdentity, type CompositeIdentity } from '../shared/identity.js';
import { dnsLabel } from '../shared/names.js';
import { getPath, isObject, type JsonObject, withoutNullFields } from '../shared/objects.js';
import { validateModel } from '../shared/validation.js';

export const APP_STACK_GROUPS: Record<Flavor, { apiVersion: string; kind: string }> = {
  namespaced: { apiVersion: 'devplatform.io/v1alpha1', kind: 'AppStack' },
  legacy: { apiVersion: 'claims.devplatform.io/v1alpha1', kind: 'XAppStack' },
};

/** An AppStack's spec after validation and defaulting. */
export interface AppStackSpec {
  environmentName: string;
  source: { repoURL: string; path?: string; targetRevision: string; helmValues?: JsonObject };
  /** The app's namespace in the environment, when the team chose one. */
  namespace?: string;
  sync: { automated: boolean; prune: boolean; selfHeal: boolean };
  database?: DatabaseSpec;
  /** The Dapr app ID the capabilities are scoped to (default: the AppStack's name). */
  daprAppId: string;
  /** The capabilities asked for, each with its Dapr component name (default: its type). */
  capabilities: CapabilitySpec[];
}

export const CAPABILITY_TYPES = ['statestore', 'pubsub', 'secretstore'] as const;
export type CapabilityType = (typeof CAPABILITY_TYPES)[number];

export interface CapabilitySpec {
  type: CapabilityType;
  /** The Dapr component name. */
  name: string;
}

export interface DatabaseSpec {
  engine: 'postgres';
  /** Major version; the policy's default when not given. */
  version?: string;
  size: 'small' | 'medium' | 'large';
}

export interface ParsedAppStack {
  identity: CompositeIdentity;
  spec: AppStackSpec;
}

/** The user-settable part of the XR, as the XRD schema sees it (Crossplane adds fields of its own). */
function userSpec(xr: JsonObject): JsonObject {
  const spec = isObject(xr.spec) ? xr.spec : undefined;
  if (spec === undefined)
    throw new InputError('spec', 'expected an object with at least environmentRef and source');
  const fields = ['environmentRef', 'source', 'namespace', 'sync', 'database', 'daprAppId', 'capabilities'];
  const pruned = withoutNullFields(
    Object.fromEntries(fields.filter((f) => f in spec).map((f) => [f, spec[f]])),
  );
  // Helm values are free-form (x-kubernetes-preserve-unknown-fields): there a null is Helm's "delete this default".
  const values = getPath(spec, ['source', 'helm', 'values']);
  const helm = getPath(pruned, ['source', 'helm']);
  if (isObject(values) && isObject(helm)) helm.values = values;
  return pruned;
}

/**
 * Reads and validates an AppStack (namespaced) or XAppStack (legacy) XR against its XRD schema.
 * Throws InputErrors naming every bad field.
 */
export function parseAppStack(flavor: Flavor, xr: JsonObject): ParsedAppStack {
  const identity = compositeIdentity(flavor, xr);
  if (flavor === 'legacy' && identity.namespace === undefined) {
    throw new InputError(
      'metadata.labels',
      "a legacy XAppStack must come from an AppStack claim: its environmentRef names a DevEnvironment claim in the claim's namespace",
    );
  }
  const { apiVersion, kind } = APP_STACK_GROUPS[flavor];
  const candidate = { apiVersion, kind, metadata: {}, spec: userSpec(xr) };
  validateModel('', () =>
    flavor === 'namespaced'
      ? new AppStack(candidate as unknown as IAppStack).validate()
      : new XAppStack(candidate as unknown as IXAppStack).validate(),
  );
  const s = candidate.spec as unknown as IAppStack['spec'];
  const helmValues = s.source.helm?.values;
  return {
    identity,
    spec: {
      environmentName: s.environmentRef.name,
      source: {
        repoURL: s.source.repoURL,
        ...(s.source.path !== undefined ? { path: s.source.path } : {}),
        targetRevision: s.source.targetRevision ?? 'HEAD',
        ...(isObject(helmValues) ? { helmValues } : {}),
      },
      ...(s.namespace !== undefined ? { namespace: s.namespace } : {}),
      sync: {
        automated: s.sync?.automated ?? true,
        prune: s.sync?.prune ?? true,
        selfHeal: s.sync?.selfHeal ?? true,
      },
      ...(s.database !== undefined
        ? {
            database: {
              engine: s.database.engine,
              ...(s.database.version !== undefined ? { version: s.database.version } : {}),
              size: s.database.size ?? 'small',
            },
          }
        : {}),
      daprAppId: s.daprAppId ?? dnsLabel(identity.name, 63),
      capabilities: parseCapabilities(s.capabilities ?? []),
    },
  };
}

/**
 * The capabilities with their names, each name once (the XRD's CEL says so too, but a legacy XR
 * edited past its claim, or an older XRD, must not compose two components of one name).
 */
function parseCapabilities(given: NonNullable<IAppStack['spec']['capabilities']>): CapabilitySpec[] {
  const seen = new Set<string>();
  return given.map((c, i) => {
    const name = c.name ?? c.type;
    if (seen.has(name)) {
      throw new InputError(
        `spec.capabilities[${i}].name`,
        `"${name}" names two capabilities; give each a unique name (a capability without one is named after its type)`,
      );
    }
    seen.add(name);
    return { type: c.type, name };
  });
}
