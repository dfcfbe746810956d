import type { JsonObject } from '../objects.js';

/**
 * A generated model as the plain object its toJSON() returns, without toJSON()'s second deep copy.
 * The model's constructor already copied its data deeply, leaving out undefined fields at every
 * level; only the class's own declared fields can still be undefined, so dropping those gives
 * toJSON()'s result, keys in the same order (test/shared/plain-object.test.ts). toJSON() copied every
 * composed resource twice: a quarter of composing the largest DevEnvironment.
 */
export function plainObject(model: object): JsonObject {
  const object: JsonObject = {};
  for (const [key, value] of Object.entries(model)) {
    if (value !== undefined) object[key] = value;
  }
  return object;
}
