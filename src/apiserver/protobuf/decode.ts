/**
 * Decodes Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`) into the JSON form
 * the rest of the server works with.
 *
 * The envelope is the 4 magic bytes `k8s\0` followed by a `runtime.Unknown` message whose `typeMeta`
 * names the kind and whose `raw` holds the object's own encoding. The object is decoded with the field
 * tables in ./schema.ts; field numbers we don't know are skipped.
 */
import { badRequest } from '../../api/errors.js';
import { kinds, messages, type MessageTable } from './schema.js';
import { WireReader, WireType, malformed } from './wire.js';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

const magic = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

type Scalar = 'string' | 'bool' | 'int32' | 'int64' | 'bytes' | 'time' | 'microtime' | 'quantity' | 'intstr' | 'rawjson';
const scalars = new Set<string>(['string', 'bool', 'int32', 'int64', 'bytes', 'time', 'microtime', 'quantity', 'intstr', 'rawjson']);

interface Field {
  json: string;
  /** A scalar type or a message name. */
  type: string;
  message: boolean;
  repeated: boolean;
  map: boolean;
  /** Emit zero values too (pointer or non-omitempty field). */
  keep: boolean;
  /** Merge the message's fields into the parent object. */
  inline: boolean;
}

type Table = Map<number, Field>;

/** The field tables, parsed once from their string form. */
const tables = new Map<string, Table>();
for (const [name, spec] of Object.entries(messages)) tables.set(name, parseTable(name, spec));
for (const [name, table] of tables) {
  for (const field of table.values()) {
    if (field.message && !tables.has(field.type)) throw new Error(`protobuf schema: ${name} refers to unknown message ${field.type}`);
  }
}

function parseTable(name: string, spec: MessageTable): Table {
  const table: Table = new Map();
  for (const [number, text] of Object.entries(spec)) {
    const match = /^(\S+) (\[\]|\{\})?([A-Za-z0-9]+)([!^]*)$/.exec(text);
    if (!match) throw new Error(`protobuf schema: bad field ${name}.${number}: ${text}`);
    const [, json, container, type, flags] = match;
    const message = !scalars.has(type);
    if (message && type[0] !== type[0].toUpperCase()) throw new Error(`protobuf schema: unknown type ${type}`);
    table.set(Number(number), {
      json,
      type,
      message,
      repeated: container === '[]',
      map: container === '{}',
      keep: flags.includes('!'),
      inline: flags.includes('^'),
    });
  }
  return table;
}

/** The names of the kinds accepted, as `apiVersion/kind` pairs. */
export function protobufKinds(): Array<{ apiVersion: string; kind: string }> {
  return Object.entries(kinds).flatMap(([apiVersion, byKind]) => Object.keys(byKind).map((kind) => ({ apiVersion, kind })));
}

/**
 * Decodes a protobuf request body into a JSON object with `apiVersion` and `kind` set from the envelope.
 * An empty body decodes to `undefined` (as with JSON); malformed input or an unknown kind throws a 400.
 */
export function decodeProtobufObject(body: Uint8Array): unknown {
  if (body.length === 0) return undefined;
  if (body.length < magic.length || magic.some((b, i) => body[i] !== b)) {
    throw badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const envelope = decodeEnvelope(new WireReader(body, magic.length));
  const { apiVersion, kind } = envelope;
  if (!kind) throw badRequest("Object 'Kind' is missing in the protobuf body");
  if (envelope.contentEncoding) throw badRequest(`unsupported protobuf content encoding "${envelope.contentEncoding}"`);
  // DeleteOptions is registered in every group version; accept it whatever the apiVersion.
  const byKind = Object.hasOwn(kinds, apiVersion) ? kinds[apiVersion] : undefined;
  const messageName = byKind && Object.hasOwn(byKind, kind) ? byKind[kind] : kind === 'DeleteOptions' ? 'DeleteOptions' : undefined;
  if (!messageName) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in protobuf bodies`);
  const raw = envelope.raw ?? new Uint8Array(0);
  const object = decodeMessage(messageName, raw, 0, raw.length, 0);
  return { apiVersion, kind, ...(object as Record<string, unknown>) };
}

/** Decodes one message of the named type from bytes (no envelope). Exposed for tests and reuse. */
export function decodeProtobufMessage(messageName: string, bytes: Uint8Array): unknown {
  if (!tables.has(messageName)) throw new Error(`unknown protobuf message ${messageName}`);
  return decodeMessage(messageName, bytes, 0, bytes.length, 0);
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw?: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

function decodeEnvelope(reader: WireReader): Envelope {
  const out: Envelope = { apiVersion: '', kind: '', contentEncoding: '', contentType: '' };
  while (!reader.done) {
    const [field, wire] = reader.tag();
    if (field >= 1 && field <= 4) expectWire(wire, WireType.LengthDelimited, `Unknown field ${field}`);
    switch (field) {
      case 1: {
        const [start, end] = reader.span();
        const meta = new WireReader(reader.buf, start, end);
        while (!meta.done) {
          const [f, w] = meta.tag();
          if (f === 1 || f === 2) {
            expectWire(w, WireType.LengthDelimited, `TypeMeta field ${f}`);
            if (f === 1) out.apiVersion = meta.string();
            else out.kind = meta.string();
          } else meta.skip(f, w);
        }
        break;
      }
      case 2:
        out.raw = reader.bytes();
        break;
      case 3:
        out.contentEncoding = reader.string();
        break;
      case 4:
        out.contentType = reader.string();
        break;
      default:
        reader.skip(field, wire);
    }
  }
  return out;
}

const maxDepth = 100;

function decodeMessage(name: string, buf: Uint8Array, start: number, end: number, depth: number): unknown {
  if (depth > maxDepth) throw malformed('objects are nested too deeply');
  const table = tables.get(name)!;
  const reader = new WireReader(buf, start, end);
  const out: Record<string, unknown> = {};
  // Wrapper messages (FieldsV1, RawExtension) stand for their single raw value.
  let self: unknown;
  let hasSelf = false;

  while (!reader.done) {
    const [number, wire] = reader.tag();
    const field = table.get(number);
    if (!field) {
      reader.skip(number, wire);
      continue;
    }
    const where = `${name}.${field.json === '-' ? field.type : field.json}`;

    if (field.map) {
      expectWire(wire, WireType.LengthDelimited, where);
      const [s, e] = reader.span();
      const [key, value] = decodeMapEntry(field, buf, s, e, depth + 1, where);
      const map = (out[field.json] ??= {}) as Record<string, unknown>;
      // defineProperty, so that a key such as "__proto__" stays an ordinary key.
      Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }

    if (field.repeated) {
      const list = (out[field.json] ??= []) as unknown[];
      if (!field.message && wire === WireType.LengthDelimited && isPackable(field.type)) {
        // Packed encoding of repeated numbers.
        const [s, e] = reader.span();
        const packed = new WireReader(buf, s, e);
        while (!packed.done) list.push(readVarintScalar(field.type, packed));
        continue;
      }
      list.push(readValue(field, wire, reader, buf, depth, where).value);
      continue;
    }

    const { value, present } = readValue(field, wire, reader, buf, depth, where);
    if (field.json === '-' && !field.message) {
      self = value;
      hasSelf = present;
      continue;
    }
    if (field.inline) {
      Object.assign(out, value as Record<string, unknown>);
      continue;
    }
    if (!present || (!field.keep && isZero(value))) {
      // The last occurrence of a scalar wins, even when it is the zero value.
      delete out[field.json];
      continue;
    }
    if (field.message && isPlainObject(out[field.json]) && isPlainObject(value)) {
      // A message field seen twice is merged, as protobuf specifies.
      Object.assign(out[field.json] as Record<string, unknown>, value);
    } else {
      out[field.json] = value;
    }
  }
  if (hasSelf || tableIsWrapper(table)) return hasSelf ? self : undefined;
  return out;
}

function tableIsWrapper(table: Table): boolean {
  const only = table.get(1);
  return table.size === 1 && only !== undefined && only.json === '-' && !only.message;
}

function decodeMapEntry(field: Field, buf: Uint8Array, start: number, end: number, depth: number, where: string): [string, unknown] {
  const reader = new WireReader(buf, start, end);
  let key = '';
  let value: unknown;
  let seenValue = false;
  const valueField: Field = { ...field, map: false, repeated: false, keep: true, inline: false };
  while (!reader.done) {
    const [number, wire] = reader.tag();
    if (number === 1) {
      expectWire(wire, WireType.LengthDelimited, `${where} key`);
      key = reader.string();
    } else if (number === 2) {
      const read = readValue(valueField, wire, reader, buf, depth, `${where}[${JSON.stringify(key)}]`);
      value = read.value;
      seenValue = read.present;
    } else {
      reader.skip(number, wire);
    }
  }
  if (!seenValue) value = zeroValue(field.type);
  return [key, value];
}

function zeroValue(type: string): unknown {
  switch (type) {
    case 'string':
    case 'bytes':
      return '';
    case 'quantity':
      return '0';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'intstr':
      return 0;
    case 'time':
    case 'microtime':
    case 'rawjson':
      return null;
    default:
      return {};
  }
}

/** Reads one value of the field's (element) type; `present` is false for values that mean "unset". */
function readValue(
  field: Field,
  wire: number,
  reader: WireReader,
  buf: Uint8Array,
  depth: number,
  where: string,
): { value: unknown; present: boolean } {
  if (field.message) {
    expectWire(wire, WireType.LengthDelimited, where);
    const [s, e] = reader.span();
    const value = decodeMessage(field.type, buf, s, e, depth + 1);
    return { value, present: value !== undefined };
  }
  const type = field.type as Scalar;
  switch (type) {
    case 'string':
      expectWire(wire, WireType.LengthDelimited, where);
      return { value: reader.string(), present: true };
    case 'bytes':
      expectWire(wire, WireType.LengthDelimited, where);
      return { value: Buffer.from(reader.bytes()).toString('base64'), present: true };
    case 'bool':
    case 'int32':
    case 'int64':
      expectWire(wire, WireType.Varint, where);
      return { value: readVarintScalar(type, reader), present: true };
    case 'time':
    case 'microtime': {
      expectWire(wire, WireType.LengthDelimited, where);
      const [s, e] = reader.span();
      const value = decodeTimestamp(buf, s, e, type === 'microtime', where);
      return { value, present: value !== undefined };
    }
    case 'quantity': {
      expectWire(wire, WireType.LengthDelimited, where);
      const [s, e] = reader.span();
      return { value: decodeQuantity(buf, s, e, where), present: true };
    }
    case 'intstr': {
      expectWire(wire, WireType.LengthDelimited, where);
      const [s, e] = reader.span();
      return { value: decodeIntOrString(buf, s, e, where), present: true };
    }
    case 'rawjson': {
      expectWire(wire, WireType.LengthDelimited, where);
      const bytes = reader.bytes();
      if (bytes.length === 0) return { value: undefined, present: false };
      const text = Buffer.from(bytes).toString('utf8');
      try {
        return { value: JSON.parse(text), present: true };
      } catch {
        throw malformed(`${where} does not hold valid JSON`);
      }
    }
  }
}

function isPackable(type: string): boolean {
  return type === 'bool' || type === 'int32' || type === 'int64';
}

function readVarintScalar(type: string, reader: WireReader): number | boolean {
  if (type === 'bool') return reader.bool();
  if (type === 'int32') return reader.int32();
  return reader.int64();
}

function expectWire(actual: number, expected: number, where: string): void {
  if (actual !== expected) throw malformed(`wrong wire type ${actual} for ${where} (expected ${expected})`);
}

/** meta/v1 Time and MicroTime: {seconds=1 int64, nanos=2 int32}; an empty message is the zero time (unset). */
function decodeTimestamp(buf: Uint8Array, start: number, end: number, micro: boolean, where: string): string | undefined {
  if (start === end) return undefined;
  const reader = new WireReader(buf, start, end);
  let seconds = 0;
  let nanos = 0;
  while (!reader.done) {
    const [number, wire] = reader.tag();
    if (number === 1) {
      expectWire(wire, WireType.Varint, `${where}.seconds`);
      seconds = reader.int64();
    } else if (number === 2) {
      expectWire(wire, WireType.Varint, `${where}.nanos`);
      nanos = reader.int32();
    } else reader.skip(number, wire);
  }
  if (nanos < 0 || nanos > 999_999_999) throw malformed(`${where} has nanos out of range`);
  const millis = seconds * 1000;
  if (!Number.isSafeInteger(millis) || Math.abs(millis) > 8.64e15) throw malformed(`${where} is out of range`);
  const iso = new Date(millis).toISOString(); // always ends in .000Z, since millis is whole seconds
  const base = iso.slice(0, -5);
  if (!micro) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** resource.Quantity: {string=1}. */
function decodeQuantity(buf: Uint8Array, start: number, end: number, where: string): string {
  const reader = new WireReader(buf, start, end);
  let value = '';
  while (!reader.done) {
    const [number, wire] = reader.tag();
    if (number === 1) {
      expectWire(wire, WireType.LengthDelimited, `${where}.string`);
      value = reader.string();
    } else reader.skip(number, wire);
  }
  return value === '' ? '0' : value;
}

/** intstr.IntOrString: {type=1 (0 int, 1 string), intVal=2, strVal=3}. */
function decodeIntOrString(buf: Uint8Array, start: number, end: number, where: string): number | string {
  const reader = new WireReader(buf, start, end);
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!reader.done) {
    const [number, wire] = reader.tag();
    if (number === 1) {
      expectWire(wire, WireType.Varint, `${where}.type`);
      type = reader.int64();
    } else if (number === 2) {
      expectWire(wire, WireType.Varint, `${where}.intVal`);
      intVal = reader.int32();
    } else if (number === 3) {
      expectWire(wire, WireType.LengthDelimited, `${where}.strVal`);
      strVal = reader.string();
    } else reader.skip(number, wire);
  }
  if (type === 0) return intVal;
  if (type === 1) return strVal;
  throw malformed(`${where} has an unknown IntOrString type ${type}`);
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
