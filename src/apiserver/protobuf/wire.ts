/**
 * A minimal reader for the protobuf wire format: varints, fixed 32/64-bit words and length-delimited
 * runs. It only reads (the server never sends protobuf) and every bounds problem throws a 400, since the
 * bytes always come from a request body.
 */
import { badRequest, type StatusError } from '../../api/errors.js';

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

export function malformed(detail: string): StatusError {
  return badRequest(`unable to decode the protobuf body: ${detail}`);
}

const maxGroupDepth = 64;

/** A cursor over `buf[pos, end)`. Sub-readers share the buffer, so slicing never copies. */
export class WireReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) throw malformed('bad bounds');
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as an unsigned 64-bit bigint (at most 10 bytes, as upstream allows). */
  varintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw malformed('unexpected end of data inside a varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw malformed('varint is longer than 10 bytes');
  }

  /** A varint that must fit in a non-negative safe integer (tags and lengths). */
  varintNumber(): number {
    // Fast path: up to 4 bytes (28 bits) fits in plain arithmetic.
    let result = 0;
    const start = this.pos;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.end) throw malformed('unexpected end of data inside a varint');
      const byte = this.buf[this.pos++];
      result |= (byte & 0x7f) << (7 * i);
      if ((byte & 0x80) === 0) return result >>> 0;
    }
    this.pos = start;
    const big = this.varintBig();
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('length or tag out of range');
    return Number(big);
  }

  int32(): number {
    return Number(BigInt.asIntN(32, this.varintBig()));
  }

  int64(): number {
    return Number(BigInt.asIntN(64, this.varintBig()));
  }

  uint64(): number {
    return Number(this.varintBig());
  }

  bool(): boolean {
    return this.varintBig() !== 0n;
  }

  fixed32(): Uint8Array {
    return this.take(4);
  }

  fixed64(): Uint8Array {
    return this.take(8);
  }

  /** The payload of a length-delimited field, as a view (no copy). */
  bytes(): Uint8Array {
    const length = this.varintNumber();
    return this.take(length);
  }

  /** The bounds of a length-delimited payload, for decoding it in place. */
  span(): [number, number] {
    const length = this.varintNumber();
    if (length > this.end - this.pos) throw malformed('length-delimited field runs past the end of its message');
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  /** Reads a field key; returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const key = this.varintNumber();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw malformed('field number 0 is not allowed');
    if (wire > 5) throw malformed(`unknown wire type ${wire}`);
    return [field, wire];
  }

  /** Skips the value of a field whose key was just read. */
  skip(field: number, wire: number, depth = 0): void {
    switch (wire) {
      case WireType.Varint:
        this.varintBig();
        return;
      case WireType.Fixed64:
        this.take(8);
        return;
      case WireType.LengthDelimited:
        this.span();
        return;
      case WireType.Fixed32:
        this.take(4);
        return;
      case WireType.StartGroup: {
        if (depth >= maxGroupDepth) throw malformed('groups are nested too deeply');
        for (;;) {
          if (this.done) throw malformed('unterminated group');
          const [f, w] = this.tag();
          if (w === WireType.EndGroup) {
            if (f !== field) throw malformed('mismatched end of group');
            return;
          }
          this.skip(f, w, depth + 1);
        }
      }
      case WireType.EndGroup:
        throw malformed('unexpected end of group');
      default:
        throw malformed(`unknown wire type ${wire}`);
    }
  }

  private take(n: number): Uint8Array {
    if (n > this.end - this.pos) throw malformed('unexpected end of data');
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }
}

const utf8 = new TextDecoder('utf-8');
