/**
 * HTTP plumbing shared by the handlers: reading bounded bodies, decoding by Content-Type, encoding
 * answers and turning any error into a `Status` response (the only place where that happens).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { StatusError, badRequest, internalError, tooLarge, unsupportedMediaType } from '../api/errors.js';
import { decodeProtobufObject, protobufMediaType } from './protobuf/index.js';

/** Upstream's limit for a request body (3 MiB). */
export const maxBodyBytes = 3 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads the whole body, failing with 413 past the limit (the rest of the body is not read). */
export function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

const jsonTypes = new Set(['application/json', '']);
const yamlTypes = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'application/apply-patch+yaml']);
const objectBodyTypes = new Set([...jsonTypes, ...yamlTypes, protobufMediaType]);

/**
 * Decodes a JSON, YAML or Kubernetes protobuf body (kubectl's typed client sends protobuf for
 * `create namespace` and friends); other media types are 415. Empty bodies decode to undefined.
 */
export function decodeBody(body: Buffer, contentType: string | undefined, accepted: Set<string> = objectBodyTypes): unknown {
  const type = mediaType(contentType);
  if (!accepted.has(type)) throw unsupportedMediaType(type || 'unknown');
  if (body.length === 0) return undefined;
  if (type === protobufMediaType) return decodeProtobufObject(body);
  const text = body.toString('utf8');
  if (yamlTypes.has(type)) return parseYaml(text);
  return parseJson(text);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

function parseYaml(text: string): unknown {
  try {
    const docs = YAML.parseAllDocuments(text, { version: '1.1' });
    const real = Array.isArray(docs) ? docs.filter((d) => d.contents !== null) : [docs];
    if (real.length > 1) throw badRequest('yaml: the body must contain exactly one document');
    const doc = real[0];
    if (!doc) return undefined;
    if (doc.errors.length) throw badRequest(`error converting YAML to JSON: yaml: ${doc.errors[0].message}`);
    return doc.toJSON();
  } catch (error) {
    if (error instanceof StatusError) throw error;
    throw badRequest(`error converting YAML to JSON: yaml: ${(error as Error).message}`);
  }
}

/** Query parameters as booleans the way upstream reads them (the Python client sends `True`). */
export function queryFlag(value: string | null): boolean {
  return value !== null && ['true', 'True', '1', ''].includes(value);
}

export function queryInt(name: string, value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${value}`);
  return n;
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends an already-serialized JSON body. */
export function sendJsonText(res: ServerResponse, code: number, json: string, headers: Record<string, string | string[]> = {}, contentType = 'application/json'): void {
  // Encode once: the length and the bytes come from the same pass over the string.
  const body = Buffer.from(json, 'utf8');
  res.writeHead(code, { ...headers, 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

/** Items per chunk when a long list is streamed. */
const listChunkItems = 100;
/** How long one turn of the event loop may spend sending a long list before it yields. */
const listSliceMs = 3;
/** How much of a long list may wait in the response's buffer for a slow reader. */
const listBufferBytes = 4 * 2 ** 20;

/**
 * Sends `head`, the items' JSON joined by commas, and `tail`. A long list goes out in chunks, a few
 * milliseconds' worth per turn of the event loop (waiting for a slow reader when a few MB are queued),
 * so one LIST of thousands of objects never holds up every other request for long.
 */
export async function sendJsonList(res: ServerResponse, head: string, items: readonly string[], tail: string): Promise<void> {
  if (items.length <= listChunkItems) return sendJsonText(res, 200, head + items.join(',') + tail);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write(head);
  let start = 0;
  while (start < items.length) {
    const until = performance.now() + listSliceMs;
    while (start < items.length && res.writableLength < listBufferBytes && performance.now() < until) {
      if (res.destroyed) return;
      const chunk = (start === 0 ? '' : ',') + items.slice(start, start + listChunkItems).join(',');
      start += listChunkItems;
      // A Buffer: Node would otherwise measure the string's UTF-8 length and then encode it, two passes.
      res.write(Buffer.from(chunk));
    }
    if (res.writableLength >= listBufferBytes) await drainedOrClosed(res);
    // Yield even after a drain: on a fast socket 'drain' comes on the next tick, and a loop of
    // write-then-drain would otherwise send the whole list without letting anything else run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  res.end(tail);
}

/** Resolves when the response can take more data, or is gone; leaves no listener behind. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

export function sendJson(res: ServerResponse, code: number, value: unknown, headers: Record<string, string | string[]> = {}, contentType?: string): void {
  sendJsonText(res, code, JSON.stringify(value), headers, contentType);
}

/** Any error becomes a Status answer; unexpected ones are 500 and logged. */
export function sendError(res: ServerResponse, error: unknown, log: (message: string) => void = console.error): void {
  let status: StatusError;
  if (error instanceof StatusError) status = error;
  else {
    log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
    status = internalError((error as Error)?.message ?? String(error), error);
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  // A 413 leaves the rest of the body unread: close the connection rather than reuse it.
  if (status.code === 413) headers.Connection = 'close';
  if (status.status.details?.retryAfterSeconds) headers['Retry-After'] = String(status.status.details.retryAfterSeconds);
  sendJson(res, status.code, status.status, headers);
}

/** `Warning: 299 - "text"` headers, as kube-apiserver sends them. */
export function warningHeaders(warnings: string[]): Record<string, string[]> {
  if (!warnings.length) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}
