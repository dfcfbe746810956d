import { InputError, InputErrors } from './errors.js';
import { isObject } from './objects.js';

/** One schema violation as Ajv (and so the generated models) reports it. */
export interface SchemaViolation {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/spec/tools/2` under prefix `spec` → `spec.tools[2]`. */
export function fieldPath(prefix: string, instancePath: string): string {
  let path = prefix;
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(key) ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return path;
}

/** Turns schema violations into input errors naming each field and what it expected. */
export function violationsToErrors(prefix: string, violations: readonly SchemaViolation[]): InputErrors {
  const seen = new Set<string>();
  const errors: InputError[] = [];
  for (const v of violations) {
    const extra = v.params?.additionalProperty;
    const missing = v.params?.missingProperty;
    const child = typeof extra === 'string' ? extra : typeof missing === 'string' ? missing : undefined;
    const base = fieldPath(prefix, v.instancePath);
    const field = child === undefined ? base : base === '' ? child : `${base}.${child}`;
    const expected =
      typeof extra === 'string'
        ? 'is not a known field'
        : typeof missing === 'string'
          ? 'is required'
          : Array.isArray(v.params?.allowedValues)
            ? `must be one of ${(v.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`
            : (v.message ?? 'is invalid');
    const key = `${field}: ${expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(new InputError(field, expected));
  }
  return new InputErrors(errors);
}

/**
 * Runs a generated model's validate(), converting its ValidationError into input errors under
 * `prefix`. Other errors are rethrown.
 */
export function validateModel(prefix: string, validate: () => void): void {
  try {
    validate();
  } catch (error) {
    const violations = isObject(error) && Array.isArray(error.errors) ? error.errors : undefined;
    if (violations === undefined) throw error;
    throw violationsToErrors(prefix, violations as SchemaViolation[]);
  }
}
