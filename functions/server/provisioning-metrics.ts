import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { getPath, isObject, type JsonObject } from '../shared/objects.js';

/** Environment types as metric labels: a fixed set, never free text. */
const TYPES = new Set(['namespace', 'vcluster', 'gke', 'eks']);

/** What a response newly records of the composite's provisioning, for the metrics. */
export interface ProvisioningEvents {
  /** Seconds from creation to Ready, when this response is the first to record readyAt. */
  firstReadySeconds?: number;
  /** Stages this response is the first to record. */
  stages: string[];
  /** The environment type: the DevEnvironment's, or an AppStack's environment's; "unknown" otherwise. */
  type: string;
}

function stageNames(provisioning: unknown): string[] {
  const stages = getPath(provisioning, 'stages');
  return Array.isArray(stages) ? stages.filter(isObject).map((s) => String(s.name)) : [];
}

/** The type label: spec.type of the XR, else of the AppStack's required environment. */
function typeOf(req: RunFunctionRequest): string {
  const own = getPath(req.observed?.composite?.resource, 'spec.type');
  const required = req.requiredResources?.environment?.items?.[0]?.resource as JsonObject | undefined;
  const type = typeof own === 'string' ? own : getPath(required, 'spec.type');
  return typeof type === 'string' && TYPES.has(type) ? type : 'unknown';
}

/**
 * Compares what the composite reported (the request's observed status.provisioning) with what the
 * response records: the first readyAt is the composite's time to Ready, observed once per composite
 * (a reconcile retried before Crossplane wrote the status could count it again).
 */
export function provisioningEvents(req: RunFunctionRequest, rsp: RunFunctionResponse): ProvisioningEvents {
  const before = getPath(req.observed?.composite?.resource, 'status.provisioning');
  const after = getPath(rsp.desired?.composite?.resource, 'status.provisioning');
  const known = new Set(stageNames(before));
  const seconds = getPath(after, 'seconds');
  const firstReady = getPath(before, 'readyAt') === undefined && getPath(after, 'readyAt') !== undefined;
  return {
    ...(firstReady && typeof seconds === 'number' ? { firstReadySeconds: seconds } : {}),
    stages: stageNames(after).filter((name) => !known.has(name)),
    type: typeOf(req),
  };
}
