import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { ProtoWriter } from '../../functions/server/codec/writer.js';

/**
 * ProtoWriter (functions/server/codec/writer.ts) must write what bufbuild's BinaryWriter, the SDK's
 * writer, writes, at the edges the response's Structs never reach in the examples: varint and length
 * boundaries (where a length-delimited field's contents move), non-ASCII text from its first or a
 * later character, lone surrogates, negative int32s, special doubles, and a buffer that grows from
 * a few bytes and shrinks back on reset.
 */
const same = (ours: ProtoWriter, theirs: BinaryWriter) =>
  expect(Buffer.from(ours.finish()).equals(Buffer.from(theirs.finish()))).toBe(true);

describe('ProtoWriter', () => {
  it.each([0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 32 - 1])(
    'writes uint32 %d',
    (n) => {
      same(new ProtoWriter(1).uint32(n), new BinaryWriter().uint32(n));
    },
  );

  it.each([0, 5, -1, -128, -(2 ** 31)])('writes int32 %d', (n) => {
    same(new ProtoWriter(1).int32(n), new BinaryWriter().int32(n));
  });

  it.each([0, -0, 0.5, -1e-7, 2 ** 53, Number.MAX_VALUE, NaN, Infinity, -Infinity])(
    'writes double %d',
    (n) => {
      same(new ProtoWriter(1).double(n), new BinaryWriter().double(n));
    },
  );

  const texts: Array<[string, string]> = [
    ['empty', ''],
    ['ASCII', 'team-ml'],
    ['non-ASCII first', 'ünïcödé ☃'],
    ['non-ASCII later', 'cluster-ключ'],
    ['a surrogate pair', 'a𝄞b'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate at the end', 'ab\uDC00'],
    ['127 bytes', 'x'.repeat(127)],
    ['128 bytes', 'x'.repeat(128)],
    ['128 bytes from 64 characters', 'é'.repeat(64)],
    ['16383 bytes', 'x'.repeat(16383)],
    ['16384 bytes', 'x'.repeat(16384)],
    ['2 MiB, mostly three-byte characters', '☃'.repeat(700_000) + 'tail'],
  ];
  it.each(texts)('writes a string: %s', (_, text) => {
    same(new ProtoWriter(1).uint32(26).string(text), new BinaryWriter().uint32(26).string(text));
  });

  it.each([0, 126, 127, 128, 16382, 16383, 16384, 70_000])(
    'nests length-delimited fields three deep around %d bytes of contents',
    (size) => {
      const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251);
      const ours = new ProtoWriter(1);
      const outer = ours.uint32(10).fork();
      const middle = ours.uint32(18).fork();
      ours.uint32(26).bytes(bytes).uint32(8).int32(-1);
      ours.join(middle).uint32(16).uint32(1).join(outer);
      const theirs = new BinaryWriter().uint32(10).fork().uint32(18).fork();
      theirs.uint32(26).bytes(bytes).uint32(8).int32(-1);
      theirs.join().uint32(16).uint32(1).join();
      same(ours, theirs);
    },
  );

  it('starts over on reset, giving back a buffer grown past what it keeps', () => {
    const writer = new ProtoWriter(16);
    writer.uint32(26).string('x'.repeat(4096));
    writer.reset(1024).uint32(26).string('after');
    same(writer, new BinaryWriter().uint32(26).string('after'));
    writer.reset().uint32(8).uint32(1);
    same(writer, new BinaryWriter().uint32(8).uint32(1));
  });
});
