/**
 * A protobuf writer into one growing buffer, for the response and its Structs. bufbuild's BinaryWriter
 * gives every length-delimited field a buffer of its own and copies it into its parent's when the
 * field ends, so a byte nested ten fields deep (a Struct entry, its Value, the Struct inside, ...) is
 * allocated for and copied ten times. Here a length-delimited field reserves one byte for its length
 * where it starts; at its end, a length of 128 bytes or more moves the field's contents along by the
 * extra bytes its varint needs: one move per large field, none for most. The bytes are the same as
 * BinaryWriter's (minimal varints, UTF-8 from TextEncoder), which test/server/codec-equivalence.test.ts
 * checks against the SDK's encoder.
 */
export class ProtoWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private position = 0;
  private readonly utf8 = new TextEncoder();

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buffer = new Uint8Array(initialBytes);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Starts over, keeping the buffer unless an earlier message grew it past `keepBytes`. */
  reset(keepBytes = 1024 * 1024): this {
    if (this.buffer.length > keepBytes) this.replaceBuffer(new Uint8Array(this.initialBytes));
    this.position = 0;
    return this;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.position);
  }

  /** An unsigned varint below 2^32 (tags, lengths, enums, bools). */
  uint32(value: number): this {
    this.ensure(5);
    this.position = this.putVarint(this.position, value >>> 0);
    return this;
  }

  /** A signed varint as int32 fields hold it: a negative one takes ten bytes, sign-extended to 64 bits. */
  int32(value: number): this {
    if (value >= 0) return this.uint32(value);
    this.ensure(10);
    let low = value >>> 0;
    let high = 0xffffffff;
    while (high > 0 || low > 0x7f) {
      this.buffer[this.position++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this.buffer[this.position++] = low;
    return this;
  }

  /** A double, little-endian, as protobuf's fixed64 wire type holds it. */
  double(value: number): this {
    this.ensure(8);
    this.view.setFloat64(this.position, value, true);
    this.position += 8;
    return this;
  }

  /** A length-delimited string, its UTF-8 bytes as TextEncoder writes them. */
  string(value: string): this {
    const start = this.fork();
    this.ensure(value.length * 3);
    let i = 0;
    for (; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) break;
      this.buffer[this.position + i] = code;
    }
    this.position += i;
    if (i < value.length) {
      this.position += this.utf8.encodeInto(value.slice(i), this.buffer.subarray(this.position)).written;
    }
    return this.join(start);
  }

  /** Length-delimited bytes, copied. */
  bytes(value: Uint8Array): this {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
    return this;
  }

  /** Starts a length-delimited field's contents: one byte reserved for its length. */
  fork(): number {
    this.ensure(1);
    return this.position++;
  }

  /** Ends the field `fork` started, writing its length and moving its contents if that needs more room. */
  join(start: number): this {
    const length = this.position - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return this;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buffer.copyWithin(start + 1 + extra, start + 1, this.position);
    this.position += extra;
    this.putVarint(start, length);
    return this;
  }

  /** Writes `value` (below 2^32) as a varint at `at`, in room already there; returns where it ends. */
  private putVarint(at: number, value: number): number {
    let rest = value;
    while (rest > 0x7f) {
      this.buffer[at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buffer[at++] = rest;
    return at;
  }

  private ensure(bytes: number): void {
    const needed = this.position + bytes;
    if (needed <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.position));
    this.replaceBuffer(grown);
  }

  private replaceBuffer(buffer: Uint8Array): void {
    this.buffer = buffer;
    this.view = new DataView(buffer.buffer);
  }
}

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) size++;
  return size;
}
