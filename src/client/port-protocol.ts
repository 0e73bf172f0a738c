/**
 * The messages between a `PortClient` (controllers in a worker thread) and the API server's port
 * bridge. Objects travel as JSON text: the server sends the bytes its watch cache already holds, and
 * the client parses each object version once however many of its watches receive it.
 */
import type { Status } from '../api/errors.js';
import type { DeleteOptions } from '../api/types.js';
import type { ListQuery, PatchKind, ResourceRef, WatchQuery, WriteQuery } from './types.js';

interface Call {
  t: 'call';
  id: number;
  ref: ResourceRef;
  namespace?: string;
}

export type PortRequest =
  | (Call & { op: 'get'; name: string })
  | (Call & { op: 'list'; query: ListQuery })
  | (Call & { op: 'create' | 'update'; body: string; query: WriteQuery })
  | (Call & { op: 'patch'; name: string; kind: PatchKind; body: string; query: WriteQuery })
  | (Call & { op: 'delete'; name: string; options: DeleteOptions })
  | { t: 'watch'; wid: number; ref: ResourceRef; query: WatchQuery }
  | { t: 'unwatch'; wid: number };

export type PortCall = Extract<PortRequest, { t: 'call' }>;

export type PortReply =
  /** A call's answer: the object's JSON (get, create, update, patch), a list, or nothing (delete). */
  | { t: 'ok'; id: number; json?: string; list?: PortList }
  | { t: 'fail'; id: number; status: Status }
  /**
   * Watch events since the last message, in order: `events` holds triples (watch id, index into
   * `watchEventTypes`, index into `objects`).
   */
  | { t: 'events'; objects: string[]; events: number[] }
  /** The watch has ended (410 Expired, a bad selector …); no more events follow for it. */
  | { t: 'watchFailed'; wid: number; status: Status };

export interface PortList {
  apiVersion: string;
  kind: string;
  resourceVersion: string;
  items: string[];
  /** Each item's revision (its resourceVersion): lists running at once parse a version only once. */
  revisions: number[];
}

/** What crosses the port: messages gathered over one turn of the sender's event loop, in order. */
export type PortBatch<T> = T[];

export const watchEventTypes = ['ADDED', 'MODIFIED', 'DELETED'] as const;
