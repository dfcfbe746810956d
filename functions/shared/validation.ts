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

/** Patterns the schemas share, in the words a person reads instead of the regular expression. */
const PATTERN_MEANINGS: Record<string, string> = {
  // Kubernetes' resource.Quantity, as controller-gen writes it into CRDs.
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$':
    'must be a Kubernetes quantity such as 500m, 2Gi or 10',
};

/** What a violation expected, in words. */
function expectation(v: SchemaViolation): string {
  const extra = v.params?.additionalProperty;
  const missing = v.params?.missingProperty;
  const pattern = v.params?.pattern;
  if (typeof extra === 'string') return 'is not a known field';
  if (typeof missing === 'string') return 'is required';
  if (typeof pattern === 'string' && PATTERN_MEANINGS[pattern] !== undefined)
    return PATTERN_MEANINGS[pattern];
  if (Array.isArray(v.params?.allowedValues))
    return `must be one of ${(v.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
  return v.message ?? 'is invalid';
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
    const expected = expectation(v);
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
