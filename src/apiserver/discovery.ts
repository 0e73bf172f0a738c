/**
 * Discovery documents: the aggregated v2 form (`APIGroupDiscoveryList`, sent only when the client asks
 * for it, with its exact Content-Type) and the legacy forms (`APIVersions`, `APIGroupList`,
 * `APIResourceList`). kubectl needs both: aggregated for most commands, legacy `/api/v1` for drain.
 */
import { groupVersionOf, resources, resourceVerbs, servedGroupVersions, type ResourceInfo } from './resources.js';

export const aggregatedDiscoveryContentType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header lists the aggregated v2 discovery media type. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('g=apidiscovery.k8s.io') && params.includes('v=v2') && params.includes('as=APIGroupDiscoveryList');
  });
}

function aggregatedResource(r: ResourceInfo) {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: resourceVerbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

function aggregatedGroup(group: string) {
  const versions = servedGroupVersions().filter((gv) => gv.group === group);
  return {
    metadata: { name: group, creationTimestamp: null },
    versions: versions.map((gv) => ({
      version: gv.version,
      freshness: 'Current',
      resources: resources.filter((r) => r.group === gv.group && r.version === gv.version).map(aggregatedResource),
    })),
  };
}

/** `/api` (core group only) or `/apis` (every named group) in the aggregated form. */
export function aggregatedDiscovery(core: boolean) {
  const groups = [...new Set(servedGroupVersions().map((gv) => gv.group))].filter((g) => (core ? g === '' : g !== ''));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: groups.map(aggregatedGroup) };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string) {
  const versions = servedGroupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: groupVersionOf(gv), version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function legacyGroupList() {
  const groups = [...new Set(servedGroupVersions().map((gv) => gv.group))].filter((g) => g !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) };
}

/** `/apis/<group>`; undefined for a group that is not served. */
export function legacyGroup(group: string) {
  if (!servedGroupVersions().some((gv) => gv.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

/** `/api/v1` or `/apis/<group>/<version>`; undefined when not served. */
export function legacyResourceList(group: string, version: string) {
  const served = resources.filter((r) => r.group === group && r.version === version);
  if (!served.length) return undefined;
  const list: Record<string, unknown>[] = [];
  for (const r of served) {
    list.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: resourceVerbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      list.push({
        name: `${r.resource}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        // drain looks for group and version on pods/eviction before it uses the eviction API.
        ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersionOf({ group, version }), resources: list };
}
