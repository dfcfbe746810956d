import type { JsonObject } from '../objects.js';

/**
 * A generated model class (functions/models, kubernetes-models): the data its constructor takes, and
 * the apiVersion and kind it puts first on everything it builds.
 */
export interface GeneratedModel<T> {
  new (data?: T): object;
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * The object `new model(data)` holds, {apiVersion, kind, ...data}, without building the model. A
 * model's constructor copies `data` deeply to leave out undefined fields; the encoder leaves those out
 * anyway (server/codec/struct.ts), so the bytes sent are the same (test/shared/model-object.test.ts),
 * and that copy was a quarter to a third of composing the largest examples. The object shares
 * `data`'s nested objects: composers build from values that nobody changes, which
 * test/shared/inputs-unchanged.test.ts holds them to on every example.
 */
export function modelObject<T extends object>(model: GeneratedModel<T>, data: NoInfer<T>): JsonObject {
  return { apiVersion: model.apiVersion, kind: model.kind, ...data } as JsonObject;
}
