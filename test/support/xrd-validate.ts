import { execFileSync } from 'node:child_process';
import type { JsonObject } from '../../functions/shared/objects.js';
import { REPO } from './request.js';

/**
 * Validation as the Kubernetes API server does it for our XRDs' kinds (tools/xrd-validate: pruning,
 * null dropping, defaulting, OpenAPI schema, CEL rules with oldSelf on updates), built once by
 * scripts/install-go-tool.sh (XRD_VALIDATE names another binary).
 */
export interface AdmissionCase {
  name: string;
  object: JsonObject;
  /** Given: validated as an update from this object (transition rules apply). */
  old?: JsonObject;
}

export interface Admission {
  name: string;
  errors: string[];
  pruned: string[];
}

export const XRDS = [
  'apis/devenvironment/definition.yaml',
  'apis/appstack/definition.yaml',
  'apis/claims/devenvironment/definition.yaml',
  'apis/claims/appstack/definition.yaml',
];

export function xrdValidateBinary(): string {
  return (
    process.env.XRD_VALIDATE ??
    execFileSync(`${REPO}scripts/install-go-tool.sh`, ['xrd-validate'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim()
  );
}

export function admit(binary: string, cases: AdmissionCase[]): Map<string, Admission> {
  const out = execFileSync(binary, [], {
    cwd: REPO,
    input: JSON.stringify({ xrds: XRDS, cases }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Map((JSON.parse(out) as Admission[]).map((a) => [a.name, a]));
}
