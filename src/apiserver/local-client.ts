/**
 * The in-process Client: the same semantics as HTTP (defaults, validation, conflicts, watch rules),
 * without sockets or JSON round trips on reads of watch events.
 */
import { StatusError, notFound } from '../api/errors.js';
import type { DeleteOptions, KubeList, KubeObject, WatchEventType } from '../api/types.js';
import type { Client, ClientWatch, ListQuery, PatchKind, ResourceRef, WatchQuery, WriteQuery } from '../client/index.js';
import { structuredCloneJson, type Registry, type Scope } from './registry.js';
import { findResource, groupVersionOf } from './resources.js';

export class LocalClient implements Client {
  constructor(private readonly registry: Registry) {}

  async get<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T> {
    return JSON.parse(this.registry.get(scopeOf(ref, namespace), name).json) as T;
  }

  async list<T extends KubeObject>(ref: ResourceRef, query: ListQuery = {}): Promise<KubeList<T>> {
    const scope = scopeOf(ref, query.namespace);
    const result = this.registry.list(scope, { labelSelector: query.labelSelector, fieldSelector: query.fieldSelector });
    return {
      apiVersion: groupVersionOf(scope.resource),
      kind: `${scope.resource.kind}List`,
      metadata: { resourceVersion: result.resourceVersion },
      items: result.items.map((item) => JSON.parse(item.json) as T),
    };
  }

  async create<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, query: WriteQuery = {}): Promise<T> {
    if (query.subresource === 'binding') {
      const result = await this.registry.bind(scopeOf(ref, namespace), obj.metadata.name!, bindingTarget(obj));
      return result.object as T;
    }
    const result = await this.registry.create(scopeOf(ref, namespace), structuredCloneJson(obj), { dryRun: query.dryRun, fieldManager: query.fieldManager });
    return result.object as T;
  }

  async update<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, query: WriteQuery = {}): Promise<T> {
    const name = obj.metadata.name;
    if (!name) throw notFound({ group: ref.group, resource: ref.resource }, '');
    const result = await this.registry.update(scopeOf(ref, namespace, query.subresource), name, structuredCloneJson(obj), { dryRun: query.dryRun, fieldManager: query.fieldManager });
    return result.object as T;
  }

  async patch<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, kind: PatchKind, patch: unknown, query: WriteQuery = {}): Promise<T> {
    const result = await this.registry.patch(scopeOf(ref, namespace, query.subresource), name, kind, structuredCloneJson(patch), { dryRun: query.dryRun, fieldManager: query.fieldManager });
    return result.object as T;
  }

  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    await this.registry.delete(scopeOf(ref, namespace), name, options);
  }

  watch<T extends KubeObject>(ref: ResourceRef, query: WatchQuery, onEvent: (type: WatchEventType, obj: T) => void, onError?: (error: unknown) => void): ClientWatch {
    let stop: (() => void) | undefined;
    try {
      const fromRevision = query.resourceVersion ? Number(query.resourceVersion) : 0;
      stop = this.registry.watch(
        scopeOf(ref, query.namespace),
        { labelSelector: query.labelSelector, fieldSelector: query.fieldSelector, fromRevision },
        (type, cached) => onEvent(type, cached.object as T),
      );
    } catch (error) {
      if (!onError) throw error;
      queueMicrotask(() => onError(error));
    }
    return { stop: () => stop?.() };
  }
}

/** Where a client's resource reference points; 404 for a resource the server does not serve. */
export function scopeOf(ref: ResourceRef, namespace: string | undefined, subresource?: string): Scope {
  const resource = findResource(ref.group, ref.version, ref.resource);
  if (!resource) throw new StatusError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
  return { resource, namespace: resource.namespaced ? namespace : undefined, subresource };
}

/** pods/<name>/binding: the body is a Binding whose metadata.name is the pod's and target.name the node. */
export function bindingTarget(binding: KubeObject): string {
  const target = (binding as unknown as { target?: { name?: string } }).target?.name;
  if (!target) throw new StatusError({ code: 400, reason: 'BadRequest', message: 'Binding target name is required' });
  return target;
}
