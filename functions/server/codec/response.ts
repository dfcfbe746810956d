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

/**
 * RunFunctionResponse to protobuf bytes, byte for byte what the SDK's generated encoder writes
 * (test/server/codec-equivalence.test.ts compares them), but with every google.protobuf.Struct
 * written straight from the plain objects (struct.ts): no Value, Struct or map-entry message built
 * per field first. Results, conditions and requirements, which hold no Struct, go through the SDK's
 * own encoders.
 */

function encodeResource(writer: BinaryWriter, resource: Resource): void {
  if (resource.resource !== undefined) {
    writer.uint32(tagOf(1, LENGTH_DELIMITED)).fork();
    encodeStructFields(writer, resource.resource);
    writer.join();
  }
  for (const [key, value] of Object.entries(resource.connectionDetails)) {
    writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
    if (key !== '') writer.uint32(tagOf(1, LENGTH_DELIMITED)).string(key);
    if (value.length !== 0) writer.uint32(tagOf(2, LENGTH_DELIMITED)).bytes(value);
    writer.join();
  }
  if (resource.ready !== 0) writer.uint32(tagOf(3, VARINT)).int32(resource.ready);
}

function encodeState(writer: BinaryWriter, state: State): void {
  if (state.composite !== undefined) {
    writer.uint32(tagOf(1, LENGTH_DELIMITED)).fork();
    encodeResource(writer, state.composite);
    writer.join();
  }
  for (const [name, resource] of Object.entries(state.resources)) {
    writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
    if (name !== '') writer.uint32(tagOf(1, LENGTH_DELIMITED)).string(name);
    if (resource !== undefined) {
      writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
      encodeResource(writer, resource);
      writer.join();
    }
    writer.join();
  }
}

export function encodeRunFunctionResponse(rsp: RunFunctionResponse): Uint8Array {
  const writer = new BinaryWriter();
  if (rsp.meta !== undefined) {
    writer.uint32(tagOf(1, LENGTH_DELIMITED)).fork();
    if (rsp.meta.tag !== '') writer.uint32(tagOf(1, LENGTH_DELIMITED)).string(rsp.meta.tag);
    const ttl = rsp.meta.ttl;
    if (ttl !== undefined) {
      writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
      if (ttl.seconds !== 0) writer.uint32(tagOf(1, VARINT)).int64(ttl.seconds);
      if (ttl.nanos !== 0) writer.uint32(tagOf(2, VARINT)).int32(ttl.nanos);
      writer.join();
    }
    writer.join();
  }
  if (rsp.desired !== undefined) {
    writer.uint32(tagOf(2, LENGTH_DELIMITED)).fork();
    encodeState(writer, rsp.desired);
    writer.join();
  }
  for (const result of rsp.results)
    Result.encode(result, writer.uint32(tagOf(3, LENGTH_DELIMITED)).fork()).join();
  if (rsp.context !== undefined) {
    writer.uint32(tagOf(4, LENGTH_DELIMITED)).fork();
    encodeStructFields(writer, rsp.context);
    writer.join();
  }
  if (rsp.requirements !== undefined) {
    Requirements.encode(rsp.requirements, writer.uint32(tagOf(5, LENGTH_DELIMITED)).fork()).join();
  }
  for (const condition of rsp.conditions) {
    Condition.encode(condition, writer.uint32(tagOf(6, LENGTH_DELIMITED)).fork()).join();
  }
  if (rsp.output !== undefined) {
    writer.uint32(tagOf(7, LENGTH_DELIMITED)).fork();
    encodeStructFields(writer, rsp.output);
    writer.join();
  }
  return writer.finish();
}
