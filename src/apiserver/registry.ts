/**
 * The REST semantics of kube-apiserver over the store and the watch cache, independent of HTTP:
 * create, get, list, update, patch, delete and watch for every served resource. The HTTP layer only
 * decodes requests and encodes answers; an in-process client can call this directly with the same
 * results. Every failure is a `StatusError`.
 */
import { randomFillSync } from 'node:crypto';
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  staleObjectMessage,
  fieldErrors,
  type FieldError,
  isAlreadyExists,
} from '../api/errors.js';
import { parseFieldSelector, matchesFields, unsupportedFieldError } from '../api/fields.js';
import { goStringSlice, invalidRendered, rulesFor } from '../api/kinds/index.js';
import { matchesLabels, parseLabelSelector } from '../api/labels.js';
import { cannotBeHandledMessage, decodeBody, findConversionError, goValueString, patchMetaForKind, type FieldValidation } from '../api/schema/index.js';
import type { Condition, DeleteOptions, KubeObject, Pod } from '../api/types.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../machinery/index.js';
import type { Store } from '../store/index.js';
import { Admission, watchCacheView, type AdmissionRequest } from './admission/index.js';
import { findResource, groupVersionOf, storageKey, type ResourceInfo } from './resources.js';
import { prepareForCreate, prepareForStatusUpdate, prepareForUpdate, sameObject, timestamp } from './strategy.js';
import type { CacheEventType, CachedObject, ObjectFilter, WatchCache } from './watch-cache.js';

export type { FieldValidation };

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Upstream's default is Warn. */
  fieldValidation?: FieldValidation;
}

export interface WriteResult {
  /** The object as stored (or as it would be, for a dry run), serialized. */
  json: string;
  /** The same, parsed on first use (HTTP answers need only `json`). */
  readonly object: KubeObject;
  /** 201 for a create, 200 otherwise. */
  code: 200 | 201;
  warnings: string[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: CachedObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Where a request points: a resource, optionally a namespace and a subresource. */
export interface Scope {
  resource: ResourceInfo;
  namespace?: string;
  subresource?: string;
}

export interface RegistryOptions {
  store: Store;
  cache: WatchCache;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Admission plugins; by default everynode's (PodSecurity, Priority) over the watch cache. */
  admission?: Admission;
  /** Names for `metadata.generateName`; injectable for tests. */
  generateName?: (base: string) => string;
}

/** Writes racing with other writers are retried this many times before answering 409 (patches only). */
const patchRetries = 5;
/** Attempts at a free generated name (upstream, with RetryGenerateName, also makes up to 8). */
const generateNameAttempts = 8;
const nameSuffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
const namespacesResource = findResource('', 'v1', 'namespaces')!;
/** Namespaces upstream's NamespaceLifecycle admission never lets go. */
const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export class Registry {
  private readonly store: Store;
  readonly cache: WatchCache;
  private readonly admission: Admission;
  private readonly now: () => number;
  private readonly generateName: (base: string) => string;

  constructor(options: RegistryOptions) {
    this.store = options.store;
    this.cache = options.cache;
    this.admission = options.admission ?? new Admission(watchCacheView(this.cache));
    this.now = options.now ?? Date.now;
    this.generateName = options.generateName ?? generateName;
  }

  // ----------------------------------------------------------------------------------------------
  // Reads

  get(scope: Scope, name: string): CachedObject {
    const cached = this.cache.get(scope.resource, storageKey(scope.resource, scope.namespace, name));
    if (!cached) throw notFound(scope.resource, name);
    return cached;
  }

  list(scope: Scope, options: ListOptions = {}): ListResult {
    const filter = this.filterFor(scope.resource, options);
    const resourceVersion = String(this.cache.revision());
    let items = this.cache.list(scope.resource, scope.namespace, filter);
    if (options.continue) {
      const after = decodeContinue(options.continue);
      items = items.filter((item) => item.key > after);
    }
    if (options.limit && options.limit > 0 && items.length > options.limit) {
      const page = items.slice(0, options.limit);
      return {
        items: page,
        resourceVersion,
        continue: encodeContinue(page[page.length - 1].key, resourceVersion),
        remainingItemCount: items.length - page.length,
      };
    }
    return { items, resourceVersion };
  }

  /** Builds the filter for label and field selectors; throws 400 on bad selectors or unsupported fields. */
  filterFor(resource: ResourceInfo, options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>): ObjectFilter | undefined {
    const labels = options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined;
    const fields = options.fieldSelector ? parseFieldSelector(options.fieldSelector) : undefined;
    if (fields) {
      for (const requirement of fields) {
        if (!this.fieldGetter(resource, requirement.field)) throw unsupportedFieldError(requirement.field, resource.kind);
      }
    }
    if (!labels?.length && !fields?.length) return undefined;
    return (cached) =>
      (!labels || matchesLabels(labels, cached.labels())) &&
      (!fields || matchesFields(fields, (field) => cached.field(field, this.fieldGetter(resource, field)!)));
  }

  private fieldGetter(resource: ResourceInfo, field: string): ((o: KubeObject) => string | undefined) | undefined {
    if (field === 'metadata.name') return (o) => o.metadata.name ?? '';
    if (field === 'metadata.namespace') return (o) => o.metadata.namespace ?? '';
    return resource.fieldSelectors[field];
  }

  /** Starts a watch; see WatchCache.watch. Returns a function that stops it. */
  watch(
    scope: Scope,
    options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'> & { fromRevision?: number },
    onEvent: (type: CacheEventType, object: CachedObject) => void,
  ): () => void {
    const filter = this.filterFor(scope.resource, options);
    return this.cache.watch({ resource: scope.resource, namespace: scope.namespace, filter, fromRevision: options.fromRevision, onEvent });
  }

  // ----------------------------------------------------------------------------------------------
  // Writes

  async create(scope: Scope, body: unknown, options: WriteOptions = {}): Promise<WriteResult> {
    const { resource } = scope;
    const warnings: string[] = [];
    const obj = this.decode(resource, body, options.fieldValidation ?? 'Warn', warnings);
    this.checkNamespace(scope, obj);
    if (obj.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    // Mutating admission names the object as the client did: upstream generates the name after it.
    const requestedName = obj.metadata.name || obj.metadata.generateName || '';
    this.ensureNamespaceAccepts(scope, requestedName);
    const generatedName = !obj.metadata.name && !!obj.metadata.generateName;
    if (generatedName) obj.metadata.name = this.generateName(obj.metadata.generateName!);
    prepareForCreate(resource, obj, this.now());
    const rules = rulesFor(resource.group, resource.kind);
    rules.applyDefaults(obj);
    rules.prepareForCreate?.(obj);
    const request: AdmissionRequest = { operation: 'CREATE', resource, subresource: scope.subresource, namespace: scope.namespace, name: requestedName, object: obj };
    this.admission.admit(request);
    this.throwIfInvalid(resource, obj, rules.validateCreate(obj));
    warnings.push(...this.admission.validate({ ...request, name: obj.metadata.name ?? '' }));
    if (options.dryRun) return this.dryRunResult(obj, 201, warnings);
    // A generated name may already be taken: like upstream (RetryGenerateName), draw another a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await this.store.create(storageKey(resource, scope.namespace, obj.metadata.name!), obj);
        return storedResult(stored.json, 201, warnings);
      } catch (error) {
        const translated = this.translateStoreError(error, resource, obj.metadata.name!);
        if (!generatedName || !isAlreadyExists(translated) || attempt >= generateNameAttempts) throw translated;
        obj.metadata.name = this.generateName(obj.metadata.generateName!);
      }
    }
  }

  /** PUT: replace the object (or its status, for the status subresource). */
  async update(scope: Scope, name: string, body: unknown, options: WriteOptions = {}): Promise<WriteResult> {
    const warnings: string[] = [];
    const obj = this.decode(scope.resource, body, options.fieldValidation ?? 'Warn', warnings);
    this.checkNamespace(scope, obj);
    checkName(obj, name);
    const current = this.cache.get(scope.resource, storageKey(scope.resource, scope.namespace, name));
    if (!current) {
      if (scope.resource.allowCreateOnUpdate && !scope.subresource) return this.create(scope, obj, options);
      throw notFound(scope.resource, name);
    }
    // A uid in the body is a precondition (upstream's UpdatedObjectInfo), checked by storage.
    if (obj.metadata.uid && obj.metadata.uid !== current.object.metadata.uid) {
      throw conflict(scope.resource, name, `StorageError: invalid object, Code: 4, Key: ${current.key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${current.object.metadata.uid}`);
    }
    const requested = obj.metadata.resourceVersion;
    if (requested && requested !== current.object.metadata.resourceVersion) {
      throw conflict(scope.resource, name, staleObjectMessage);
    }
    if (!requested && !scope.resource.allowUnconditionalUpdate) {
      // Upstream's value is a uint64, which Go prints as 0x0.
      throw invalid(scope.resource.kind, scope.resource.group, name, [
        invalidRendered('metadata.resourceVersion', '0x0', 'must be specified for an update', 0),
      ]);
    }
    return this.commitUpdate(scope, current, obj, options, warnings);
  }

  /** PATCH with any of the four patch types; retried when another writer gets in between. */
  async patch(scope: Scope, name: string, type: PatchType, patch: unknown, options: WriteOptions & { force?: boolean } = {}): Promise<WriteResult> {
    for (let attempt = 0; ; attempt++) {
      const key = storageKey(scope.resource, scope.namespace, name);
      const current = this.cache.get(scope.resource, key);
      if (!current) {
        if (type === 'apply' && !scope.subresource) {
          // Apply creates the object the URL names, as upstream's applyPatcher does.
          checkApplyConfiguration(scope.resource, patch);
          checkName(patch as Partial<KubeObject>, name);
          const uid = (patch as Partial<KubeObject>).metadata?.uid;
          if (uid) throw conflict(scope.resource, name, `uid mismatch: the provided object specified uid ${uid}, and no existing object was found`);
          return this.create(scope, patch, options);
        }
        throw notFound(scope.resource, name);
      }
      const warnings: string[] = [];
      const patched = this.applyPatch(scope.resource, current.object, type, patch);
      const obj = this.decodePatched(scope.resource, type, patch, patched, options.fieldValidation ?? 'Warn', warnings);
      this.checkNamespace(scope, obj);
      checkName(obj, name);
      // A patch that carries a resourceVersion is a precondition (kubectl uses it in SSA migration).
      if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== current.object.metadata.resourceVersion) {
        throw conflict(scope.resource, name, staleObjectMessage);
      }
      try {
        return await this.commitUpdate(scope, current, obj, options, warnings);
      } catch (error) {
        // Another write to the object came first, and may not have reached the cache yet: wait until
        // the cache holds every write accepted so far, then patch the newer object (upstream retries
        // a patch on conflicts the same way).
        if (error instanceof StatusError && error.reason === 'Conflict' && attempt < patchRetries) {
          await this.cache.reached(this.store.acceptedRevision());
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * DELETE. Objects with finalizers (or a cascade that needs one) and pods still bound to a node are
   * only marked with deletionTimestamp; everything else is removed at once.
   */
  async delete(scope: Scope, name: string, options: DeleteOptions = {}): Promise<WriteResult> {
    const { resource } = scope;
    // Upstream's NamespaceLifecycle admission, which runs before the object is read.
    if (resource.kind === 'Namespace' && immortalNamespaces.has(name)) throw forbidden(resource, name, 'this namespace may not be deleted');
    const current = this.get(scope, name);
    // A private copy to change: parsed from the cached JSON (cheaper than cloning the parsed object).
    const obj = JSON.parse(current.json) as KubeObject;
    // Checked as upstream's rest.BeforeDelete does, naming the kind (`DaemonSet.apps "x"`).
    const kind = { group: resource.group, resource: resource.kind };
    const preconditions = options.preconditions;
    if (preconditions?.uid && preconditions.uid !== obj.metadata.uid) {
      throw conflict(kind, name, `the UID in the precondition (${preconditions.uid}) does not match the UID in record (${obj.metadata.uid}). The object might have been deleted and then recreated`);
    }
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflict(kind, name, `the ResourceVersion in the precondition (${preconditions.resourceVersion}) does not match the ResourceVersion in record (${obj.metadata.resourceVersion}). The object might have been modified`);
    }
    const dryRun = options.dryRun?.includes('All') ?? false;
    const finalizers = new Set(obj.metadata.finalizers ?? []);
    const policy = options.propagationPolicy ?? (options.orphanDependents ? 'Orphan' : undefined);
    if (policy === 'Orphan') finalizers.add('orphan');
    if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    const grace = this.gracePeriod(resource, obj, options);
    // A namespace waits for its content to be removed (spec.finalizers, handled by the namespace controller).
    const namespaceFinalizers = resource.kind === 'Namespace' ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];

    if (finalizers.size > 0 || grace > 0 || namespaceFinalizers.length > 0) {
      if (obj.metadata.deletionTimestamp && sameSet(finalizers, obj.metadata.finalizers ?? []) && !(grace > 0 && grace < (obj.metadata.deletionGracePeriodSeconds ?? Infinity))) {
        // Already being deleted and nothing to shorten or add: report the object as it is.
        return { json: current.json, object: current.object, code: 200, warnings: [] };
      }
      const now = this.now();
      obj.metadata.finalizers = finalizers.size ? [...finalizers] : undefined;
      if (!obj.metadata.finalizers) delete obj.metadata.finalizers;
      obj.metadata.deletionTimestamp = timestamp(now + grace * 1000);
      obj.metadata.deletionGracePeriodSeconds = grace;
      if (resource.kind === 'Namespace') obj.status = { ...(obj.status as object), phase: 'Terminating' };
      if (dryRun) return this.dryRunResult(obj, 200, []);
      return this.write(resource, current, obj, []);
    }
    if (dryRun) return this.dryRunResult(obj, 200, []);
    try {
      const stored = await this.store.delete(current.key, current.revision);
      return storedResult(stored.json, 200, []);
    } catch (error) {
      throw this.translateStoreError(error, resource, name);
    }
  }

  /** DELETE on a collection: deletes every matching object; returns the deleted (or marked) objects. */
  async deleteCollection(scope: Scope, list: ListOptions, options: DeleteOptions = {}): Promise<KubeObject[]> {
    const { items } = this.list(scope, { labelSelector: list.labelSelector, fieldSelector: list.fieldSelector });
    const deleted: KubeObject[] = [];
    for (const item of items) {
      try {
        const scopeOfItem = { ...scope, namespace: item.object.metadata.namespace };
        deleted.push((await this.delete(scopeOfItem, item.object.metadata.name!, options)).object);
      } catch (error) {
        // Deleted by someone else meanwhile: that is what was asked for.
        if (!(error instanceof StatusError && error.reason === 'NotFound')) throw error;
      }
    }
    return deleted;
  }

  /** pods/binding: assigns a node once and marks the pod scheduled; a second binding is 409 as upstream. */
  async bind(scope: Scope, name: string, nodeName: string): Promise<WriteResult> {
    const current = this.get({ ...scope, subresource: undefined }, name);
    const pod = current.object as Pod;
    if (pod.metadata.deletionTimestamp) throw conflict(scope.resource, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflict(scope.resource, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    const next = JSON.parse(current.json) as Pod;
    next.spec = { ...next.spec, nodeName };
    const scheduled: Condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(this.now()) };
    next.status = { ...next.status, conditions: [...(next.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), scheduled] };
    return this.replaceUnchecked(scope, current, next);
  }

  /**
   * Writes a version computed by the server itself (pod binding, namespace finalize), skipping the
   * client-facing update rules. `current` must be the version `next` was derived from.
   */
  async replaceUnchecked(scope: Scope, current: CachedObject, next: KubeObject): Promise<WriteResult> {
    next.metadata.resourceVersion = current.object.metadata.resourceVersion;
    return this.write(scope.resource, current, next, []);
  }

  // ----------------------------------------------------------------------------------------------
  // Internals

  private async commitUpdate(scope: Scope, current: CachedObject, obj: KubeObject, options: WriteOptions, warnings: string[]): Promise<WriteResult> {
    const { resource } = scope;
    const rules = rulesFor(resource.group, resource.kind);
    let next: KubeObject;
    let errors: FieldError[];
    if (scope.subresource === 'status') {
      next = prepareForStatusUpdate(obj, current.object);
      rules.applyStatusDefaults?.(next);
      errors = rules.validateStatusUpdate?.(next, current.object) ?? [];
    } else if (scope.subresource === 'finalize') {
      // namespaces/finalize changes only spec.finalizers (the namespace controller's last step).
      next = structuredCloneJson(current.object);
      next.spec = { ...(next.spec as object), finalizers: (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [] };
      errors = [];
    } else {
      next = obj;
      // Read before prepareForUpdate carries the system metadata over from the stored version.
      const metadataErrors = validateMetadataUpdate(next, current.object);
      prepareForUpdate(resource, next, current.object);
      rules.applyDefaults(next);
      this.admission.admit(this.updateRequest(scope, next, current.object));
      errors = [...metadataErrors, ...rules.validateUpdate(next, current.object)];
    }
    next.metadata.resourceVersion = current.object.metadata.resourceVersion;
    this.throwIfInvalid(resource, next, errors);
    warnings.push(...this.admission.validate(this.updateRequest(scope, next, current.object)));
    if (options.dryRun) return this.dryRunResult(next, 200, warnings);
    return this.write(resource, current, next, warnings);
  }

  private updateRequest(scope: Scope, next: KubeObject, old: KubeObject): AdmissionRequest {
    return { operation: 'UPDATE', resource: scope.resource, subresource: scope.subresource, namespace: scope.namespace, name: old.metadata.name ?? '', object: next, oldObject: old };
  }

  /** Stores an updated object: a no-op keeps the old version; losing every finalizer while deleting removes it. */
  private async write(resource: ResourceInfo, current: CachedObject, next: KubeObject, warnings: string[]): Promise<WriteResult> {
    const name = current.object.metadata.name!;
    try {
      if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length && this.deletesWhenUnfinalized(resource, next)) {
        const stored = await this.store.delete(current.key, current.revision);
        return storedResult(stored.json, 200, warnings);
      }
      if (sameObject(next, current.object)) return { json: current.json, object: current.object, code: 200, warnings };
      const stored = await this.store.update(current.key, next, current.revision);
      return storedResult(stored.json, 200, warnings);
    } catch (error) {
      throw this.translateStoreError(error, resource, name);
    }
  }

  /**
   * An object marked for deletion goes once its finalizers are gone, unless it is waiting for a grace
   * period (a pod whose node has not confirmed termination).
   */
  private deletesWhenUnfinalized(resource: ResourceInfo, obj: KubeObject): boolean {
    if (resource.kind === 'Namespace') return !((obj.spec as { finalizers?: string[] } | undefined)?.finalizers?.length);
    return (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0;
  }

  /** Upstream pod graceful deletion: bound, non-terminal pods get a grace period; everything else 0. */
  private gracePeriod(resource: ResourceInfo, obj: KubeObject, options: DeleteOptions): number {
    if (resource.kind !== 'Pod') return 0;
    const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const requested = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    // 0 removes the pod at once (`--grace-period=0 --force`; kubectl itself turns an unforced 0 into 1).
    return Math.max(0, requested);
  }

  private applyPatch(resource: ResourceInfo, current: KubeObject, type: PatchType, patch: unknown): unknown {
    const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
    switch (type) {
      case 'json':
        return applyJsonPatch(current, patch);
      case 'merge':
        return applyMergePatch(current, patch);
      case 'strategic':
        return applyStrategicMergePatch(current, patch, patchMetaForKind(gvk));
      case 'apply': {
        // Differs from upstream: server-side apply merges the applied configuration like a strategic
        // patch and keeps no field ownership (docs/differences.md#server-side-apply).
        checkApplyConfiguration(resource, patch);
        this.checkKind(resource, patch);
        return applyStrategicMergePatch(current, patch, patchMetaForKind(gvk));
      }
    }
  }

  /**
   * Turns a request body into an object of the resource's kind: checks apiVersion/kind, JSON types and
   * unknown fields (per fieldValidation), and drops unknown fields. The body becomes the object: callers
   * hand over bodies they own (freshly decoded, or a patch result) and never touch them again.
   */
  private decode(resource: ResourceInfo, body: unknown, validation: FieldValidation, warnings: string[]): KubeObject {
    const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
    if (!isObject(body)) throw badRequest(cannotBeHandledMessage(gvk, 'the body must be a JSON object'));
    this.checkKind(resource, body);
    // Unknown fields are dropped in every mode (as upstream's decoder does); the mode decides whether
    // the client hears about them.
    const error = decodeBody(body, gvk, validation, warnings);
    if (error !== undefined) throw badRequest(cannotBeHandledMessage(gvk, error));
    return asObject(resource, body);
  }

  /**
   * `decode` for the result of a patch. A patch that makes the object undecodable is upstream's 422 on
   * the field `patch`: a strategic merge patch shows itself (Go's `%+v` of it) and the unstructured
   * converter's error, the others the patched object and the decoder's. kubectl prints
   * `The request is invalid: patch: Invalid value: "…": …`.
   */
  private decodePatched(resource: ResourceInfo, type: PatchType, patch: unknown, patched: unknown, validation: FieldValidation, warnings: string[]): KubeObject {
    if (type === 'apply' || !isObject(patched)) return this.decode(resource, patched, validation, warnings);
    const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
    this.checkKind(resource, patched);
    const error = decodeBody(patched, gvk, validation, warnings);
    if (error === undefined) return asObject(resource, patched);
    const shown = type === 'strategic' ? goValueString(patch) : JSON.stringify(patched);
    const detail = (type === 'strategic' && findConversionError(patched, gvk)) || error;
    throw invalid('', '', '', [fieldErrors.invalid('patch', shown, detail)]);
  }

  private checkKind(resource: ResourceInfo, body: Record<string, unknown>): void {
    const expected = groupVersionOf(resource);
    if (body.apiVersion !== undefined && body.apiVersion !== expected) {
      throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
    }
    if (body.kind !== undefined && body.kind !== resource.kind) {
      throw badRequest(`${String(body.kind)} in version "${resource.version}" cannot be handled as a ${resource.kind}: the kind in the data (${String(body.kind)}) does not match the expected kind (${resource.kind})`);
    }
  }

  private checkNamespace(scope: Scope, obj: KubeObject): void {
    if (!scope.resource.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && scope.namespace && obj.metadata.namespace !== scope.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (!scope.namespace) throw badRequest('the namespace of the object must be set');
    obj.metadata.namespace = scope.namespace;
  }

  /** Creating in a missing namespace is 404; in a terminating one, 403 (upstream NamespaceLifecycle admission). */
  /** Upstream's NamespaceLifecycle admission for a create of `name` (or its generateName). */
  private ensureNamespaceAccepts(scope: Scope, name: string): void {
    if (!scope.resource.namespaced || !scope.namespace) return;
    const namespaces = namespacesResource;
    const ns = this.cache.get(namespaces, storageKey(namespaces, undefined, scope.namespace));
    if (!ns) throw notFound(namespaces, scope.namespace);
    if (ns.object.metadata.deletionTimestamp || (ns.object.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      const error = forbidden(scope.resource, name, `unable to create new content in namespace ${scope.namespace} because it is being terminated`);
      error.status.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${scope.namespace} is being terminated`, field: 'metadata.namespace' }];
      throw error;
    }
  }

  private throwIfInvalid(resource: ResourceInfo, obj: KubeObject, errors: FieldError[]): void {
    if (errors.length) throw invalid(resource.kind, resource.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
  }

  private dryRunResult(obj: KubeObject, code: 200 | 201, warnings: string[]): WriteResult {
    return { json: JSON.stringify(obj), object: obj, code, warnings };
  }

  /** Store errors name the key; answer with the resource's names as kube-apiserver does. */
  private translateStoreError(error: unknown, resource: ResourceInfo, name: string): unknown {
    if (!(error instanceof StatusError)) return error;
    switch (error.reason) {
      case 'AlreadyExists':
        return alreadyExists(resource, name);
      case 'NotFound':
        return notFound(resource, name);
      case 'Conflict':
        return conflict(resource, name, staleObjectMessage);
      default:
        return error;
    }
  }
}


/** A write result whose object is parsed from its JSON only when someone asks for it. */
function storedResult(json: string, code: 200 | 201, warnings: string[]): WriteResult {
  let object: KubeObject | undefined;
  return {
    json,
    code,
    warnings,
    get object() {
      return (object ??= JSON.parse(json) as KubeObject);
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameSet(a: Set<string>, b: string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
}

/** A deep copy of a JSON value; faster than structuredClone for plain data. */
export function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Random bytes for name suffixes, drawn a kilobyte at a time: one system call per ~200 names, not per name. */
const randomPool = Buffer.alloc(1024);
let randomPoolUsed = randomPool.length;

/** `<generateName><5 characters>`, with upstream's alphabet (no vowels, no confusable digits). */
export function generateName(base: string): string {
  if (randomPoolUsed + 5 > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolUsed = 0;
  }
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += nameSuffixAlphabet[randomPool[randomPoolUsed++]! % nameSuffixAlphabet.length];
  // Upstream trims the base so that the result stays within 63 characters.
  return base.slice(0, 58) + suffix;
}

function encodeContinue(lastKey: string, resourceVersion: string): string {
  return Buffer.from(JSON.stringify({ v: 'everynode/v1', rv: Number(resourceVersion), start: lastKey })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: string; start?: unknown };
    if (parsed.v === 'everynode/v1' && typeof parsed.start === 'string') return parsed.start;
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}


/** Upstream's checkName: the object names itself, and as the URL does. */
function checkName(obj: Partial<KubeObject>, name: string): void {
  const named = obj.metadata?.name;
  if (!named) throw badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  if (named !== name) throw badRequest(`the name of the object (${named}) does not match the name on the URL (${name})`);
}

/**
 * The checks of upstream's ValidateObjectMetaAccessorUpdate that prepareForUpdate would otherwise hide:
 * the uid may not change, and an object being deleted may not gain finalizers.
 */
function validateMetadataUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (next.metadata.uid && next.metadata.uid !== old.metadata.uid) errors.push(fieldErrors.invalid('metadata.uid', next.metadata.uid, 'field is immutable'));
  if (old.metadata.deletionTimestamp) {
    const before = new Set(old.metadata.finalizers ?? []);
    const finalizers: unknown[] = Array.isArray(next.metadata.finalizers) ? next.metadata.finalizers : [];
    const added = [...new Set(finalizers.filter((f): f is string => typeof f === 'string' && !before.has(f)))].sort();
    if (added.length) {
      errors.push(fieldErrors.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`));
    }
  }
  return errors;
}

/** What upstream's server-side apply refuses before it merges: not an object, another version, managed fields. */
function checkApplyConfiguration(resource: ResourceInfo, patch: unknown): asserts patch is Record<string, unknown> {
  if (!isObject(patch)) throw badRequest('the applied configuration must be an object');
  const expected = resource.group ? `${resource.group}/${resource.version}` : resource.version;
  const apiVersion = typeof patch.apiVersion === 'string' ? patch.apiVersion : '';
  if (apiVersion !== expected) throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${apiVersion}, expected: ${expected}`);
  const metadata = isObject(patch.metadata) ? patch.metadata : {};
  if (Array.isArray(metadata.managedFields) && metadata.managedFields.length > 0) throw badRequest('metadata.managedFields must be nil');
}

/** A decoded body as an object of the resource's kind: its apiVersion and kind set, metadata present. */
function asObject(resource: ResourceInfo, body: Record<string, unknown>): KubeObject {
  const obj = body as KubeObject;
  obj.apiVersion = groupVersionOf(resource);
  obj.kind = resource.kind;
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj;
}
