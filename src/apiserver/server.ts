/**
 * The API server: routes Kubernetes REST paths to the registry, serves discovery, OpenAPI, version and
 * health, and streams watches. Plain node:http, JSON only (kubectl accepts JSON everywhere).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusError, badRequest, fieldErrors, invalid, methodNotAllowed, notFound, type FieldError, type Status } from '../api/errors.js';
import { goStringSlice, renderedFieldError } from '../api/kinds/index.js';
import { openapiV3Document, openapiV3Root } from '../api/schema/index.js';
import type { PodLogSource } from '../api/logs.js';
import type { DeleteOptions, KubeObject, Node, Pod, Table } from '../api/types.js';
import type { Store } from '../store/index.js';
import {
  aggregatedDiscovery,
  aggregatedDiscoveryContentType,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
  wantsAggregatedDiscovery,
} from './discovery.js';
import { decodeBody, queryFlag, queryInt, readBody, sendError, sendJson, sendJsonList, sendJsonText, sendText, warningHeaders, mediaType } from './http.js';
import { Registry, type FieldValidation, type PatchType, type Scope } from './registry.js';
import { findResource, groupVersionOf, storageKey, type ResourceInfo } from './resources.js';
import { servePodLog, type PodLogContext } from './pod-logs.js';
import { evictPod } from './eviction.js';
import { EventExpiry, defaultEventTtlMs } from './event-ttl.js';
import { printerFor, toTable } from './tables/index.js';
import { WatchCache, type CacheEventType, type CachedObject } from './watch-cache.js';
import { timestamp } from './strategy.js';

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-everynode',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-24T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface ApiServerOptions {
  store: Store;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** How often watches that asked for bookmarks get one. */
  bookmarkIntervalMs?: number;
  /**
   * How often the store forgets history, as kube-apiserver compacts etcd: each time up to the revision
   * seen one interval earlier. Default 5 minutes; 0 turns it off.
   */
  compactionIntervalMs?: number;
  /** How long an Event lives after its last write, as kube-apiserver's `--event-ttl`. Default 1 hour; 0 keeps Events forever. */
  eventTtlMs?: number;
  /**
   * Where pod logs come from (the kubelets' part). Without one, log requests for bound pods fail as
   * they do on a cluster whose kubelet cannot be reached.
   */
  podLogs?: PodLogSource;
  log?: (message: string) => void;
}

interface RequestInfo {
  group: string;
  version: string;
  resource: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface WatchSession {
  res: ServerResponse;
  resource: ResourceInfo;
  bookmarks: boolean;
}

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** A slow watcher holding more than this much unsent data is cut off (upstream also drops slow watchers). */
const maxWatchBacklogBytes = 64 * 1024 * 1024;

export class ApiServer {
  readonly store: Store;
  readonly cache: WatchCache;
  readonly registry: Registry;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly watchSessions = new Set<WatchSession>();
  private readonly podLogs: PodLogContext;
  private httpServer?: Server;
  private bookmarkTimer?: NodeJS.Timeout;
  private compactionTimer?: NodeJS.Timeout;
  private readonly eventExpiry?: EventExpiry;
  private readonly bookmarkIntervalMs: number;
  private readonly compactionIntervalMs: number;
  private address = '127.0.0.1:6443';

  constructor(options: ApiServerOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m) => console.error(m));
    this.cache = new WatchCache(this.store);
    this.registry = new Registry({ store: this.store, cache: this.cache, now: this.now });
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 5_000;
    this.compactionIntervalMs = options.compactionIntervalMs ?? 5 * 60_000;
    const eventTtlMs = options.eventTtlMs ?? defaultEventTtlMs;
    if (eventTtlMs > 0) {
      this.eventExpiry = new EventExpiry({ store: this.store, cache: this.cache, events: findResource('', 'v1', 'events')!, ttlMs: eventTtlMs, now: this.now, log: this.log });
    }
    this.podLogs = this.podLogContext(options.podLogs);
  }

  /** Loads the cache and makes sure the built-in namespaces and priority classes exist. */
  async start(): Promise<void> {
    await this.cache.start();
    await this.bootstrap();
    this.eventExpiry?.start();
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), this.bookmarkIntervalMs);
    this.bookmarkTimer.unref();
    if (this.compactionIntervalMs > 0) {
      let previous = this.store.currentRevision();
      this.compactionTimer = setInterval(() => {
        const target = previous;
        previous = this.store.currentRevision();
        if (target > this.store.compactedRevision()) {
          this.store.compact(target).catch((error) => this.log(`compaction to ${target} failed: ${(error as Error).message}`));
        }
      }, this.compactionIntervalMs);
      this.compactionTimer.unref();
    }
  }

  async listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
      this.handle(req, res).catch((error) => sendError(res, error, this.log));
    });
    this.httpServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.address = `${host}:${address.port}`;
    return address;
  }

  /** Stops serving: ends watches, closes connections and the cache. Does not close the store. */
  async close(): Promise<void> {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    this.eventExpiry?.stop();
    for (const session of this.watchSessions) session.res.end();
    this.watchSessions.clear();
    for (const finish of [...this.podLogs.streams]) finish();
    const server = this.httpServer;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.cache.stop();
  }

  private async bootstrap(): Promise<void> {
    const namespaces = findResource('', 'v1', 'namespaces')!;
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      if (!this.cache.get(namespaces, storageKey(namespaces, undefined, name))) {
        await this.registry.create({ resource: namespaces }, { metadata: { name } });
      }
    }
    const priorityClasses = findResource('scheduling.k8s.io', 'v1', 'priorityclasses')!;
    const builtIn = [
      { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
      { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
    ];
    for (const pc of builtIn) {
      if (!this.cache.get(priorityClasses, storageKey(priorityClasses, undefined, pc.name))) {
        await this.registry.create({ resource: priorityClasses }, { metadata: { name: pc.name }, value: pc.value, description: pc.description });
      }
    }
  }

  private podLogContext(source: PodLogSource | undefined): PodLogContext {
    const pods = findResource('', 'v1', 'pods')!;
    const nodes = findResource('', 'v1', 'nodes')!;
    return {
      source,
      now: this.now,
      pod: (namespace, name) => this.cache.get(pods, storageKey(pods, namespace, name))?.object as Pod | undefined,
      node: (name) => this.cache.get(nodes, storageKey(nodes, undefined, name))?.object as Node | undefined,
      watchPod: (namespace, name, onChange) =>
        this.cache.watch({ resource: pods, namespace, filter: (cached) => cached.key === storageKey(pods, namespace, name), fromRevision: this.cache.revision(), onEvent: onChange }),
      streams: new Set(),
      log: this.log,
    };
  }

  // ----------------------------------------------------------------------------------------------
  // Routing

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    switch (path) {
      case '/healthz':
      case '/livez':
      case '/readyz':
        return sendText(res, 200, 'ok');
      case '/version':
        return sendJson(res, 200, serverVersion);
      case '/api':
        return this.sendDiscovery(req, res, true);
      case '/apis':
        return this.sendDiscovery(req, res, false);
      case '/openapi/v3':
        return sendJson(res, 200, openapiV3Root());
      case '/openapi/v2':
        return sendOpenapiV2Stub(req, res);
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiV3Document(path.slice('/openapi/v3/'.length));
      if (!doc) throw pathNotFound();
      return sendJson(res, 200, doc);
    }
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] === 'api' || segments[0] === 'apis') {
      const group = segments[0] === 'api' ? '' : segments[1];
      const version = segments[0] === 'api' ? segments[1] : segments[2];
      const rest = segments.slice(segments[0] === 'api' ? 2 : 3);
      if (segments[0] === 'apis' && segments.length === 2) return this.sendOrNotFound(res, legacyGroup(group));
      if (rest.length === 0) return this.sendOrNotFound(res, legacyResourceList(group, version ?? ''));
      const info = parseResourcePath(group, version, rest);
      if (!info) throw pathNotFound();
      return this.handleResource(req, res, method, url, info);
    }
    throw pathNotFound();
  }

  private sendDiscovery(req: IncomingMessage, res: ServerResponse, core: boolean): void {
    if (wantsAggregatedDiscovery(req.headers.accept)) {
      return sendJson(res, 200, aggregatedDiscovery(core), {}, aggregatedDiscoveryContentType);
    }
    return sendJson(res, 200, core ? legacyApiVersions(this.address) : legacyGroupList());
  }

  private sendOrNotFound(res: ServerResponse, doc: unknown): void {
    if (!doc) throw pathNotFound();
    sendJson(res, 200, doc);
  }

  private async handleResource(req: IncomingMessage, res: ServerResponse, method: string, url: URL, info: RequestInfo): Promise<void> {
    const scope: Scope = { resource: info.resource, namespace: info.namespace, subresource: info.subresource };
    const query = url.searchParams;
    if (info.subresource) return this.handleSubresource(req, res, method, url, info, scope);
    if (info.name === undefined) {
      // Across all namespaces, upstream installs only list and watch for a namespaced resource.
      const acrossNamespaces = info.resource.namespaced && !info.namespace;
      if (acrossNamespaces && method !== 'GET') throw methodNotAllowed();
      switch (method) {
        case 'GET':
          if (queryFlag(query.get('watch'))) return this.serveWatch(req, res, scope, query);
          return this.serveList(req, res, scope, query);
        case 'POST': {
          const body = decodeBody(await readBody(req), req.headers['content-type']);
          const result = await this.registry.create(scope, body, writeOptions(query, 'CreateOptions'));
          return sendJsonText(res, result.code, result.json, warningHeaders(result.warnings));
        }
        case 'DELETE': {
          const options = await deleteOptions(req, query);
          const deleted = await this.registry.deleteCollection(scope, { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined }, options);
          return sendJson(res, 200, { kind: `${info.resource.kind}List`, apiVersion: groupVersionOf(info.resource), metadata: { resourceVersion: String(this.cache.revision()) }, items: deleted });
        }
        default:
          throw methodNotAllowed();
      }
    }
    if (info.resource.namespaced && !info.namespace) throw pathNotFound();
    switch (method) {
      case 'GET': {
        if (queryFlag(query.get('watch'))) {
          return this.serveWatch(req, res, scope, query, info.name);
        }
        const cached = this.registry.get(scope, info.name);
        if (wantsTable(req)) return sendJson(res, 200, this.table(info.resource, [cached], query));
        return sendJsonText(res, 200, cached.json);
      }
      case 'PUT': {
        const body = decodeBody(await readBody(req), req.headers['content-type']);
        const result = await this.registry.update(scope, info.name, body, writeOptions(query, 'UpdateOptions'));
        return sendJsonText(res, result.code, result.json, warningHeaders(result.warnings));
      }
      case 'PATCH': {
        const result = await this.patch(req, scope, info.name, query);
        return sendJsonText(res, result.code, result.json, warningHeaders(result.warnings));
      }
      case 'DELETE': {
        const options = await deleteOptions(req, query);
        const result = await this.registry.delete(scope, info.name, options);
        return sendJsonText(res, result.code, result.json);
      }
      default:
        throw methodNotAllowed();
    }
  }

  private async handleSubresource(req: IncomingMessage, res: ServerResponse, method: string, url: URL, info: RequestInfo, scope: Scope): Promise<void> {
    const query = url.searchParams;
    const name = info.name!;
    const sub = info.resource.subresources.find((s) => s.name === info.subresource);
    if (!sub) throw pathNotFound();
    if (info.resource.namespaced && !info.namespace) throw pathNotFound();
    switch (info.subresource) {
      case 'status':
        if (method === 'GET') return sendJsonText(res, 200, this.registry.get(scope, name).json);
        if (method === 'PUT') {
          const body = decodeBody(await readBody(req), req.headers['content-type']);
          const result = await this.registry.update(scope, name, body, writeOptions(query, 'UpdateOptions'));
          return sendJsonText(res, result.code, result.json, warningHeaders(result.warnings));
        }
        if (method === 'PATCH') {
          const result = await this.patch(req, scope, name, query);
          return sendJsonText(res, result.code, result.json, warningHeaders(result.warnings));
        }
        throw methodNotAllowed();
      case 'binding': {
        if (method !== 'POST') throw methodNotAllowed();
        const body = decodeBody(await readBody(req), req.headers['content-type']) as { target?: { name?: string } } | undefined;
        const nodeName = body?.target?.name;
        if (!nodeName) throw badRequest('Binding target name is required');
        await this.registry.bind(scope, name, nodeName);
        return sendJson(res, 201, successStatus(201));
      }
      case 'eviction': {
        if (method !== 'POST') throw methodNotAllowed();
        const body = decodeBody(await readBody(req), req.headers['content-type']);
        const { dryRun, fieldValidation } = writeOptions(query, 'CreateOptions');
        const result = await evictPod(this.registry, { namespace: info.namespace!, name, body, dryRun, fieldValidation }, this.now);
        // Success is 201; a pod under several budgets gets the Failure status with its own code (500).
        return sendJson(res, result.status.status === 'Success' ? 201 : result.status.code, result.status, warningHeaders(result.warnings));
      }
      case 'log':
        if (method !== 'GET') throw methodNotAllowed();
        return servePodLog(this.podLogs, req, res, info.namespace!, name, query);
      case 'exec':
      case 'attach':
      case 'portforward':
        if (method !== 'GET' && method !== 'POST') throw methodNotAllowed();
        throw noStreamingOnSimulatedNodes(this.registry.get(scope, name).object, info.subresource);
      case 'finalize': {
        if (method !== 'PUT') throw methodNotAllowed();
        const body = decodeBody(await readBody(req), req.headers['content-type']);
        const result = await this.registry.update(scope, name, body, writeOptions(query, 'UpdateOptions'));
        return sendJsonText(res, result.code, result.json);
      }
      default:
        throw pathNotFound();
    }
  }

  private async patch(req: IncomingMessage, scope: Scope, name: string, query: URLSearchParams) {
    const type = patchTypes[mediaType(req.headers['content-type'])];
    if (!type) {
      throw new StatusError({
        code: 415,
        reason: 'UnsupportedMediaType',
        message: `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchTypes).join(', ')}`,
      });
    }
    const body = decodeBody(await readBody(req), req.headers['content-type'], new Set([mediaType(req.headers['content-type'])]));
    if (body === undefined) throw badRequest('the patch body must not be empty');
    const options = writeOptions(query, 'PatchOptions');
    const force = query.get('force');
    // Upstream's ValidatePatchOptions: apply needs a field manager, and only apply may force.
    if (type === 'apply' && !options.fieldManager) throw optionsInvalid('PatchOptions', [fieldErrors.required('fieldManager', 'is required for apply patch')]);
    if (type !== 'apply' && force !== null) throw optionsInvalid('PatchOptions', [fieldErrors.forbidden('force', 'may not be specified for non-apply patch')]);
    return this.registry.patch(scope, name, type, body, { ...options, force: queryFlag(force) });
  }

  // ----------------------------------------------------------------------------------------------
  // Lists, tables and watches

  private serveList(req: IncomingMessage, res: ServerResponse, scope: Scope, query: URLSearchParams): void | Promise<void> {
    validateListOptions(query);
    const result = this.registry.list(scope, {
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
      limit: queryInt('limit', query.get('limit')),
      continue: query.get('continue') ?? undefined,
    });
    if (wantsTable(req)) {
      const table = this.table(scope.resource, result.items, query, result.resourceVersion);
      if (result.continue) table.metadata.continue = result.continue;
      return sendJson(res, 200, table);
    }
    const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
    if (result.continue) {
      metadata.continue = result.continue;
      metadata.remainingItemCount = result.remainingItemCount;
    }
    // Serialize once: the list is assembled from the cached JSON of each item.
    const head = `{"kind":"${scope.resource.kind}List","apiVersion":"${groupVersionOf(scope.resource)}","metadata":${JSON.stringify(metadata)},"items":[`;
    return sendJsonList(res, head, result.items.map((item) => item.json), ']}');
  }

  private table(resource: ResourceInfo, items: CachedObject[], query: URLSearchParams, resourceVersion = String(this.cache.revision())): Table {
    const includeObject = (query.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? 'Metadata';
    return toTable(printerFor(resource.resource), items.map((i) => i.object), { now: this.now(), resourceVersion, includeObject });
  }

  private serveWatch(req: IncomingMessage, res: ServerResponse, scope: Scope, query: URLSearchParams, name?: string): void {
    const rvText = query.get('resourceVersion');
    const fromRevision = rvText ? Number(rvText) : 0;
    if (!Number.isInteger(fromRevision) || fromRevision < 0) throw badRequest(`invalid resource version: ${rvText}`);
    let fieldSelector = query.get('fieldSelector') ?? undefined;
    if (name !== undefined) fieldSelector = [fieldSelector, `metadata.name=${name}`].filter(Boolean).join(',');
    const options = { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector };
    // Selector errors must surface as a plain 400 before the stream starts.
    this.registry.filterFor(scope.resource, options);
    const asTable = wantsTable(req);
    const includeObject = (query.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? 'Metadata';
    const printer = asTable ? printerFor(scope.resource.resource) : undefined;

    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    // kubectl wait / rollout status stall until the first byte unless the headers go out now.
    res.flushHeaders();

    const session: WatchSession = { res, resource: scope.resource, bookmarks: queryFlag(query.get('allowWatchBookmarks')) };
    const send = (type: CacheEventType, cached: CachedObject) => {
      if (res.writableLength > maxWatchBacklogBytes) {
        finish();
        return;
      }
      if (printer) {
        const table = toTable(printer, [cached.object], { now: this.now(), resourceVersion: String(cached.revision), includeObject });
        res.write(`{"type":"${type}","object":${JSON.stringify(table)}}\n`);
      } else {
        res.write(`{"type":"${type}","object":${cached.json}}\n`);
      }
    };
    let stop: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      stop?.();
      stop = undefined;
      if (timer) clearTimeout(timer);
      this.watchSessions.delete(session);
      if (!res.writableEnded) res.end();
    };
    try {
      stop = this.registry.watch(scope, { ...options, fromRevision }, send);
    } catch (error) {
      if (error instanceof StatusError) {
        res.end(`{"type":"ERROR","object":${JSON.stringify(error.status)}}\n`);
        return;
      }
      throw error;
    }
    this.watchSessions.add(session);
    const timeoutSeconds = queryInt('timeoutSeconds', query.get('timeoutSeconds'));
    // Without a timeout, keep the stream open as long as upstream's default (30 to 60 minutes).
    const timeoutMs = timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
    timer = setTimeout(finish, timeoutMs);
    req.on('close', finish);
    res.on('close', finish);
  }

  private sendBookmarks(): void {
    const rv = String(this.cache.revision());
    for (const session of this.watchSessions) {
      if (!session.bookmarks) continue;
      const { kind } = session.resource;
      session.res.write(`{"type":"BOOKMARK","object":{"kind":"${kind}","apiVersion":"${groupVersionOf(session.resource)}","metadata":{"resourceVersion":"${rv}"}}}\n`);
    }
  }
}

/**
 * Parses what follows `/api/v1` or `/apis/<group>/<version>`:
 * `<resource>[/<name>[/<sub>]]` or `namespaces/<ns>/<resource>[/<name>[/<sub>]]`.
 */
export function parseResourcePath(group: string, version: string | undefined, rest: string[]): RequestInfo | undefined {
  if (!version) return undefined;
  let namespace: string | undefined;
  let parts = rest;
  // `namespaces/<ns>/<resource>...` selects a namespace, except `namespaces/<name>/status|finalize`.
  if (group === '' && rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1];
    parts = rest.slice(2);
  } else if (group !== '' && rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    parts = rest.slice(2);
  }
  if (parts.length === 0 || parts.length > 3) return undefined;
  const resource = findResource(group, version, parts[0]);
  if (!resource) return undefined;
  if (namespace !== undefined && !resource.namespaced) return undefined;
  return { group, version, resource, namespace, name: parts[1], subresource: parts[2] };
}

function pathNotFound(): StatusError {
  return new StatusError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
}

function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('as=Table');
}

type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** Options that fail upstream's Validate*Options: 422, as `CreateOptions.meta.k8s.io "" is invalid: …`. */
function optionsInvalid(kind: OptionsKind, errors: FieldError[]): StatusError {
  return invalid(kind, 'meta.k8s.io', '', errors);
}

/** `dryRun` may only be `All` (upstream's ValidateDryRun, which prints the values as a Go []string). */
function dryRunErrors(values: string[]): FieldError[] {
  if (values.every((value) => value === 'All')) return [];
  return [renderedFieldError('FieldValueNotSupported', 'dryRun', goStringSlice(values), 'supported values: "All"', values)];
}

/**
 * Upstream's ValidateListOptions for `resourceVersionMatch`: a known value, and only with a
 * resourceVersion. (The version is then served as the current state, as for `NotOlderThan`.)
 */
function validateListOptions(query: URLSearchParams): void {
  const match = query.get('resourceVersionMatch');
  if (match === null || match === '') return;
  const errors: FieldError[] = [];
  if (!query.get('resourceVersion')) errors.push(fieldErrors.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
  else if (match !== 'Exact' && match !== 'NotOlderThan') errors.push(fieldErrors.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
  if (errors.length) throw invalid('ListOptions', 'meta.k8s.io', '', errors);
}

/** Longest field manager name upstream accepts. */
const fieldManagerMaxLength = 128;

/** The options of a create, update or patch, from the query, checked as upstream checks them. */
function writeOptions(query: URLSearchParams, kind: Exclude<OptionsKind, 'DeleteOptions'>) {
  const validation = query.get('fieldValidation') ?? '';
  const dryRun = query.getAll('dryRun');
  const fieldManager = query.get('fieldManager') ?? '';
  const errors = [...dryRunErrors(dryRun)];
  if (fieldManager.length > fieldManagerMaxLength) errors.push(fieldErrors.tooLong('fieldManager', fieldManagerMaxLength));
  if (!['', 'Ignore', 'Strict', 'Warn'].includes(validation)) errors.push(fieldErrors.notSupported('fieldValidation', validation, ['', 'Ignore', 'Strict', 'Warn']));
  if (errors.length) throw optionsInvalid(kind, errors);
  return {
    dryRun: dryRun.includes('All'),
    fieldManager: fieldManager || undefined,
    fieldValidation: (validation as FieldValidation | '') || undefined,
  };
}

/** DeleteOptions from the body (JSON, or protobuf from drain's fallback) and the query. */
async function deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  let options: DeleteOptions = {};
  if (raw.length > 0) {
    const decoded = decodeBody(raw, req.headers['content-type']);
    if (decoded !== undefined) {
      if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw badRequest('DeleteOptions must be an object');
      options = decoded as DeleteOptions;
    }
  }
  const grace = queryInt('gracePeriodSeconds', query.get('gracePeriodSeconds'));
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = query.get('propagationPolicy');
  if (policy) options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  const dryRun = query.getAll('dryRun');
  if (dryRun.length) options.dryRun = dryRun;
  // Upstream's ValidateDeleteOptions.
  const errors = dryRunErrors(Array.isArray(options.dryRun) ? options.dryRun : []);
  if (options.propagationPolicy != null && !['Foreground', 'Background', 'Orphan'].includes(options.propagationPolicy)) {
    errors.push(fieldErrors.notSupported('propagationPolicy', options.propagationPolicy, ['Foreground', 'Background', 'Orphan', 'nil']));
  }
  if (options.orphanDependents != null && options.propagationPolicy != null) {
    errors.push(fieldErrors.invalid('propagationPolicy', options.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (errors.length) throw optionsInvalid('DeleteOptions', errors);
  return options;
}

function successStatus(code: number): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

/**
 * `/openapi/v2`, which kubectl asks for in protobuf only when OpenAPI v3 cannot help it: client-side
 * validation of a `kind: List` manifest, and the patch metadata of client-side apply. Everything lives in
 * the v3 documents, so this is an empty Swagger 2.0 document (`swagger: "2.0"`, protobuf field 1): kubectl
 * then finds no schema for a kind and skips its client-side check (the server still validates every item)
 * or uses its compiled-in patch metadata, exactly as it does for kinds a cluster does not describe.
 */
function sendOpenapiV2Stub(req: IncomingMessage, res: ServerResponse): void {
  const protobuf = (req.headers.accept ?? '').includes('application/com.github.proto-openapi.spec.v2');
  if (!protobuf) return sendJson(res, 200, { swagger: '2.0', info: { title: 'Kubernetes', version: serverVersion.gitVersion }, paths: {}, definitions: {} });
  const body = Buffer.from([0x0a, 0x03, ...Buffer.from('2.0')]);
  // kube-openapi labels its protobuf answer as plain bytes; kubectl refuses the '@' of the requested type.
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
  res.end(body);
}

/**
 * Simulated nodes run no containers, so there is nothing to exec into, attach to or forward to. A 400
 * that says so and what works instead (docs/differences.md, "Exec, attach and port-forward"), rather than
 * a 404 that reads as if the pod or the API were missing.
 */
function noStreamingOnSimulatedNodes(pod: KubeObject, subresource: string): StatusError {
  const what = subresource === 'portforward' ? 'port-forward' : subresource;
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  const where = node ? `node ${node} is simulated and runs no containers` : 'the pod is not on a node yet';
  return badRequest(`${what} is not available: ${where}; kubectl logs shows what its containers print`);
}
