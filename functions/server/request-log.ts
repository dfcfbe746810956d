import {
  Ready,
  Severity,
  Status,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { isObject } from '../shared/objects.js';
import type { LogSeverity } from './log.js';

/** The line a request is logged as: its severity and fields (msg is always "RunFunction"). */
export interface RequestLogEntry {
  severity: LogSeverity;
  fields: Record<string, unknown>;
}

const SEVERITY_NAME: Partial<Record<Severity, string>> = {
  [Severity.SEVERITY_FATAL]: 'Fatal',
  [Severity.SEVERITY_WARNING]: 'Warning',
  [Severity.SEVERITY_NORMAL]: 'Normal',
};

/** Which composite a request is for: apiVersion, kind, namespace and name, and its type if it has one. */
function compositeOf(req: RunFunctionRequest | undefined): Record<string, string> | undefined {
  const xr = req?.observed?.composite?.resource;
  if (!isObject(xr)) return undefined;
  const metadata = isObject(xr.metadata) ? xr.metadata : {};
  const spec = isObject(xr.spec) ? xr.spec : {};
  const out: Record<string, string> = {};
  for (const [key, value] of [
    ['apiVersion', xr.apiVersion],
    ['kind', xr.kind],
    ['namespace', metadata.namespace],
    ['name', metadata.name],
    ['type', spec.type],
  ] as const)
    if (typeof value === 'string') out[key] = value;
  return out;
}

/**
 * The one structured line logged per RunFunction request: the composite, how many resources were
 * composed and how many are ready, what it waits for (the False conditions' messages), the Fatal and
 * Warning results (and, with --debug, the Normal ones), and the duration. Only names and the
 * function's own messages: never a resource body, a connection detail or a Secret.
 */
export function requestLogEntry(
  req: RunFunctionRequest | undefined,
  rsp: RunFunctionResponse,
  durationMs: number,
  debug: boolean,
): RequestLogEntry {
  const desired = Object.values(rsp.desired?.resources ?? {});
  const shown = rsp.results.filter((r) => debug || r.severity !== Severity.SEVERITY_NORMAL);
  const waitingFor = rsp.conditions
    .filter((c) => c.status === Status.STATUS_CONDITION_FALSE)
    .map((c) => `${c.type}: ${c.message ?? c.reason}`);
  const has = (severity: Severity) => rsp.results.some((r) => r.severity === severity);
  return {
    severity: has(Severity.SEVERITY_FATAL) ? 'ERROR' : has(Severity.SEVERITY_WARNING) ? 'WARNING' : 'INFO',
    fields: {
      tag: rsp.meta?.tag,
      composite: compositeOf(req),
      composed: desired.length,
      ready: desired.filter((r) => r.ready === Ready.READY_TRUE).length,
      ...(waitingFor.length > 0 ? { waitingFor } : {}),
      ...(shown.length > 0
        ? {
            results: shown.map((r) => ({
              severity: SEVERITY_NAME[r.severity] ?? 'Unspecified',
              ...(r.reason !== undefined ? { reason: r.reason } : {}),
              message: r.message,
            })),
          }
        : {}),
      durationMs: Math.round(durationMs * 10) / 10,
    },
  };
}
