/**
 * The Client: how controllers, the scheduler and node runtimes talk to the API. Two implementations
 * share these semantics: an in-process client over the API server's registry, and (later) HTTP.
 * Every failure is a `StatusError`, as the API server would answer it.
 */
import type { DeleteOptions, KubeList, KubeObject, WatchEventType } from '../api/types.js';

/** Which resource: group ('' for core), version and plural resource name. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
}

export interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchQuery extends ListQuery {
  /** Start after this resourceVersion; '0' or undefined: current objects first as ADDED. */
  resourceVersion?: string;
}

export interface WriteQuery {
  dryRun?: boolean;
  fieldManager?: string;
  subresource?: string;
}

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export interface ClientWatch {
  stop(): void;
}

export interface Client {
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T>;
  /** Items may be shared with other readers (informers listing at the same time): never mutate them. */
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, query?: ListQuery): Promise<KubeList<T>>;
  create<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, query?: WriteQuery): Promise<T>;
  /** PUT of the whole object (or `query.subresource`, e.g. status). */
  update<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, query?: WriteQuery): Promise<T>;
  patch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, kind: PatchKind, patch: unknown, query?: WriteQuery): Promise<T>;
  delete(ref: ResourceRef, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<void>;
  /**
   * Streams changes. Objects handed to `onEvent` may be shared with other watchers: never mutate them.
   * `onError` receives a 410 Expired (or a broken stream); the watch has ended then.
   */
  watch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    query: WatchQuery,
    onEvent: (type: WatchEventType, obj: T) => void,
    onError?: (error: unknown) => void,
  ): ClientWatch;
}

/** The resources the controllers use, by name. */
export const refs = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  events: { group: '', version: 'v1', resource: 'events' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  controllerrevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  priorityclasses: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' },
  poddisruptionbudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
} satisfies Record<string, ResourceRef>;
