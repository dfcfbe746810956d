import {
  Credentials,
  type Capability,
  type Resource,
  type Resources,
  type RunFunctionRequest,
  type Schema,
  type State,
} from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '../../shared/objects.js';
import { CodecReader } from './reader.js';
import { decodeStruct, setField } from './struct.js';
import { LENGTH_DELIMITED, skipOrStop, tagOf, VARINT } from './wire.js';

/**
 * RunFunctionRequest from its protobuf bytes into the SDK's own types, as the SDK's generated
 * decoder would make it (test/server/codec-equivalence.test.ts compares them), but with every
 * google.protobuf.Struct decoded straight into plain objects (struct.ts): no Value or map-entry
 * message per field, no recursion counter per message, keys and short strings through the table of
 * strings already decoded (reader.ts). Credentials, which hold no Struct, go through the SDK's own
 * decoder.
 */

type RequestMeta = NonNullable<RunFunctionRequest['meta']>;

function decodeMeta(reader: CodecReader, length: number): RequestMeta {
  const end = reader.pos + length;
  const meta: RequestMeta = { tag: '', capabilities: [] };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === tagOf(1, LENGTH_DELIMITED)) {
      meta.tag = reader.string();
      continue;
    }
    if (tag === tagOf(2, VARINT)) {
      meta.capabilities.push(reader.int32() as Capability);
      continue;
    }
    if (tag === tagOf(2, LENGTH_DELIMITED)) {
      const packedEnd = reader.uint32() + reader.pos;
      while (reader.pos < packedEnd) meta.capabilities.push(reader.int32() as Capability);
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return meta;
}

function decodeResource(reader: CodecReader, length: number): Resource {
  const end = reader.pos + length;
  const resource: Resource = { resource: undefined, connectionDetails: {}, ready: 0 };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === tagOf(1, LENGTH_DELIMITED)) {
      resource.resource = decodeStruct(reader, reader.uint32(), 0);
      continue;
    }
    if (tag === tagOf(2, LENGTH_DELIMITED)) {
      decodeBytesEntry(reader, reader.uint32(), resource.connectionDetails);
      continue;
    }
    if (tag === tagOf(3, VARINT)) {
      resource.ready = reader.int32();
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return resource;
}

/** A map entry's key (field 1) and its value (field 2, read by `readValue`), as the generated code reads them. */
function decodeEntry<T>(
  reader: CodecReader,
  length: number,
  readValue: (reader: CodecReader) => T,
): { key: string; value: T | undefined } {
  const end = reader.pos + length;
  let key = '';
  let value: T | undefined;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === tagOf(1, LENGTH_DELIMITED)) {
      key = reader.text();
      continue;
    }
    if (tag === tagOf(2, LENGTH_DELIMITED)) {
      value = readValue(reader);
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return { key, value };
}

/** A map<string, bytes> entry: the value is copied into a Buffer, and a missing one is empty. */
function decodeBytesEntry(reader: CodecReader, length: number, into: Record<string, Buffer>): void {
  const { key, value } = decodeEntry(reader, length, (r) => Buffer.from(r.bytes()));
  setField(into, key, value ?? Buffer.alloc(0));
}

/** A map<string, Message> entry; one without a value is left out, as the generated code does. */
function decodeMessageEntry<T>(
  reader: CodecReader,
  length: number,
  into: Record<string, T>,
  decodeValue: (reader: CodecReader, length: number) => T,
): void {
  const { key, value } = decodeEntry(reader, length, (r) => decodeValue(r, r.uint32()));
  if (value !== undefined) setField(into, key, value);
}

function decodeState(reader: CodecReader, length: number): State {
  const end = reader.pos + length;
  const state: State = { composite: undefined, resources: {} };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === tagOf(1, LENGTH_DELIMITED)) {
      state.composite = decodeResource(reader, reader.uint32());
      continue;
    }
    if (tag === tagOf(2, LENGTH_DELIMITED)) {
      decodeMessageEntry(reader, reader.uint32(), state.resources, decodeResource);
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return state;
}

function decodeResources(reader: CodecReader, length: number): Resources {
  const end = reader.pos + length;
  const resources: Resources = { items: [] };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === tagOf(1, LENGTH_DELIMITED)) {
      resources.items.push(decodeResource(reader, reader.uint32()));
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return resources;
}

function decodeSchema(reader: CodecReader, length: number): Schema {
  const end = reader.pos + length;
  const schema: Schema = { openapiV3: undefined };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === tagOf(1, LENGTH_DELIMITED)) {
      schema.openapiV3 = decodeStruct(reader, reader.uint32(), 0);
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return schema;
}

const decodeCredentials = (reader: CodecReader, length: number): Credentials =>
  Credentials.decode(reader, length);

const decodeInputStruct = (reader: CodecReader): JsonObject => decodeStruct(reader, reader.uint32(), 0);

/** Decodes a RunFunctionRequest; throws on bytes that are not one (as the generated decoder does). */
export function decodeRunFunctionRequest(bytes: Uint8Array): RunFunctionRequest {
  const reader = new CodecReader(bytes);
  const request: RunFunctionRequest = {
    meta: undefined,
    observed: undefined,
    desired: undefined,
    input: undefined,
    context: undefined,
    extraResources: {},
    credentials: {},
    requiredResources: {},
    requiredSchemas: {},
  };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    switch (tag) {
      case tagOf(1, LENGTH_DELIMITED):
        request.meta = decodeMeta(reader, reader.uint32());
        continue;
      case tagOf(2, LENGTH_DELIMITED):
        request.observed = decodeState(reader, reader.uint32());
        continue;
      case tagOf(3, LENGTH_DELIMITED):
        request.desired = decodeState(reader, reader.uint32());
        continue;
      case tagOf(4, LENGTH_DELIMITED):
        request.input = decodeInputStruct(reader);
        continue;
      case tagOf(5, LENGTH_DELIMITED):
        request.context = decodeInputStruct(reader);
        continue;
      case tagOf(6, LENGTH_DELIMITED):
        decodeMessageEntry(reader, reader.uint32(), request.extraResources, decodeResources);
        continue;
      case tagOf(7, LENGTH_DELIMITED):
        decodeMessageEntry(reader, reader.uint32(), request.credentials, decodeCredentials);
        continue;
      case tagOf(8, LENGTH_DELIMITED):
        decodeMessageEntry(reader, reader.uint32(), request.requiredResources, decodeResources);
        continue;
      case tagOf(9, LENGTH_DELIMITED):
        decodeMessageEntry(reader, reader.uint32(), request.requiredSchemas, decodeSchema);
        continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return request;
}
