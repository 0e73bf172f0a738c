/**
 * A Client over a MessagePort: how controllers running in a worker thread reach the API server in
 * the main thread. Same semantics as the in-process client (failures are StatusErrors as the server
 * answered them; a write's watch events arrive before its answer), with one JSON parse per object
 * version however many watches, or lists running at once, receive it.
 */
import type { MessagePort } from 'node:worker_threads';
import { StatusError } from '../api/errors.js';
import type { DeleteOptions, KubeList, KubeObject, WatchEventType } from '../api/types.js';
import { watchEventTypes, type PortBatch, type PortCall, type PortReply, type PortRequest } from './port-protocol.js';
import type { Client, ClientWatch, ListQuery, PatchKind, ResourceRef, WatchQuery, WriteQuery } from './types.js';

type Pending = { resolve(reply: Extract<PortReply, { t: 'ok' }>): void; reject(error: Error): void };
type WatchHandlers = { onEvent(type: WatchEventType, obj: KubeObject): void; onError?(error: unknown): void };
/** A call as sent, before its id is given. */
type CallBody = PortCall extends infer C ? (C extends PortCall ? Omit<C, 't' | 'id'> : never) : never;

export class PortClient implements Client {
  private readonly pending = new Map<number, Pending>();
  private readonly watches = new Map<number, WatchHandlers>();
  private nextId = 1;
  private closed: Error | undefined;
  private outbox: PortRequest[] = [];
  /** Objects parsed for lists still running, by revision (each object version has its own). */
  private readonly listed = new Map<number, KubeObject>();
  private listsInFlight = 0;

  constructor(private readonly port: MessagePort) {
    port.on('message', (batch: PortBatch<PortReply>) => {
      for (const reply of batch) this.receive(reply);
    });
  }

  /** Fails every call in flight and every later one; watches end without further events. */
  close(reason = 'the API server connection is closed'): void {
    this.closed ??= new StatusError({ code: 503, reason: 'ServiceUnavailable', message: reason });
    for (const waiter of this.pending.values()) waiter.reject(this.closed);
    this.pending.clear();
    this.watches.clear();
    this.outbox = [];
    this.port.close();
  }

  async get<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T> {
    const reply = await this.call({ op: 'get', ref, namespace, name });
    return JSON.parse(reply.json!) as T;
  }

  async list<T extends KubeObject>(ref: ResourceRef, query: ListQuery = {}): Promise<KubeList<T>> {
    this.listsInFlight++;
    try {
      const { list } = await this.call({ op: 'list', ref, namespace: query.namespace, query });
      const { items, revisions } = list!;
      return {
        apiVersion: list!.apiVersion,
        kind: list!.kind,
        metadata: { resourceVersion: list!.resourceVersion },
        items: items.map((json, i) => this.parseListed(revisions[i]!, json) as T),
      };
    } finally {
      // The informers of a starting lab list the same pods and nodes at once: share their parses.
      if (--this.listsInFlight === 0) this.listed.clear();
    }
  }

  private parseListed(revision: number, json: string): KubeObject {
    let obj = this.listed.get(revision);
    if (!obj) this.listed.set(revision, (obj = JSON.parse(json) as KubeObject));
    return obj;
  }

  async create<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, query: WriteQuery = {}): Promise<T> {
    const reply = await this.call({ op: 'create', ref, namespace, body: JSON.stringify(obj), query });
    return JSON.parse(reply.json!) as T;
  }

  async update<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, query: WriteQuery = {}): Promise<T> {
    const reply = await this.call({ op: 'update', ref, namespace, body: JSON.stringify(obj), query });
    return JSON.parse(reply.json!) as T;
  }

  async patch<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, kind: PatchKind, patch: unknown, query: WriteQuery = {}): Promise<T> {
    const reply = await this.call({ op: 'patch', ref, namespace, name, kind, body: JSON.stringify(patch), query });
    return JSON.parse(reply.json!) as T;
  }

  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    await this.call({ op: 'delete', ref, namespace, name, options });
  }

  watch<T extends KubeObject>(ref: ResourceRef, query: WatchQuery, onEvent: (type: WatchEventType, obj: T) => void, onError?: (error: unknown) => void): ClientWatch {
    const wid = this.nextId++;
    if (this.closed) {
      const error = this.closed;
      queueMicrotask(() => onError?.(error));
      return { stop: () => {} };
    }
    this.watches.set(wid, { onEvent: onEvent as WatchHandlers['onEvent'], onError });
    this.send({ t: 'watch', wid, ref, query });
    return {
      stop: () => {
        if (!this.watches.delete(wid) || this.closed) return;
        this.send({ t: 'unwatch', wid });
      },
    };
  }

  private call(body: CallBody): Promise<Extract<PortReply, { t: 'ok' }>> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ ...body, t: 'call', id } as PortRequest);
    });
  }

  private send(request: PortRequest): void {
    if (this.outbox.push(request) > 1) return;
    // One message per turn of the event loop: a message costs tens of microseconds whatever its size.
    setImmediate(() => {
      const batch = this.outbox;
      this.outbox = [];
      if (batch.length > 0 && !this.closed) this.port.postMessage(batch);
    });
  }

  private receive(reply: PortReply): void {
    switch (reply.t) {
      case 'events':
        return this.deliver(reply.objects, reply.events);
      case 'watchFailed': {
        const handlers = this.watches.get(reply.wid);
        this.watches.delete(reply.wid);
        handlers?.onError?.(new StatusError({ ...reply.status, status: 'Failure' }));
        return;
      }
      default: {
        const waiter = this.pending.get(reply.id);
        if (!waiter) return;
        this.pending.delete(reply.id);
        if (reply.t === 'ok') waiter.resolve(reply);
        else waiter.reject(new StatusError({ ...reply.status, status: 'Failure' }));
      }
    }
  }

  /** Parses each object once; every watch that receives it gets the same (read-only) object. */
  private deliver(objects: string[], events: number[]): void {
    const parsed: (KubeObject | undefined)[] = new Array(objects.length);
    for (let i = 0; i < events.length; i += 3) {
      const handlers = this.watches.get(events[i]!);
      if (!handlers) continue;
      const index = events[i + 2]!;
      const obj = (parsed[index] ??= JSON.parse(objects[index]!) as KubeObject);
      handlers.onEvent(watchEventTypes[events[i + 1]!]!, obj);
    }
  }
}
