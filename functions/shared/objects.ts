/** Small, total helpers for reading untyped Kubernetes objects (observed state, user input). */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value at a path, or undefined when any step is missing or not an object. A string path is
 * split on dots; pass an array when a key itself has dots (labels, annotations).
 */
export function getPath(obj: unknown, path: string | readonly string[]): unknown {
  let current: unknown = obj;
  for (const key of typeof path === 'string' ? path.split('.') : path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function getString(obj: unknown, path: string | readonly string[]): string | undefined {
  const value = getPath(obj, path);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Deep merge of plain objects: values of `override` win, nested objects merge, arrays and scalars
 * replace. Neither input is modified.
 */
export function deepMerge(base: JsonObject, override: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const existing = out[key];
    out[key] = isObject(existing) && isObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

/**
 * `value`, with every object and array in it frozen: for data shared by every request (the platform's
 * defaults), which composed objects take parts of without copying. A write to it throws (ES modules
 * are strict) instead of changing what later requests compose.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}

/** A deep copy of JSON data (the only kind of data composed resources hold). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The value without null object fields, as the Kubernetes API server prunes them from fields its
 * structural schema does not mark nullable (none of ours are). The generated models accept null for
 * every optional field, so specs and the function input pass through this before validation and
 * `field: null` means what it means at the API: not set.
 */
export function withoutNullFields<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutNullFields(item)) as T;
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null) out[key] = withoutNullFields(field);
  }
  return out as T;
}
