import { BinaryWriter } from '@bufbuild/protobuf/wire';
import {
  Condition,
  Requirements,
  Result,
  type Resource,
  type RunFunctionResponse,
  type State,
} from '@crossplane-org/function-sdk-typescript';
import { encodeStructFields } from './struct.js';
import { LENGTH_DELIMITED, tagOf, VARINT } from './wire.js';
import { ProtoWriter } from './writer.js';

/**
 * RunFunctionResponse to protobuf bytes, byte for byte what the SDK's generated encoder writes
 * (test/server/codec-equivalence.test.ts compares them), but with every google.protobuf.Struct
 * written straight from the plain objects (struct.ts), into one buffer (writer.ts): no Value, Struct
 * or map-entry message built per field first, no buffer per nested field. Meta, results, conditions
 * and requirements, small and holding no Struct, go through the SDK's own encoders.
 */

/** One writer for every response: encoding is synchronous, so calls never share it. */
const writer = new ProtoWriter();

function encodeStructField(field: number, object: object | undefined): void {
  if (object === undefined) return;
  const struct = writer.uint32(tagOf(field, LENGTH_DELIMITED)).fork();
  encodeStructFields(writer, object);
  writer.join(struct);
}

function encodeResource(resource: Resource): void {
  encodeStructField(1, resource.resource);
  for (const [key, value] of Object.entries(resource.connectionDetails)) {
    const entry = writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
    if (key !== '') writer.uint32(tagOf(1, LENGTH_DELIMITED)).string(key);
    if (value.length !== 0) writer.uint32(tagOf(2, LENGTH_DELIMITED)).bytes(value);
    writer.join(entry);
  }
  if (resource.ready !== 0) writer.uint32(tagOf(3, VARINT)).int32(resource.ready);
}

function encodeState(state: State): void {
  if (state.composite !== undefined) {
    const composite = writer.uint32(tagOf(1, LENGTH_DELIMITED)).fork();
    encodeResource(state.composite);
    writer.join(composite);
  }
  for (const [name, resource] of Object.entries(state.resources)) {
    const entry = writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
    if (name !== '') writer.uint32(tagOf(1, LENGTH_DELIMITED)).string(name);
    if (resource !== undefined) {
      const value = writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
      encodeResource(resource);
      writer.join(value);
    }
    writer.join(entry);
  }
}

function encodeMeta(meta: NonNullable<RunFunctionResponse['meta']>): Uint8Array {
  const bytes = new BinaryWriter();
  if (meta.tag !== '') bytes.uint32(tagOf(1, LENGTH_DELIMITED)).string(meta.tag);
  const ttl = meta.ttl;
  if (ttl !== undefined) {
    bytes.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
    if (ttl.seconds !== 0) bytes.uint32(tagOf(1, VARINT)).int64(ttl.seconds);
    if (ttl.nanos !== 0) bytes.uint32(tagOf(2, VARINT)).int32(ttl.nanos);
    bytes.join();
  }
  return bytes.finish();
}

export function encodeRunFunctionResponse(rsp: RunFunctionResponse): Uint8Array {
  writer.reset();
  if (rsp.meta !== undefined) writer.uint32(tagOf(1, LENGTH_DELIMITED)).bytes(encodeMeta(rsp.meta));
  if (rsp.desired !== undefined) {
    const desired = writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
    encodeState(rsp.desired);
    writer.join(desired);
  }
  for (const result of rsp.results)
    writer.uint32(tagOf(3, LENGTH_DELIMITED)).bytes(Result.encode(result).finish());
  encodeStructField(4, rsp.context);
  if (rsp.requirements !== undefined) {
    writer.uint32(tagOf(5, LENGTH_DELIMITED)).bytes(Requirements.encode(rsp.requirements).finish());
  }
  for (const condition of rsp.conditions) {
    writer.uint32(tagOf(6, LENGTH_DELIMITED)).bytes(Condition.encode(condition).finish());
  }
  encodeStructField(7, rsp.output);
  return writer.finish();
}
