/**
 * A tiny protobuf writer for tests only: builds messages field by field so tests can hand-encode kinds
 * kubectl never sends as protobuf (Node, DaemonSet, Eviction, ...), unknown fields and broken input.
 */

export type Part = Uint8Array;

function varintBytes(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

function key(field: number, wire: number): number[] {
  return varintBytes(field * 8 + wire);
}

export function concat(...parts: Part[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));
}

/** A varint field (int32, int64, bool, enum); negative numbers take 10 bytes, as in Go. */
export function varint(field: number, value: number | bigint | boolean): Part {
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return Uint8Array.from([...key(field, 0), ...varintBytes(v)]);
}

export function bytes(field: number, payload: Uint8Array): Part {
  return Uint8Array.from([...key(field, 2), ...varintBytes(payload.length), ...payload]);
}

export function str(field: number, value: string): Part {
  return bytes(field, new Uint8Array(Buffer.from(value, 'utf8')));
}

/** A nested message field. */
export function msg(field: number, ...parts: Part[]): Part {
  return bytes(field, concat(...parts));
}

export function fixed32(field: number): Part {
  return Uint8Array.from([...key(field, 5), 1, 2, 3, 4]);
}

export function fixed64(field: number): Part {
  return Uint8Array.from([...key(field, 1), 1, 2, 3, 4, 5, 6, 7, 8]);
}

/** A (deprecated) group holding the given parts. */
export function group(field: number, ...parts: Part[]): Part {
  return concat(Uint8Array.from(key(field, 3)), ...parts, Uint8Array.from(key(field, 4)));
}

/** A map<string, string> entry. */
export function entry(field: number, k: string, v: string): Part {
  return msg(field, str(1, k), str(2, v));
}

/** meta/v1 Time / MicroTime. */
export function time(field: number, seconds: number, nanos = 0): Part {
  return msg(field, varint(1, seconds), varint(2, nanos));
}

/** intstr.IntOrString. */
export function intOrString(field: number, value: number | string): Part {
  return typeof value === 'number' ? msg(field, varint(1, 0), varint(2, value)) : msg(field, varint(1, 1), str(3, value));
}

/** resource.Quantity. */
export function quantity(field: number, value: string): Part {
  return msg(field, str(1, value));
}

/** The full body: `k8s\0` + runtime.Unknown{typeMeta, raw, contentEncoding, contentType}. */
export function envelope(apiVersion: string, kind: string, ...raw: Part[]): Buffer {
  const unknown = concat(msg(1, str(1, apiVersion), str(2, kind)), bytes(2, concat(...raw)), str(3, ''), str(4, ''));
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from(unknown)]);
}
