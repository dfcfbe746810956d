import { BinaryReader } from '@bufbuild/protobuf/wire';

/**
 * Struct keys and short values repeat across every resource of a request and across requests
 * (apiVersion, metadata, labels, True, Ready...). A table holding the string last decoded for each
 * hash of its bytes gives the same string back for the same bytes, without building it again; as an
 * object key it is then one V8 has already internalised. Only short ASCII strings are kept (at most
 * SLOTS of MAX_CACHED_LENGTH characters: 128 KiB); any other goes through the reader's own decoding.
 * What is returned is the string the bytes hold either way: the table only saves work.
 */
const SLOTS = 4096;
const MAX_CACHED_LENGTH = 32;
const table: Array<string | undefined> = new Array<string | undefined>(SLOTS).fill(undefined);

/** bufbuild's BinaryReader (which keeps its bytes private), reading short strings through the table. */
export class CodecReader extends BinaryReader {
  constructor(private readonly data: Uint8Array) {
    super(data);
  }

  /** A length-delimited string field at the reader's position, as string() reads it. */
  text(): string {
    const fieldStart = this.pos;
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    const bytes = this.data;
    if (length > MAX_CACHED_LENGTH || end > this.len) return this.reread(fieldStart);
    let hash = length;
    for (let i = start; i < end; i++) {
      const byte = bytes[i] ?? 0xff; // never undefined: end <= this.len
      if (byte > 0x7f) return this.reread(fieldStart);
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    const cached = table[slot];
    this.pos = end;
    if (cached !== undefined && cached.length === length && sameAscii(cached, bytes, start)) return cached;
    const decoded = String.fromCharCode(...bytes.subarray(start, end));
    table[slot] = decoded;
    return decoded;
  }

  /** Not a short ASCII string, or past the end: string() decodes it (or throws) from its start. */
  private reread(fieldStart: number): string {
    this.pos = fieldStart;
    return this.string();
  }
}

function sameAscii(text: string, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== bytes[start + i]) return false;
  }
  return true;
}
