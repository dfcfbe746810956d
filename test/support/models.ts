import * as crds from '../../functions/models/crds/index.js';
import '../../functions/models/crds/validators.js';
import type { JsonObject } from '../../functions/shared/objects.js';

type Validating = (new (data: never) => { validate(): void }) & { apiVersion?: unknown; kind?: unknown };

/** Every model generated from an upstream CRD, by `apiVersion/kind`, found by walking the index. */
function collectModels(): Record<string, Validating> {
  const out: Record<string, Validating> = {};
  const walk = (value: unknown, depth: number): void => {
    if (depth > 3 || value === null || typeof value !== 'object') return;
    for (const entry of Object.values(value as Record<string, unknown>)) {
      if (typeof entry === 'function') {
        const model = entry as Validating;
        if (typeof model.apiVersion === 'string' && typeof model.kind === 'string') {
          out[`${model.apiVersion}/${model.kind}`] = model;
        }
      } else {
        walk(entry, depth + 1);
      }
    }
  };
  walk(crds, 0);
  return out;
}

const MODELS = collectModels();

/** Validates a composed resource against the model generated from its upstream CRD. */
export function validateComposed(body: JsonObject): void {
  const Model = MODELS[`${String(body.apiVersion)}/${String(body.kind)}`];
  if (Model === undefined)
    throw new Error(`no generated model for ${String(body.apiVersion)} ${String(body.kind)}`);
  new Model(body as never).validate();
}
