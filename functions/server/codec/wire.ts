import type { BinaryReader } from '@bufbuild/protobuf/wire';

/** Protobuf wire types and tags, as the codec's decoders and encoders use them. */
export const VARINT = 0;
export const BIT64 = 1;
export const LENGTH_DELIMITED = 2;
const END_GROUP = 4;

export const tagOf = (field: number, wireType: number) => (field << 3) | wireType;

/**
 * Unknown or mistyped fields are skipped; an end-group or zero tag ends the message, as the SDK's
 * generated decoders do. Returns whether the message ends here.
 */
export function skipOrStop(reader: BinaryReader, tag: number): boolean {
  if ((tag & 7) === END_GROUP || tag === 0) return true;
  reader.skip(tag & 7);
  return false;
}
