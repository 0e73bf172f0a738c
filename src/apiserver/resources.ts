/**
 * The resources everynode serves: one descriptor each, from which routing, discovery, storage keys,
 * field selectors and per-resource rules are all derived.
 */
import type { KubeObject } from '../api/types.js';

export interface SubresourceInfo {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural lowercase name, as in URLs. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceInfo[];
  /** Field selector keys this resource supports beyond metadata.name and metadata.namespace. */
  fieldSelectors: Record<string, (obj: KubeObject) => string | undefined>;
  /** Whether spec changes bump metadata.generation (upstream: resources whose strategy tracks generation). */
  tracksGeneration: boolean;
  /** Whether a PUT without resourceVersion is allowed (upstream AllowUnconditionalUpdate). */
  allowUnconditionalUpdate: boolean;
  /** Whether a PUT of an object that does not exist creates it (upstream AllowCreateOnUpdate). */
  allowCreateOnUpdate: boolean;
}

const objectVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const resourceVerbs = objectVerbs;

const statusSubresource = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });

const str = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));
// Upstream field selectors read absent fields as their zero value: "" for strings, "false" for booleans.
const field = (get: (obj: any) => unknown, zero = ''): ((obj: KubeObject) => string) => (obj) => str(get(obj)) ?? zero;

function resource(info: Omit<ResourceInfo, 'subresources' | 'fieldSelectors' | 'tracksGeneration' | 'allowUnconditionalUpdate' | 'allowCreateOnUpdate'> & Partial<ResourceInfo>): ResourceInfo {
  return { subresources: [], fieldSelectors: {}, tracksGeneration: false, allowUnconditionalUpdate: true, allowCreateOnUpdate: false, ...info };
}

export const resources: ResourceInfo[] = [
  resource({
    group: '', version: 'v1', resource: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false,
    shortNames: ['ns'],
    subresources: [statusSubresource('Namespace'), { name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
    fieldSelectors: { 'status.phase': field((o) => o.status?.phase) },
  }),
  resource({
    group: '', version: 'v1', resource: 'nodes', singular: 'node', kind: 'Node', namespaced: false,
    shortNames: ['no'],
    subresources: [statusSubresource('Node')],
    fieldSelectors: { 'spec.unschedulable': field((o) => o.spec?.unschedulable, 'false') },
  }),
  resource({
    group: '', version: 'v1', resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true,
    shortNames: ['po'], categories: ['all'],
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      statusSubresource('Pod'),
    ],
    fieldSelectors: {
      'spec.nodeName': field((o) => o.spec?.nodeName),
      'spec.restartPolicy': field((o) => o.spec?.restartPolicy),
      'spec.schedulerName': field((o) => o.spec?.schedulerName),
      'spec.serviceAccountName': field((o) => o.spec?.serviceAccountName),
      'spec.hostNetwork': field((o) => o.spec?.hostNetwork, 'false'),
      'status.phase': field((o) => o.status?.phase),
      'status.podIP': field((o) => o.status?.podIP),
      'status.nominatedNodeName': field((o) => o.status?.nominatedNodeName),
    },
  }),
  resource({
    group: '', version: 'v1', resource: 'events', singular: 'event', kind: 'Event', namespaced: true,
    shortNames: ['ev'],
    fieldSelectors: {
      'involvedObject.kind': field((o) => o.involvedObject?.kind),
      'involvedObject.namespace': field((o) => o.involvedObject?.namespace),
      'involvedObject.name': field((o) => o.involvedObject?.name),
      'involvedObject.uid': field((o) => o.involvedObject?.uid),
      'involvedObject.apiVersion': field((o) => o.involvedObject?.apiVersion),
      'involvedObject.resourceVersion': field((o) => o.involvedObject?.resourceVersion),
      'involvedObject.fieldPath': field((o) => o.involvedObject?.fieldPath),
      reason: field((o) => o.reason),
      reportingComponent: field((o) => o.reportingComponent),
      source: field((o) => o.source?.component),
      type: field((o) => o.type),
    },
  }),
  resource({ group: '', version: 'v1', resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] }),
  resource({
    group: '', version: 'v1', resource: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true,
    fieldSelectors: { type: field((o) => o.type) },
  }),
  resource({ group: '', version: 'v1', resource: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] }),
  resource({
    group: 'apps', version: 'v1', resource: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true,
    shortNames: ['ds'], categories: ['all'],
    subresources: [statusSubresource('DaemonSet')],
    tracksGeneration: true,
  }),
  resource({ group: 'apps', version: 'v1', resource: 'controllerrevisions', singular: 'controllerrevision', kind: 'ControllerRevision', namespaced: true }),
  // Upstream's lease strategy: a PUT may create, and an update must name the version it replaces.
  resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', singular: 'lease', kind: 'Lease', namespaced: true, allowCreateOnUpdate: true, allowUnconditionalUpdate: false }),
  resource({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', singular: 'priorityclass', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] }),
  resource({
    group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', singular: 'poddisruptionbudget', kind: 'PodDisruptionBudget', namespaced: true,
    shortNames: ['pdb'],
    subresources: [statusSubresource('PodDisruptionBudget')],
    tracksGeneration: true,
  }),
];

export const groupVersionOf = (r: { group: string; version: string }): string => (r.group ? `${r.group}/${r.version}` : r.version);

const byPath = new Map(resources.map((r) => [`${groupVersionOf(r)}/${r.resource}`, r]));
const byKind = new Map(resources.map((r) => [`${groupVersionOf(r)}/${r.kind}`, r]));

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byPath.get(`${groupVersionOf({ group, version })}/${resource}`);
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** The group-versions served, in discovery order. */
export function servedGroupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(groupVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}

/** Storage key: `/registry/<group>/<resource>/<namespace>/<name>`; the core group has no group segment. */
export function storageKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storagePrefix(r, namespace)}${name}`;
}

/** Prefix of every key of a resource (optionally within one namespace); ends with `/`. */
export function storagePrefix(r: ResourceInfo, namespace?: string): string {
  const base = r.group ? `/registry/${r.group}/${r.resource}/` : `/registry/${r.resource}/`;
  return r.namespaced && namespace ? `${base}${namespace}/` : base;
}

/** The resource a storage key belongs to. */
export function resourceOfKey(key: string): ResourceInfo | undefined {
  for (const r of resources) if (key.startsWith(storagePrefix(r))) return r;
  return undefined;
}
