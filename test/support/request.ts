import { readFileSync } from 'node:fs';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { parseAllDocuments } from 'yaml';
import { shortHash } from '../../functions/shared/names.js';
import { isObject, type JsonObject } from '../../functions/shared/objects.js';
import { providerReports, readyConditions } from '../../scripts/providers.mjs';

export const REPO = new URL('../..', import.meta.url).pathname;

/** The YAML documents of a file; a YAML error (a duplicated key, say) fails loudly rather than parsing. */
export function readYamlDocs(path: string): JsonObject[] {
  return parseAllDocuments(readFileSync(`${REPO}${path}`, 'utf8'))
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`${path}: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as unknown;
    })
    .filter(isObject);
}

export function readYaml(path: string): JsonObject {
  const [doc] = readYamlDocs(path);
  if (doc === undefined) throw new Error(`${path} holds no YAML document`);
  return doc;
}

/** The pipeline input of the Composition in `path`. */
export function compositionInput(path: string): JsonObject {
  const composition = readYaml(path);
  const step = (composition.spec as { pipeline: Array<{ input?: JsonObject }> }).pipeline[0];
  return step?.input ?? {};
}

/** Observed composed resources: a list with composition-resource-name annotations, or a name→object map. */
export type Observed = JsonObject[] | Record<string, JsonObject>;

function observedMap(observed: Observed): Record<string, { resource: JsonObject }> {
  if (!Array.isArray(observed)) {
    return Object.fromEntries(Object.entries(observed).map(([k, v]) => [k, { resource: v }]));
  }
  const out: Record<string, { resource: JsonObject }> = {};
  for (const r of observed) {
    const name = (r.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[
      'crossplane.io/composition-resource-name'
    ];
    if (name === undefined) throw new Error('observed resource without composition-resource-name');
    out[name] = { resource: r };
  }
  return out;
}

export function requestFor(
  xr: JsonObject,
  options: { observed?: Observed; input?: JsonObject; required?: Record<string, JsonObject[]> } = {},
): RunFunctionRequest {
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'test' },
    observed: { composite: { resource: xr }, resources: observedMap(options.observed ?? []) },
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.required !== undefined
      ? {
          requiredResources: Object.fromEntries(
            Object.entries(options.required).map(([name, items]) => [
              name,
              { items: items.map((resource) => ({ resource })) },
            ]),
          ),
        }
      : {}),
  });
}

/** Desired composed resources of a response, by name. */
export function desiredOf(rsp: RunFunctionResponse): Record<string, JsonObject> {
  return Object.fromEntries(
    Object.entries(rsp.desired?.resources ?? {}).map(([k, v]) => [k, (v.resource ?? {}) as JsonObject]),
  );
}

export function statusOf(rsp: RunFunctionResponse): JsonObject {
  const status = rsp.desired?.composite?.resource?.status as unknown;
  return isObject(status) ? status : {};
}

const CLUSTER_SCOPED_KINDS = new Set(['ClusterProviderConfig', 'ClusterUsage']);

/**
 * What Crossplane and the providers would report for a desired resource once it exists and is
 * ready: named (as Crossplane names it), annotated with its composition-resource-name, conditions set.
 */
export function asObservedReady(xr: JsonObject, name: string, desired: JsonObject, ready = true): JsonObject {
  const xrMeta = xr.metadata as { name: string; namespace?: string };
  const metadata = { ...((desired.metadata as JsonObject | undefined) ?? {}) };
  const namespaced =
    (String(desired.apiVersion).includes('.m.') || desired.kind === 'Usage') &&
    !CLUSTER_SCOPED_KINDS.has(String(desired.kind));
  metadata.name ??= `${xrMeta.name}-${shortHash(name, 5)}`;
  // The API server stamps every object; a minute before the providers report it ready.
  metadata.creationTimestamp ??= '2026-11-20T09:04:00Z';
  if (namespaced && xrMeta.namespace !== undefined) metadata.namespace ??= xrMeta.namespace;
  metadata.annotations = {
    ...((metadata.annotations as Record<string, string> | undefined) ?? {}),
    'crossplane.io/composition-resource-name': name,
  };
  const status: JsonObject = String(desired.kind).endsWith('ProviderConfig')
    ? {}
    : { status: { conditions: readyConditions(ready) } };
  const atProvider = providerReports(desired);
  if (atProvider !== undefined && isObject(status.status)) {
    return { ...desired, metadata, status: { ...status.status, atProvider } };
  }
  return { ...desired, metadata, ...status };
}
