/**
 * Recording core/v1 Events, as controllers and the scheduler do upstream (`record.EventRecorder`):
 * one Event per occurrence, named `<object name>.<unique suffix>`, in the object's namespace (or
 * `default` for cluster-scoped objects). Identical events within a short window are counted on the
 * existing Event instead of creating another, as upstream's correlator does.
 */
import type { Event, KubeObject } from '../api/types.js';
import { refs, type Client } from './types.js';

export interface EventSource {
  /** `source.component` and `reportingComponent`, e.g. `daemonset-controller`, `default-scheduler`. */
  component: string;
  /** `source.host`, for node components. */
  host?: string;
}

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

interface Aggregate {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  lastWrite: Promise<unknown>;
}

/** RFC 3339 with whole seconds, as Event timestamps are written. */
const secondsTimestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class EventRecorder {
  private readonly aggregates = new Map<string, Aggregate>();
  private sequence = 0;

  constructor(
    private readonly client: Client,
    private readonly source: EventSource,
    private readonly now: () => number = Date.now,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Records an event about `object`; never throws (a lost event must not fail a sync). */
  record(object: KubeObject, event: RecordedEvent): void {
    const involvedObject = {
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      uid: object.metadata.uid,
      apiVersion: object.apiVersion,
      resourceVersion: object.metadata.resourceVersion,
    };
    const namespace = object.metadata.namespace || 'default';
    const key = [involvedObject.uid, event.type, event.reason, event.message].join('\u0000');
    const now = secondsTimestamp(this.now());
    const existing = this.aggregates.get(key);
    if (existing) {
      existing.count += 1;
      const count = existing.count;
      existing.lastWrite = existing.lastWrite
        .then(() => this.client.patch(refs.events, existing.namespace, existing.name, 'merge', { count, lastTimestamp: now }))
        .catch(this.onError);
      return;
    }
    const name = `${object.metadata.name}.${(this.now() * 1000 + (this.sequence++ % 1000)).toString(16)}`;
    const body: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason: event.reason,
      message: event.message,
      type: event.type,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    const aggregate: Aggregate = { name, namespace, count: 1, firstTimestamp: now, lastWrite: Promise.resolve() };
    aggregate.lastWrite = this.client.create(refs.events, namespace, body).catch(this.onError);
    this.aggregates.set(key, aggregate);
    // Keep the correlation window bounded: forget the oldest aggregates.
    if (this.aggregates.size > 4096) this.aggregates.delete(this.aggregates.keys().next().value!);
  }

  /** Resolves when every write issued so far has finished (for tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.aggregates.values()].map((a) => a.lastWrite));
  }
}
