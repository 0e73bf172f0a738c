/**
 * OpenAPI v3, built from the schema: the `/openapi/v3` root and one document per group-version.
 *
 * kubectl reads these for apply, create, edit (it looks for a PATCH operation carrying the object's
 * GVK and a `fieldValidation` query parameter of its own, then sends `fieldValidation=Strict`) and
 * for explain (it walks `components.schemas` from the schema whose array-form
 * `x-kubernetes-group-version-kind` matches). Shapes follow upstream's published documents.
 */
import { ConfigMap, Event, Namespace, Node, Secret, ServiceAccount } from './core.js';
import { ControllerRevision, DaemonSet } from './apps.js';
import { Lease } from './coordination.js';
import { PriorityClass } from './scheduling.js';
import { Eviction, PodDisruptionBudget } from './policy.js';
import { Binding, Pod } from './pod.js';
import { DeleteOptions, Status } from './meta.js';
import { forEachNamedType, listKinds } from './kinds.js';
import type { Field, GroupVersionKind, NamedScalarNode, ObjectNode, SchemaNode } from './dsl.js';

/** A resource as served: its plural name, kind, scope and the subresources everynode implements. */
export interface ServedResource {
  readonly resource: string;
  readonly kind: ObjectNode;
  readonly namespaced: boolean;
  readonly status?: boolean;
}

/** One group-version and the resources it serves. */
export interface ServedGroupVersion {
  /** The key in the `/openapi/v3` root: `api/v1`, `apis/apps/v1`. */
  readonly path: string;
  readonly group: string;
  readonly version: string;
  readonly resources: readonly ServedResource[];
}

/** Every group-version everynode serves, with its resources. */
export const servedGroupVersions: readonly ServedGroupVersion[] = [
  {
    path: 'api/v1',
    group: '',
    version: 'v1',
    resources: [
      { resource: 'configmaps', kind: ConfigMap, namespaced: true },
      { resource: 'events', kind: Event, namespaced: true },
      { resource: 'namespaces', kind: Namespace, namespaced: false, status: true },
      { resource: 'nodes', kind: Node, namespaced: false, status: true },
      { resource: 'pods', kind: Pod, namespaced: true, status: true },
      { resource: 'secrets', kind: Secret, namespaced: true },
      { resource: 'serviceaccounts', kind: ServiceAccount, namespaced: true },
    ],
  },
  {
    path: 'apis/apps/v1',
    group: 'apps',
    version: 'v1',
    resources: [
      { resource: 'controllerrevisions', kind: ControllerRevision, namespaced: true },
      { resource: 'daemonsets', kind: DaemonSet, namespaced: true, status: true },
    ],
  },
  { path: 'apis/coordination.k8s.io/v1', group: 'coordination.k8s.io', version: 'v1', resources: [{ resource: 'leases', kind: Lease, namespaced: true }] },
  {
    path: 'apis/scheduling.k8s.io/v1',
    group: 'scheduling.k8s.io',
    version: 'v1',
    resources: [{ resource: 'priorityclasses', kind: PriorityClass, namespaced: false }],
  },
  {
    path: 'apis/policy/v1',
    group: 'policy',
    version: 'v1',
    resources: [{ resource: 'poddisruptionbudgets', kind: PodDisruptionBudget, namespaced: true, status: true }],
  },
];

type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
type JSONObject = { [key: string]: JSONValue };

const schemaRef = (name: string): JSONObject => ({ $ref: `#/components/schemas/${name}` });
const patchSchemaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

// ---------------------------------------------------------------------------------------------
// components.schemas

/** Default value upstream publishes for a non-pointer value of this node. */
function zeroValue(node: SchemaNode): JSONValue | undefined {
  switch (node.kind) {
    case 'object':
      return {};
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

/** The schema of a value without a description of its own: a list item or a map value. */
function valueSchema(node: SchemaNode): JSONObject {
  switch (node.kind) {
    case 'object':
      return { allOf: [schemaRef(node.name)], default: {} };
    case 'named':
      return schemaRef(node.name);
    case 'array':
      return { items: valueSchema(node.items), type: 'array' };
    case 'map':
      return { additionalProperties: valueSchema(node.values), type: 'object' };
    default: {
      const out: JSONObject = { default: zeroValue(node)!, type: node.kind };
      if (node.format) out.format = node.format;
      if (node.enum) out.enum = [...node.enum];
      return out;
    }
  }
}

/** A property: its type (a `$ref` through `allOf` for named types), description and list markers. */
function propertySchema(f: Field): JSONObject {
  const node = f.schema;
  let out: JSONObject;
  if (node.kind === 'object' || node.kind === 'named') out = { allOf: [schemaRef(node.name)], description: f.description };
  else {
    const { default: _zero, ...shape } = valueSchema(node);
    out = { ...shape, description: f.description };
  }
  if (f.listMapKeys) out['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
  if (f.listType) out['x-kubernetes-list-type'] = f.listType;
  if (f.patchMergeKey) out['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
  if (f.patchStrategy) out['x-kubernetes-patch-strategy'] = f.patchStrategy;
  return sortKeys(out);
}

/** Upstream's documents list keys alphabetically. */
function sortKeys(o: JSONObject): JSONObject {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

const gvkList = (gvks: readonly GroupVersionKind[]): JSONValue => gvks.map(({ group, kind, version }) => ({ group, kind, version }));

/** The component schema of a named type. */
function componentSchema(node: ObjectNode | NamedScalarNode): JSONObject {
  if (node.kind === 'named') return { description: node.description, ...(node.openapi as JSONObject) };
  const out: JSONObject = { description: node.description };
  if (!node.open) {
    out.properties = Object.fromEntries(
      Object.keys(node.fields)
        .sort()
        .map((name) => [name, propertySchema(node.fields[name]!)]),
    );
    if (node.required.length) out.required = [...node.required];
  }
  out.type = 'object';
  if (node.gvk) out['x-kubernetes-group-version-kind'] = gvkList(node.gvk);
  if (node.atomic) out['x-kubernetes-map-type'] = 'atomic';
  return out;
}

function componentSchemas(roots: readonly SchemaNode[]): JSONObject {
  const schemas: JSONObject = {
    [patchSchemaName]: { description: 'The body of a PATCH request; its format depends on the Content-Type.', type: 'object' },
  };
  forEachNamedType(roots, (node) => {
    schemas[node.name] = componentSchema(node);
  });
  return sortKeys(schemas);
}

// ---------------------------------------------------------------------------------------------
// Parameters.

const queryParam = (name: string, type: 'string' | 'integer' | 'boolean', description: string): JSONObject => ({
  description,
  in: 'query',
  name,
  schema: { type, uniqueItems: true },
});

const pathParam = (name: string, description: string): JSONObject => ({
  description,
  in: 'path',
  name,
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

const params = {
  pretty: queryParam('pretty', 'string', 'If "true", the response is indented.'),
  dryRun: queryParam('dryRun', 'string', 'When "All", the request is fully processed but nothing is persisted.'),
  fieldManager: queryParam('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: queryParam(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the body: Ignore (drop them), Warn (drop them and warn) or Strict (fail).',
  ),
  force: queryParam('force', 'boolean', 'For apply patches: take over fields owned by other managers instead of failing with a conflict.'),
  allowWatchBookmarks: queryParam('allowWatchBookmarks', 'boolean', 'For watches: ask for BOOKMARK events.'),
  continue: queryParam('continue', 'string', 'Token from a previous page, to fetch the next one.'),
  fieldSelector: queryParam('fieldSelector', 'string', 'Restricts the result by field values, such as metadata.name=x.'),
  labelSelector: queryParam('labelSelector', 'string', 'Restricts the result by labels.'),
  limit: queryParam('limit', 'integer', 'Most items to return; a continue token is given when more remain.'),
  resourceVersion: queryParam('resourceVersion', 'string', 'Which version of the data may be served, or where a watch starts.'),
  resourceVersionMatch: queryParam('resourceVersionMatch', 'string', 'How resourceVersion is applied to a list: Exact or NotOlderThan.'),
  sendInitialEvents: queryParam('sendInitialEvents', 'boolean', 'For watches: start with the current objects as ADDED events.'),
  timeoutSeconds: queryParam('timeoutSeconds', 'integer', 'Ends a list or watch after this many seconds.'),
  watch: queryParam('watch', 'boolean', 'Stream changes instead of returning a list.'),
  gracePeriodSeconds: queryParam('gracePeriodSeconds', 'integer', 'Seconds before the object is removed; 0 means immediately.'),
  ignoreStore: queryParam(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Deletes an object that cannot be read from storage. Dangerous.',
  ),
  orphanDependents: queryParam('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  propagationPolicy: queryParam('propagationPolicy', 'string', 'What happens to dependents: Orphan, Background or Foreground.'),
};

const listParams = [
  params.allowWatchBookmarks,
  params.continue,
  params.fieldSelector,
  params.labelSelector,
  params.limit,
  params.resourceVersion,
  params.resourceVersionMatch,
  params.sendInitialEvents,
  params.timeoutSeconds,
  params.watch,
];
const writeParams = [params.dryRun, params.fieldManager, params.fieldValidation];
const deleteParams = [params.dryRun, params.gracePeriodSeconds, params.ignoreStore, params.orphanDependents, params.propagationPolicy];
/** kubectl checks for fieldValidation among exactly these: the PATCH operation's own parameters. */
const patchParams = [...writeParams, params.force];

const logParams = [
  queryParam('container', 'string', 'Container to read; may be omitted when the pod has one container.'),
  queryParam('follow', 'boolean', 'Keep the stream open and send new lines as they are written.'),
  queryParam('insecureSkipTLSVerifyBackend', 'boolean', 'Skip verifying the kubelet\'s serving certificate.'),
  queryParam('limitBytes', 'integer', 'Stop after this many bytes.'),
  queryParam('previous', 'boolean', 'Read the log of the previous, terminated run of the container.'),
  queryParam('sinceSeconds', 'integer', 'Only lines newer than this many seconds.'),
  queryParam('stream', 'string', 'Which stream to read: All, Stdout or Stderr.'),
  queryParam('tailLines', 'integer', 'Only this many lines from the end.'),
  queryParam('timestamps', 'boolean', 'Prefix each line with its RFC 3339 timestamp.'),
];

// ---------------------------------------------------------------------------------------------
// Operations and paths.

const jsonContent = (schema: JSONObject): JSONObject => ({ 'application/json': { schema } });

function responses(codes: readonly string[], schema: JSONObject): JSONObject {
  const text: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  const out: JSONObject = {};
  for (const code of codes) out[code] = { content: jsonContent(schema), description: text[code]! };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

const patchBody: JSONObject = {
  content: Object.fromEntries(
    ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((type) => [
      type,
      { schema: schemaRef(patchSchemaName) },
    ]),
  ),
  required: true,
};

const objectBody = (name: string): JSONObject => ({ content: { '*/*': { schema: schemaRef(name) } }, required: true });

/** Upstream's operationId parts: `Core`, `Apps`, `Coordination`, `Scheduling`, `Policy`. */
function groupWord(group: string): string {
  const word = group === '' ? 'core' : group.split('.')[0]!;
  return word[0]!.toUpperCase() + word.slice(1);
}

interface OperationSpec {
  action: string;
  operationId: string;
  description: string;
  gvk: GroupVersionKind;
  tag: string;
  parameters?: JSONObject[];
  requestBody?: JSONObject;
  responses: JSONObject;
}

function operation(spec: OperationSpec): JSONObject {
  const { group, kind, version } = spec.gvk;
  const out: JSONObject = { description: spec.description, operationId: spec.operationId };
  if (spec.parameters?.length) out.parameters = spec.parameters;
  if (spec.requestBody) out.requestBody = spec.requestBody;
  out.responses = spec.responses;
  out.tags = [spec.tag];
  out['x-kubernetes-action'] = spec.action;
  out['x-kubernetes-group-version-kind'] = { group, kind, version };
  return out;
}

/** The path items of one resource: collection, all-namespaces list, object, and status. */
function resourcePaths(gv: ServedGroupVersion, r: ServedResource): Record<string, JSONObject> {
  const gvk = r.kind.gvk![0]!;
  const { kind } = gvk;
  const root = `/${gv.path}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const gvWords = `${groupWord(gv.group)}${gv.version[0]!.toUpperCase()}${gv.version.slice(1)}`;
  const id = (verb: string, suffix = '', collection = false) => `${verb}${gvWords}${collection ? 'Collection' : ''}${scope}${kind}${suffix}`;
  const tag = `${gv.group === '' ? 'core' : gv.group.split('.')[0]}_${gv.version}`;
  const op = (o: Omit<OperationSpec, 'gvk' | 'tag'>) => operation({ ...o, gvk, tag });
  const list = listKinds.get(r.kind.name)!;
  const base = r.namespaced ? `${root}/namespaces/{namespace}/${r.resource}` : `${root}/${r.resource}`;
  const scopeParams = r.namespaced ? [pathParam('namespace', 'Namespace of the objects.')] : [];
  const nameParam = pathParam('name', `Name of the ${kind}.`);
  const paths: Record<string, JSONObject> = {};

  paths[base] = {
    delete: op({
      action: 'deletecollection',
      operationId: id('delete', '', true),
      description: `Delete every ${kind} matching the selectors.`,
      parameters: [...listParams.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'), ...deleteParams],
      requestBody: objectBody(DeleteOptions.name),
      responses: responses(['200'], schemaRef(Status.name)),
    }),
    get: op({ action: 'list', operationId: id('list'), description: `List or watch ${kind} objects.`, parameters: listParams, responses: responses(['200'], schemaRef(list.name)) }),
    parameters: [...scopeParams, params.pretty],
    post: op({
      action: 'post',
      operationId: id('create'),
      description: `Create a ${kind}.`,
      parameters: writeParams,
      requestBody: objectBody(r.kind.name),
      responses: responses(['200', '201', '202'], schemaRef(r.kind.name)),
    }),
  };
  if (r.namespaced) {
    paths[`${root}/${r.resource}`] = {
      get: op({
        action: 'list',
        operationId: `list${gvWords}${kind}ForAllNamespaces`,
        description: `List or watch ${kind} objects in every namespace.`,
        parameters: listParams,
        responses: responses(['200'], schemaRef(list.name)),
      }),
      parameters: [params.pretty],
    };
  }
  paths[`${base}/{name}`] = {
    delete: op({
      action: 'delete',
      operationId: id('delete'),
      description: `Delete a ${kind}.`,
      parameters: deleteParams,
      requestBody: objectBody(DeleteOptions.name),
      responses: responses(['200', '202'], schemaRef(Status.name)),
    }),
    get: op({ action: 'get', operationId: id('read'), description: `Read a ${kind}.`, responses: responses(['200'], schemaRef(r.kind.name)) }),
    parameters: [nameParam, ...scopeParams, params.pretty],
    patch: op({
      action: 'patch',
      operationId: id('patch'),
      description: `Partially update a ${kind}.`,
      parameters: patchParams,
      requestBody: patchBody,
      responses: responses(['200', '201'], schemaRef(r.kind.name)),
    }),
    put: op({
      action: 'put',
      operationId: id('replace'),
      description: `Replace a ${kind}.`,
      parameters: writeParams,
      requestBody: objectBody(r.kind.name),
      responses: responses(['200', '201'], schemaRef(r.kind.name)),
    }),
  };
  if (r.status) {
    paths[`${base}/{name}/status`] = {
      get: op({ action: 'get', operationId: id('read', 'Status'), description: `Read the status of a ${kind}.`, responses: responses(['200'], schemaRef(r.kind.name)) }),
      parameters: [nameParam, ...scopeParams, params.pretty],
      // Every PATCH carrying the GVK needs fieldValidation: kubectl stops at the first one it finds.
      patch: op({
        action: 'patch',
        operationId: id('patch', 'Status'),
        description: `Partially update the status of a ${kind}.`,
        parameters: patchParams,
        requestBody: patchBody,
        responses: responses(['200', '201'], schemaRef(r.kind.name)),
      }),
      put: op({
        action: 'put',
        operationId: id('replace', 'Status'),
        description: `Replace the status of a ${kind}.`,
        parameters: writeParams,
        requestBody: objectBody(r.kind.name),
        responses: responses(['200', '201'], schemaRef(r.kind.name)),
      }),
    };
  }
  return paths;
}

/** The pod subresources with bodies of their own kind: binding, eviction, and log. */
function podSubresourcePaths(): Record<string, JSONObject> {
  const pods = '/api/v1/namespaces/{namespace}/pods/{name}';
  const scope = [pathParam('name', 'Name of the Pod.'), pathParam('namespace', 'Namespace of the Pod.')];
  const post = (kind: ObjectNode, operationId: string, description: string) =>
    operation({
      action: 'post',
      operationId,
      description,
      gvk: kind.gvk![0]!,
      tag: 'core_v1',
      parameters: writeParams,
      requestBody: objectBody(kind.name),
      responses: responses(['200', '201', '202'], schemaRef(kind.name)),
    });
  return {
    '/api/v1/namespaces/{namespace}/bindings': {
      parameters: [scope[1]!, params.pretty],
      post: post(Binding, 'createCoreV1NamespacedBinding', 'Bind a pod to a node.'),
    },
    [`${pods}/binding`]: { parameters: [...scope, params.pretty], post: post(Binding, 'createCoreV1NamespacedPodBinding', 'Bind the pod to a node.') },
    [`${pods}/eviction`]: { parameters: [...scope, params.pretty], post: post(Eviction, 'createCoreV1NamespacedPodEviction', 'Evict the pod, honouring disruption budgets.') },
    [`${pods}/log`]: {
      get: operation({
        action: 'get',
        operationId: 'readCoreV1NamespacedPodLog',
        description: 'Read the log of a container of the pod.',
        gvk: Pod.gvk![0]!,
        tag: 'core_v1',
        parameters: logParams,
        responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } }, description: 'OK' }, '401': { description: 'Unauthorized' } },
      }),
      parameters: [...scope, params.pretty],
    },
  };
}

function buildDocument(gv: ServedGroupVersion): JSONObject {
  const paths: Record<string, JSONObject> = {};
  const roots: SchemaNode[] = [DeleteOptions, Status];
  for (const r of gv.resources) {
    Object.assign(paths, resourcePaths(gv, r));
    roots.push(r.kind, listKinds.get(r.kind.name)!);
  }
  if (gv.path === 'api/v1') {
    Object.assign(paths, podSubresourcePaths());
    roots.push(Binding, Eviction);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: sortKeys(paths),
    components: { schemas: componentSchemas(roots) },
  };
}

// ---------------------------------------------------------------------------------------------
// Memoized documents and the root.

const documents = new Map<string, { doc: JSONObject; hash: string }>();

/** 64-bit FNV-1a of the text, as 16 uppercase hex digits (plain JS: this module runs in browsers too). */
function hashText(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).toUpperCase().padStart(16, '0');
}

function documentEntry(path: string): { doc: JSONObject; hash: string } | undefined {
  const cached = documents.get(path);
  if (cached) return cached;
  const gv = servedGroupVersions.find((g) => g.path === path);
  if (!gv) return undefined;
  const doc = buildDocument(gv);
  const entry = { doc, hash: hashText(JSON.stringify(doc)) };
  documents.set(path, entry);
  return entry;
}

/**
 * The OpenAPI v3 document of a group-version, by its root key (`api/v1`, `apis/apps/v1`, ...), or
 * undefined for one everynode does not serve. Built once; the same object is returned every time,
 * so callers must not modify it.
 */
export function openapiV3Document(path: string): object | undefined {
  return documentEntry(path.replace(/^\/+|\/+$/g, ''))?.doc;
}

/** The `/openapi/v3` root: each group-version's document URL, with a hash that changes with its content. */
export function openapiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { path } of servedGroupVersions) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${documentEntry(path)!.hash}` };
  }
  return { paths };
}
