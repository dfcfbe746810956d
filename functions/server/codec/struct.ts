import type { JsonObject } from '../../shared/objects.js';
import type { CodecReader } from './reader.js';
import { BIT64, LENGTH_DELIMITED, skipOrStop, tagOf, VARINT } from './wire.js';
import type { ProtoWriter } from './writer.js';

/**
 * google.protobuf.Struct, Value and ListValue straight to and from plain JSON values: what the SDK's
 * generated code does through a message object per Value and per map entry (then unwrapped or
 * wrapped), without those objects. Decoding keeps the generated code's behaviour exactly, odd
 * inputs included (test/server/codec-equivalence.test.ts proves it against the SDK): a Value with no
 * kind is undefined (left out of a Struct, kept in a list), a Value with several kinds set is read
 * with the same precedence (string, number, bool, struct, list, null), a repeated field's last
 * occurrence wins. One difference, on purpose: a "__proto__" key is kept as a field, where the
 * generated code's plain assignment made it the object's prototype and lost it.
 */

/** Nested Structs and lists decoded, about the levels of JSON; Crossplane's Go decoder allows more. */
export const MAX_JSON_DEPTH = 1000;

/** The message the generated decoders use for too deep a message; decode.ts recognises it. */
export const DEPTH_ERROR = 'protobuf decode recursion limit exceeded';

const TAG_STRUCT_FIELD = tagOf(1, LENGTH_DELIMITED); // Struct.fields
const TAG_ENTRY_KEY = tagOf(1, LENGTH_DELIMITED); // map entry key
const TAG_ENTRY_VALUE = tagOf(2, LENGTH_DELIMITED); // map entry value
const TAG_NULL = tagOf(1, VARINT); // Value.null_value
const TAG_NUMBER = tagOf(2, BIT64); // Value.number_value
const TAG_STRING = tagOf(3, LENGTH_DELIMITED); // Value.string_value
const TAG_BOOL = tagOf(4, VARINT); // Value.bool_value
const TAG_STRUCT = tagOf(5, LENGTH_DELIMITED); // Value.struct_value
const TAG_LIST = tagOf(6, LENGTH_DELIMITED); // Value.list_value
const TAG_LIST_VALUE = tagOf(1, LENGTH_DELIMITED); // ListValue.values

/** Sets a decoded field; "__proto__" becomes an own property instead of the prototype. */
export function setField(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  } else {
    object[key] = value;
  }
}

/** A Struct of `length` bytes at the reader's position, as a plain object. */
export function decodeStruct(reader: CodecReader, length: number, depth: number): JsonObject {
  if (depth >= MAX_JSON_DEPTH) throw new Error(DEPTH_ERROR);
  const end = reader.pos + length;
  const object: JsonObject = {};
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === TAG_STRUCT_FIELD) {
      decodeEntry(reader, reader.uint32(), object, depth);
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return object;
}

/** One Struct.FieldsEntry: a missing key is "", a missing or empty value leaves the field out. */
function decodeEntry(reader: CodecReader, length: number, into: JsonObject, depth: number): void {
  const end = reader.pos + length;
  let key = '';
  let value: unknown = undefined;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === TAG_ENTRY_KEY) {
      key = reader.text();
      continue;
    }
    if (tag === TAG_ENTRY_VALUE) {
      value = decodeValue(reader, reader.uint32(), depth);
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  if (value !== undefined) setField(into, key, value);
}

/** A Value as the plain value it holds; undefined when it holds none. */
export function decodeValue(reader: CodecReader, length: number, depth: number): unknown {
  const end = reader.pos + length;
  let isNull = false;
  let number: number | undefined;
  let string: string | undefined;
  let bool: boolean | undefined;
  let struct: JsonObject | undefined;
  let list: unknown[] | undefined;
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case TAG_STRING:
        string = reader.text();
        continue;
      case TAG_NUMBER:
        number = reader.double();
        continue;
      case TAG_BOOL:
        bool = reader.bool();
        continue;
      case TAG_STRUCT:
        struct = decodeStruct(reader, reader.uint32(), depth + 1);
        continue;
      case TAG_LIST:
        list = decodeList(reader, reader.uint32(), depth + 1);
        continue;
      case TAG_NULL:
        reader.int32();
        isNull = true;
        continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  if (string !== undefined) return string;
  if (number !== undefined) return number;
  if (bool !== undefined) return bool;
  if (struct !== undefined) return struct;
  if (list !== undefined) return list;
  return isNull ? null : undefined;
}

function decodeList(reader: CodecReader, length: number, depth: number): unknown[] {
  if (depth >= MAX_JSON_DEPTH) throw new Error(DEPTH_ERROR);
  const end = reader.pos + length;
  const values: unknown[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === TAG_LIST_VALUE) {
      values.push(decodeValue(reader, reader.uint32(), depth));
      continue;
    }
    if (skipOrStop(reader, tag)) break;
  }
  return values;
}

/**
 * Writes `object` as a google.protobuf.Struct's fields, byte for byte what the SDK's
 * Struct.encode(Struct.wrap(object)) writes: fields in Object.entries order, undefined fields left
 * out, an empty key not written.
 */
export function encodeStructFields(writer: ProtoWriter, object: object): void {
  const fields = object as Record<string, unknown>;
  // Object.keys, not Object.entries: the same order without an array per field.
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined) continue;
    const entry = writer.uint32(TAG_STRUCT_FIELD).fork();
    if (key !== '') writer.uint32(TAG_ENTRY_KEY).string(key);
    const valueField = writer.uint32(TAG_ENTRY_VALUE).fork();
    encodeValueFields(writer, value);
    writer.join(valueField).join(entry);
  }
}

/**
 * Writes a google.protobuf.Value's fields for `value`, as Value.encode(Value.wrap(value)) does: an
 * array is a list (undefined items become empty Values), any other object a Struct, undefined writes
 * nothing, and a function, symbol or bigint is refused with the SDK's error.
 */
function encodeValueFields(writer: ProtoWriter, value: unknown): void {
  if (value === null) {
    writer.uint32(TAG_NULL).int32(0);
  } else if (typeof value === 'boolean') {
    writer.uint32(TAG_BOOL).uint32(value ? 1 : 0);
  } else if (typeof value === 'number') {
    writer.uint32(TAG_NUMBER).double(value);
  } else if (typeof value === 'string') {
    writer.uint32(TAG_STRING).string(value);
  } else if (Array.isArray(value)) {
    const list = writer.uint32(TAG_LIST).fork();
    for (const item of value) {
      const itemField = writer.uint32(TAG_LIST_VALUE).fork();
      encodeValueFields(writer, item);
      writer.join(itemField);
    }
    writer.join(list);
  } else if (typeof value === 'object') {
    const struct = writer.uint32(TAG_STRUCT).fork();
    encodeStructFields(writer, value);
    writer.join(struct);
  } else if (value !== undefined) {
    throw new Error(`Unsupported any value type: ${typeof value}`);
  }
}
