/**
 * Recording core/v1 Events, as controllers and the scheduler do upstream (`record.EventRecorder`):
 * Events named `<object name>.<unique suffix>`, in the object's namespace (or `default` for
 * cluster-scoped objects), passed through upstream's correlator (client-go tools/record/events_cache.go):
 *
 * - spam filter: a source may report 25 events about one object at once, then one more every 5 minutes;
 *   the rest are dropped (a DaemonSet creating 5,000 pods writes 25 events, not 5,000);
 * - aggregation: from the 10th distinct message with the same type and reason about an object within
 *   10 minutes, one Event "(combined from similar events): <latest message>" stands for them all;
 * - counting: an event identical to one already written raises that Event's `count`.
 */
import type { Event, KubeObject } from '../api/types.js';
import { rfc3339Seconds } from '../api/time.js';
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

const maxCacheEntries = 4096;
const spamBurst = 25;
const spamRefillMs = 300_000;
const aggregateMaxEvents = 10;
const aggregateIntervalMs = 600_000;
const aggregatePrefix = '(combined from similar events): ';

interface SpamBucket {
  tokens: number;
  refilledAt: number;
}

interface SimilarEvents {
  messages: Set<string>;
  lastAt: number;
}

/** Inserts or refreshes `key` as the newest entry, forgetting the oldest beyond the cache size (an LRU). */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > maxCacheEntries) cache.delete(cache.keys().next().value!);
}

/** RFC 3339 with whole seconds, as Event timestamps are written. */
const secondsTimestamp = rfc3339Seconds;

export class EventRecorder {
  /** Written Events by correlation key (the event's identity, or its aggregate group's). */
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly spamBuckets = new Map<string, SpamBucket>();
  private readonly similar = new Map<string, SimilarEvents>();
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
    const nowMs = this.now();
    const objectKey = [this.source.component, this.source.host ?? '', involvedObject.kind, involvedObject.namespace, involvedObject.name, involvedObject.uid, involvedObject.apiVersion].join('\u0000');
    if (!this.takeSpamToken(objectKey, nowMs)) return;
    let message = event.message;
    let key = [objectKey, event.type, event.reason, event.message].join('\u0000');
    const groupKey = [objectKey, event.type, event.reason].join('\u0000');
    if (this.isAggregated(groupKey, event.message, nowMs)) {
      message = aggregatePrefix + event.message;
      key = groupKey;
    }
    const now = secondsTimestamp(nowMs);
    const existing = this.aggregates.get(key);
    if (existing) {
      existing.count += 1;
      const count = existing.count;
      existing.lastWrite = existing.lastWrite
        .then(() => this.client.patch(refs.events, existing.namespace, existing.name, 'merge', { count, lastTimestamp: now, message }))
        .catch(this.onError);
      remember(this.aggregates, key, existing);
      return;
    }
    const name = `${object.metadata.name}.${(nowMs * 1000 + (this.sequence++ % 1000)).toString(16)}`;
    const body: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason: event.reason,
      message,
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
    remember(this.aggregates, key, aggregate);
  }

  /** The spam filter's token bucket for one source and object: false when the event must be dropped. */
  private takeSpamToken(objectKey: string, nowMs: number): boolean {
    const bucket = this.spamBuckets.get(objectKey) ?? { tokens: spamBurst, refilledAt: nowMs };
    const refills = Math.floor((nowMs - bucket.refilledAt) / spamRefillMs);
    if (refills > 0) {
      bucket.tokens = Math.min(spamBurst, bucket.tokens + refills);
      bucket.refilledAt += refills * spamRefillMs;
    }
    if (bucket.tokens >= spamBurst) bucket.refilledAt = nowMs;
    const allowed = bucket.tokens > 0;
    if (allowed) bucket.tokens -= 1;
    remember(this.spamBuckets, objectKey, bucket);
    return allowed;
  }

  /** Whether the event joins its group's aggregate: the group has seen 10 distinct messages lately. */
  private isAggregated(groupKey: string, message: string, nowMs: number): boolean {
    let group = this.similar.get(groupKey);
    if (!group || nowMs - group.lastAt > aggregateIntervalMs) group = { messages: new Set(), lastAt: nowMs };
    group.messages.add(message);
    group.lastAt = nowMs;
    remember(this.similar, groupKey, group);
    if (group.messages.size < aggregateMaxEvents) return false;
    // Keep the set at its cap, as upstream pops one key once aggregating.
    group.messages.delete(group.messages.values().next().value!);
    return true;
  }

  /** Resolves when every write issued so far has finished (for tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.aggregates.values()].map((a) => a.lastWrite));
  }
}

/**
 * A Normal event on the node named `status`, "Node X status is now: X", as upstream's node controller
 * (RecordNodeStatusChange) and kubelet record them. Their reference carries the node's name where the
 * UID would go, and so does this one.
 */
export function recordNodeStatusEvent(recorder: EventRecorder, nodeName: string, status: string): void {
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } };
  recorder.record(node, { type: 'Normal', reason: status, message: `Node ${nodeName} status is now: ${status}` });
}
