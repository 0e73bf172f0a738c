import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { PatchMeta } from '../../api/schema/patch-meta.js';
import { genericUnprocessableMessage } from './errors.js';
import { cloneJson } from './json-value.js';
import { applyStrategicMergePatch, strategicPatchMessages } from './strategic.js';
import {
  deepFreeze,
  directiveKeys,
  patchMetaFromTable,
  sharedContainers,
  statusError,
  type ExpectedStatus,
  type PatchMetaTable,
} from './testing.js';

// ---------------------------------------------------------------------------------------------
// Patch metadata for a DaemonSet-like and a Node-like type, as the OpenAPI schema gives it.

const str: PatchMetaTable = { type: 'string' };
const stringMap: PatchMetaTable = { type: 'map', elements: str };
const mergeByName = (elements: PatchMetaTable): PatchMetaTable => ({ type: 'array', patchStrategy: 'merge', patchMergeKey: 'name', elements });

const objectMeta: PatchMetaTable = {
  type: 'object',
  fields: {
    name: str,
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: 'array', patchStrategy: 'merge', elements: str },
    ownerReferences: { type: 'array', patchStrategy: 'merge', patchMergeKey: 'uid', elements: { type: 'object' } },
  },
};

const container: PatchMetaTable = {
  type: 'object',
  fields: {
    name: str,
    image: str,
    args: { type: 'array', elements: str },
    env: mergeByName({ type: 'object', fields: { name: str, value: str } }),
    ports: { type: 'array', patchStrategy: 'merge', patchMergeKey: 'containerPort', elements: { type: 'object' } },
    volumeMounts: { type: 'array', patchStrategy: 'merge', patchMergeKey: 'mountPath', elements: { type: 'object' } },
  },
};

const podSpec: PatchMetaTable = {
  type: 'object',
  fields: {
    containers: mergeByName(container),
    initContainers: mergeByName(container),
    volumes: {
      type: 'array',
      patchStrategy: 'merge,retainKeys',
      patchMergeKey: 'name',
      elements: { type: 'object', fields: { name: str, hostPath: { type: 'object' }, emptyDir: { type: 'object' } } },
    },
    tolerations: { type: 'array', elements: { type: 'object' } },
    nodeSelector: stringMap,
  },
};

const daemonSetMeta = patchMetaFromTable({
  type: 'object',
  fields: {
    metadata: objectMeta,
    spec: {
      type: 'object',
      fields: {
        selector: { type: 'object' },
        template: { type: 'object', fields: { metadata: objectMeta, spec: podSpec } },
      },
    },
  },
});

const nodeMeta = patchMetaFromTable({
  type: 'object',
  fields: {
    metadata: objectMeta,
    spec: {
      type: 'object',
      fields: {
        unschedulable: { type: 'boolean' },
        podCIDRs: { type: 'array', patchStrategy: 'merge', elements: str },
        taints: { type: 'array', elements: { type: 'object' } },
      },
    },
  },
});

// ---------------------------------------------------------------------------------------------
// Documents. Types are loose where cases reshape the value.

type Labels = Record<string, string>;
type Item = Record<string, unknown>;

interface ContainerDoc {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  ports?: Item[];
  volumeMounts?: Item[];
}

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: {
    name: 'fluentd',
    labels: { app: 'fluentd' } as Labels,
    finalizers: ['a.example/one', 'b.example/two'],
    ownerReferences: [
      { uid: 'u1', kind: 'Thing', name: 'owner-1' },
      { uid: 'u2', kind: 'Thing', name: 'owner-2' },
    ],
  },
  spec: {
    selector: { matchLabels: { app: 'fluentd' } },
    template: {
      metadata: { labels: { app: 'fluentd' } as Labels },
      spec: {
        containers: [
          {
            name: 'fluentd',
            image: 'fluentd:v6',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '1' },
            ],
            ports: [{ containerPort: 24224, protocol: 'TCP' }],
            volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
          },
          { name: 'sidecar', image: 'busybox:1', args: ['sleep', 'infinity'] },
        ] as ContainerDoc[],
        volumes: [{ name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } }] as Item[],
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] as Item[],
      },
    },
  },
};

type DaemonSetDoc = typeof daemonSet;
type PodSpecDoc = DaemonSetDoc['spec']['template']['spec'];

const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
  spec: {
    unschedulable: true,
    podCIDRs: ['10.0.1.0/24'],
    taints: [
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'infra', effect: 'NoSchedule' },
    ],
  },
};

/** A copy of `value` changed by `change`, for writing expected results. */
function edit<T>(value: T, change: (draft: T) => void): T {
  const draft = cloneJson(value) as T;
  change(draft);
  return draft;
}

/** The DaemonSet with its pod spec changed by `change`. */
function editPodSpec(change: (spec: PodSpecDoc) => void): DaemonSetDoc {
  return edit(daemonSet, (d) => change(d.spec.template.spec));
}

/** A patch body that patches the pod template's spec. */
function podSpecPatch(spec: Record<string, unknown>): unknown {
  return { spec: { template: { spec } } };
}

const fluentd = daemonSet.spec.template.spec.containers[0]!;
const sidecar = daemonSet.spec.template.spec.containers[1]!;

// ---------------------------------------------------------------------------------------------

interface Case {
  name: string;
  /** Defaults to the DaemonSet. */
  doc?: unknown;
  patch: unknown;
  /** Defaults to the DaemonSet meta; `null` stands for no meta at all. */
  meta?: PatchMeta | null;
  want?: unknown;
  wantError?: ExpectedStatus;
}

/** Upstream's answer to errors that are not a Status: 500, no reason, the error text as message. */
function serverError(message: string | RegExp): ExpectedStatus {
  return { code: 500, message };
}

function badRequest(message: string): ExpectedStatus {
  return { code: 400, reason: 'BadRequest', message };
}

const kubectlCases: Case[] = [
  {
    name: 'kubectl set image: updates one container, $setElementOrder keeps both in order',
    patch: podSpecPatch({
      '$setElementOrder/containers': [{ name: 'fluentd' }, { name: 'sidecar' }],
      containers: [{ image: 'fluentd:v7', name: 'fluentd' }],
    }),
    want: editPodSpec((s) => (s.containers[0]!.image = 'fluentd:v7')),
  },
  {
    name: 'kubectl apply: merges env by name inside the container with the same name',
    patch: podSpecPatch({
      '$setElementOrder/containers': [{ name: 'fluentd' }],
      containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'A', value: '2' }], name: 'fluentd' }],
    }),
    // Elements $setElementOrder does not name stay; apply deletes with $patch: delete (next case).
    want: editPodSpec((s) => (s.containers[0]!.env![0]!.value = '2')),
  },
  {
    name: 'kubectl apply: deletes an env var with $patch: delete',
    patch: podSpecPatch({
      '$setElementOrder/containers': [{ name: 'fluentd' }, { name: 'sidecar' }],
      containers: [
        {
          '$setElementOrder/env': [{ name: 'A' }],
          env: [{ name: 'A', value: '2' }, { $patch: 'delete', name: 'B' }],
          name: 'fluentd',
        },
      ],
    }),
    want: editPodSpec((s) => (s.containers[0]!.env = [{ name: 'A', value: '2' }])),
  },
  {
    name: 'kubectl rollout undo: $patch: replace swaps the whole template',
    patch: {
      spec: {
        template: {
          $patch: 'replace',
          metadata: { labels: { app: 'fluentd', 'pod-template-hash': 'abc' } },
          spec: { containers: [{ name: 'fluentd', image: 'fluentd:v5' }] },
        },
      },
    },
    want: edit(daemonSet, (d) => {
      (d.spec as { template: unknown }).template = {
        metadata: { labels: { app: 'fluentd', 'pod-template-hash': 'abc' } },
        spec: { containers: [{ name: 'fluentd', image: 'fluentd:v5' }] },
      };
    }),
  },
  {
    name: 'kubectl rollout restart: adds an annotation to the template',
    patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' } } } } },
    want: edit(daemonSet, (d) =>
      Object.assign(d.spec.template.metadata, { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' } }),
    ),
  },
  {
    name: 'kubectl uncordon: null deletes spec.unschedulable',
    doc: node,
    meta: nodeMeta,
    patch: { spec: { unschedulable: null } },
    want: edit(node, (n) => delete (n.spec as { unschedulable?: boolean }).unschedulable),
  },
  {
    name: 'kubectl cordon: sets spec.unschedulable',
    doc: edit(node, (n) => delete (n.spec as { unschedulable?: boolean }).unschedulable),
    meta: nodeMeta,
    patch: { spec: { unschedulable: true } },
    want: node,
  },
  {
    name: 'kubectl taint ...-: removing the last taint nulls the list',
    doc: node,
    meta: nodeMeta,
    patch: { spec: { taints: null } },
    want: edit(node, (n) => delete (n.spec as { taints?: unknown }).taints),
  },
  {
    name: 'kubectl taint: taints have no strategy, so the list is replaced wholesale',
    doc: node,
    meta: nodeMeta,
    patch: { spec: { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] } },
    want: edit(node, (n) => n.spec.taints.splice(0, 1)),
  },
];

const listCases: Case[] = [
  {
    name: 'tolerations have no strategy, so the list is replaced wholesale',
    patch: podSpecPatch({ tolerations: [{ operator: 'Exists' }] }),
    want: editPodSpec((s) => (s.tolerations = [{ operator: 'Exists' }])),
  },
  {
    name: 'a list without strategy (args) is replaced wholesale',
    patch: podSpecPatch({ containers: [{ name: 'sidecar', args: ['sleep', '10'] }] }),
    want: editPodSpec((s) => (s.containers[1]!.args = ['sleep', '10'])),
  },
  {
    name: 'without $setElementOrder a new container goes before the existing ones, as upstream',
    patch: podSpecPatch({ containers: [{ name: 'logger', image: 'busybox:2' }] }),
    want: editPodSpec((s) => s.containers.unshift({ name: 'logger', image: 'busybox:2' })),
  },
  {
    name: 'without $setElementOrder patched elements take the patch order',
    patch: podSpecPatch({ containers: [{ name: 'sidecar', image: 'busybox:2' }, { name: 'fluentd', image: 'fluentd:v7' }] }),
    want: editPodSpec((s) => {
      s.containers = [
        { ...sidecar, image: 'busybox:2' },
        { ...fluentd, image: 'fluentd:v7' },
      ];
    }),
  },
  {
    name: 'without $setElementOrder a patched element keeps its place among server-only ones',
    patch: podSpecPatch({ containers: [{ name: 'fluentd', image: 'fluentd:v7' }] }),
    want: editPodSpec((s) => (s.containers[0]!.image = 'fluentd:v7')),
  },
  {
    name: 'without $setElementOrder a new element follows the patched element before it',
    patch: podSpecPatch({ containers: [{ name: 'sidecar', image: 'busybox:2' }, { name: 'logger', image: 'busybox:3' }] }),
    want: editPodSpec((s) => {
      s.containers[1]!.image = 'busybox:2';
      s.containers.push({ name: 'logger', image: 'busybox:3' });
    }),
  },
  {
    name: '$setElementOrder alone reorders a list',
    patch: podSpecPatch({ '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'fluentd' }] }),
    want: editPodSpec((s) => s.containers.reverse()),
  },
  {
    name: '$setElementOrder places a new element where it lists it',
    patch: podSpecPatch({
      '$setElementOrder/containers': [{ name: 'fluentd' }, { name: 'logger' }, { name: 'sidecar' }],
      containers: [{ name: 'logger', image: 'busybox:2' }],
    }),
    want: editPodSpec((s) => s.containers.splice(1, 0, { name: 'logger', image: 'busybox:2' })),
  },
  {
    name: '$setElementOrder for a list neither side has changes nothing',
    patch: podSpecPatch({ '$setElementOrder/initContainers': [{ name: 'init' }] }),
    want: daemonSet,
  },
  {
    name: '$setElementOrder orders a primitive list',
    patch: { metadata: { '$setElementOrder/finalizers': ['b.example/two', 'a.example/one'] } },
    want: edit(daemonSet, (d) => d.metadata.finalizers.reverse()),
  },
  {
    name: '$patch: delete removes the element with that key',
    patch: podSpecPatch({ containers: [{ name: 'sidecar', $patch: 'delete' }] }),
    want: editPodSpec((s) => s.containers.splice(1, 1)),
  },
  {
    name: '$patch: delete of a key the list lacks changes nothing',
    patch: podSpecPatch({ containers: [{ name: 'ghost', $patch: 'delete' }] }),
    want: daemonSet,
  },
  {
    name: '{"$patch":"replace"} as an element replaces the whole list with the other elements',
    patch: podSpecPatch({ containers: [{ $patch: 'replace' }, { name: 'only', image: 'nginx' }] }),
    want: editPodSpec((s) => (s.containers = [{ name: 'only', image: 'nginx' }])),
  },
  {
    name: 'finalizers merge as a set union',
    patch: { metadata: { finalizers: ['b.example/two', 'c.example/three'] } },
    want: edit(daemonSet, (d) => d.metadata.finalizers.push('c.example/three')),
  },
  {
    name: 'a finalizer the server lacks goes first, as upstream',
    patch: { metadata: { finalizers: ['c.example/three'] } },
    want: edit(daemonSet, (d) => d.metadata.finalizers.unshift('c.example/three')),
  },
  {
    name: 'an empty finalizers patch changes nothing',
    patch: { metadata: { finalizers: [] } },
    want: daemonSet,
  },
  {
    name: '$deleteFromPrimitiveList removes values from a primitive list',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example/one', 'not-there'] } },
    want: edit(daemonSet, (d) => d.metadata.finalizers.shift()),
  },
  {
    name: '$deleteFromPrimitiveList for a missing list changes nothing',
    doc: node,
    meta: nodeMeta,
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } },
    want: node,
  },
  {
    name: 'podCIDRs (a primitive merge list) merge as a set',
    doc: node,
    meta: nodeMeta,
    patch: { spec: { podCIDRs: ['10.0.1.0/24', 'fd00::/64'] } },
    want: edit(node, (n) => n.spec.podCIDRs.push('fd00::/64')),
  },
  {
    name: 'ownerReferences merge by uid',
    patch: { metadata: { ownerReferences: [{ uid: 'u2', name: 'owner-2b' }, { uid: 'u3', kind: 'Thing', name: 'owner-3' }] } },
    want: edit(daemonSet, (d) => {
      d.metadata.ownerReferences[1]!.name = 'owner-2b';
      d.metadata.ownerReferences.push({ uid: 'u3', kind: 'Thing', name: 'owner-3' });
    }),
  },
  {
    name: 'container ports merge by containerPort',
    patch: podSpecPatch({
      containers: [{ name: 'fluentd', ports: [{ containerPort: 24224, name: 'forward' }, { containerPort: 9880, protocol: 'TCP' }] }],
    }),
    want: editPodSpec((s) => {
      s.containers[0]!.ports = [{ containerPort: 24224, protocol: 'TCP', name: 'forward' }, { containerPort: 9880, protocol: 'TCP' }];
    }),
  },
  {
    name: 'volumeMounts merge by mountPath',
    patch: podSpecPatch({ containers: [{ name: 'fluentd', volumeMounts: [{ mountPath: '/var/log', readOnly: true }] }] }),
    want: editPodSpec((s) => Object.assign(s.containers[0]!.volumeMounts![0]!, { readOnly: true })),
  },
  {
    name: 'a merge list the document lacks is taken from the patch, directives resolved',
    doc: edit(daemonSet, (d) => delete (d.metadata as { finalizers?: unknown }).finalizers),
    patch: { metadata: { finalizers: ['x', 'x', 'y'] } },
    want: edit(daemonSet, (d) => (d.metadata.finalizers = ['x', 'y'])),
  },
  {
    name: 'a merge-keyed list the document lacks is taken from the patch, $patch: delete elements dropped',
    patch: podSpecPatch({ initContainers: [{ name: 'init', image: 'busybox' }, { name: 'gone', $patch: 'delete' }] }),
    want: editPodSpec((s) => Object.assign(s, { initContainers: [{ name: 'init', image: 'busybox' }] })),
  },
  {
    name: 'null deletes a list inside a merged element',
    patch: podSpecPatch({ containers: [{ name: 'fluentd', env: null }] }),
    want: editPodSpec((s) => delete s.containers[0]!.env),
  },
];

const mapCases: Case[] = [
  {
    name: 'labels merge key by key and null deletes one',
    patch: { metadata: { labels: { app: null, tier: 'node' } } },
    want: edit(daemonSet, (d) => (d.metadata.labels = { tier: 'node' })),
  },
  {
    name: '$patch: replace in a map replaces the map with the rest of the patch map',
    patch: { metadata: { labels: { $patch: 'replace', tier: 'node' } } },
    want: edit(daemonSet, (d) => (d.metadata.labels = { tier: 'node' })),
  },
  {
    name: '$patch: delete in a map leaves an empty map, as upstream',
    patch: { spec: { template: { metadata: { $patch: 'delete' } } } },
    want: edit(daemonSet, (d) => ((d.spec.template as { metadata: unknown }).metadata = {})),
  },
  {
    name: 'nulls inside a newly added map are dropped',
    patch: { metadata: { annotations: { keep: 'yes', drop: null } } },
    want: edit(daemonSet, (d) => Object.assign(d.metadata, { annotations: { keep: 'yes' } })),
  },
  {
    name: '$retainKeys keeps only the listed keys of a volume',
    patch: podSpecPatch({
      '$setElementOrder/volumes': [{ name: 'varlog' }],
      volumes: [{ $retainKeys: ['emptyDir', 'name'], emptyDir: {}, name: 'varlog' }],
    }),
    want: editPodSpec((s) => (s.volumes = [{ name: 'varlog', emptyDir: {} }])),
  },
  {
    name: '$retainKeys may list keys the patch does not set',
    patch: podSpecPatch({ volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'varlog' }] }),
    want: daemonSet,
  },
  {
    name: 'a null body changes nothing',
    patch: null,
    want: daemonSet,
  },
  {
    name: 'an empty body changes nothing',
    patch: {},
    want: daemonSet,
  },
  {
    name: 'a value of another kind replaces what was there',
    patch: { spec: { selector: 'all' } },
    want: edit(daemonSet, (d) => ((d.spec as { selector: unknown }).selector = 'all')),
  },
];

const metaCases: Case[] = [
  {
    name: 'without meta, maps merge, lists are replaced and null deletes, as a merge patch',
    meta: null,
    patch: {
      metadata: { labels: { app: null }, finalizers: ['z'] },
      spec: { template: { spec: { containers: [{ name: 'only' }] } } },
    },
    want: edit(daemonSet, (d) => {
      d.metadata.labels = {};
      d.metadata.finalizers = ['z'];
      d.spec.template.spec.containers = [{ name: 'only' }];
    }),
  },
  {
    name: 'without meta, directives still apply and never remain',
    meta: null,
    patch: { metadata: { labels: { $patch: 'replace', x: 'y' } } },
    want: edit(daemonSet, (d) => (d.metadata.labels = { x: 'y' })),
  },
  {
    name: 'a field unknown to meta is patched like a merge patch',
    doc: { metadata: { name: 'x' }, spec: { extra: [{ name: 'a', v: 1 }], extraMap: { a: 1 } } },
    patch: { spec: { extra: [{ name: 'b' }], extraMap: { b: 2 } } },
    want: { metadata: { name: 'x' }, spec: { extra: [{ name: 'b' }], extraMap: { a: 1, b: 2 } } },
  },
  {
    name: '__proto__ keys stay data',
    patch: JSON.parse('{"metadata":{"annotations":{"__proto__":"x"}}}'),
    want: edit(daemonSet, (d) => Object.defineProperty(d.metadata, 'annotations', {
      value: JSON.parse('{"__proto__":"x"}'),
      enumerable: true,
      writable: true,
      configurable: true,
    })),
  },
];

const errorCases: Case[] = [
  {
    name: 'a body that is an array is a bad request',
    patch: [],
    wantError: badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}'),
  },
  {
    name: 'a body that is a string is a bad request',
    patch: 'x',
    wantError: badRequest('json: cannot unmarshal string into Go value of type map[string]interface {}'),
  },
  {
    name: 'a merge-keyed element without its merge key',
    patch: podSpecPatch({ containers: [{ image: 'nginx' }] }),
    wantError: serverError('map: map[image:nginx] does not contain declared merge key: name'),
  },
  {
    name: 'a volume without its merge key',
    patch: podSpecPatch({ volumes: [{ hostPath: { path: '/var/lib/kubelet/pods' } }] }),
    wantError: serverError('map: map[hostPath:map[path:/var/lib/kubelet/pods]] does not contain declared merge key: name'),
  },
  {
    name: '$patch: delete element without its merge key',
    patch: podSpecPatch({ containers: [{ $patch: 'delete' }] }),
    wantError: serverError('map: map[$patch:delete] does not contain declared merge key: name'),
  },
  {
    name: 'an unknown $patch in a map',
    patch: { metadata: { labels: { $patch: 'explode' } } },
    wantError: serverError('unknown patch type: explode in map: map[$patch:explode]'),
  },
  {
    name: '$patch: merge in a map is unknown to upstream too',
    patch: { metadata: { labels: { $patch: 'merge', a: 'b' } } },
    wantError: serverError('unknown patch type: merge in map: map[$patch:merge a:b]'),
  },
  {
    name: 'an unknown $patch in a list element',
    patch: podSpecPatch({ containers: [{ name: 'x', $patch: 7 }] }),
    wantError: serverError('unknown patch type: %!s(int64=7) in map: map[$patch:7 name:x]'),
  },
  {
    name: '$patch: merge in a list',
    patch: podSpecPatch({ containers: [{ $patch: 'merge' }] }),
    wantError: serverError('merging lists cannot yet be specified in the patch'),
  },
  {
    name: '$retainKeys that is not a list',
    patch: podSpecPatch({ volumes: [{ name: 'varlog', $retainKeys: 'name' }] }),
    wantError: badRequest(strategicPatchMessages.badRetainKeys),
  },
  {
    name: '$retainKeys without a key the patch sets',
    patch: podSpecPatch({ volumes: [{ name: 'varlog', emptyDir: {}, $retainKeys: ['name'] }] }),
    wantError: badRequest(strategicPatchMessages.badRetainKeys),
  },
  {
    name: '$setElementOrder that is not a list',
    patch: podSpecPatch({ '$setElementOrder/containers': 'fluentd' }),
    wantError: serverError('expected a []interface {}, but received a string'),
  },
  {
    name: '$setElementOrder with a null list beside it',
    patch: podSpecPatch({ '$setElementOrder/containers': [{ name: 'fluentd' }], containers: null }),
    wantError: serverError('expected a []interface {}, but received a %!s(<nil>)'),
  },
  {
    name: 'a $setElementOrder key without a field',
    patch: podSpecPatch({ $setElementOrderContainers: [] }),
    wantError: badRequest(strategicPatchMessages.badSetElementOrder),
  },
  {
    name: 'a patch list in another order than $setElementOrder',
    patch: podSpecPatch({
      '$setElementOrder/containers': [{ name: 'fluentd' }, { name: 'sidecar' }],
      containers: [{ name: 'sidecar', image: 'b' }, { name: 'fluentd', image: 'f' }],
    }),
    wantError: serverError(
      'The order in patch list:\n[map[image:b name:sidecar] map[image:f name:fluentd]]\n' +
        " doesn't match $setElementOrder list:\n[map[name:fluentd] map[name:sidecar]]\n",
    ),
  },
  {
    name: 'a patch element $setElementOrder does not list',
    patch: podSpecPatch({ '$setElementOrder/containers': [{ name: 'fluentd' }], containers: [{ name: 'logger', image: 'b' }] }),
    wantError: serverError(/^The order in patch list:/),
  },
  {
    name: 'a $setElementOrder element without the merge key',
    patch: podSpecPatch({ '$setElementOrder/containers': [{ image: 'x' }], containers: [{ name: 'fluentd', image: 'x' }] }),
    wantError: serverError('map: map[image:x] does not contain declared merge key: name'),
  },
  {
    name: 'a $deleteFromPrimitiveList key without a field',
    patch: { metadata: { $deleteFromPrimitiveList: ['a.example/one'] } },
    wantError: badRequest(strategicPatchMessages.badPrimitiveList),
  },
  {
    name: '$deleteFromPrimitiveList that is not a list',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a.example/one' } },
    wantError: badRequest(strategicPatchMessages.badPrimitiveList),
  },
  {
    name: 'a list of lists in a merge list',
    doc: edit(daemonSet, (d) => (d.metadata.finalizers = [])),
    patch: { metadata: { finalizers: [['a']] } },
    wantError: { code: 422, reason: 'Invalid', message: genericUnprocessableMessage, cause: 'lists of lists are not supported' },
  },
  {
    name: 'mixed element types in a merge list',
    patch: { metadata: { finalizers: ['x', 1] } },
    wantError: serverError('list element types are not identical: [[a.example/one b.example/two] [x 1]]'),
  },
  {
    name: 'a merge list of maps without a merge key in the schema',
    doc: { items: [{ a: 1 }] },
    meta: patchMetaFromTable({ fields: { items: { type: 'array', patchStrategy: 'merge', elements: { type: 'object' } } } }),
    patch: { items: [{ a: 2 }] },
    wantError: serverError('cannot merge lists without merge key for type struct'),
  },
];

describe('applyStrategicMergePatch()', () => {
  const groups: [string, Case[]][] = [
    ['kubectl bodies', kubectlCases],
    ['lists', listCases],
    ['maps and directives', mapCases],
    ['missing meta', metaCases],
    ['errors', errorCases],
  ];
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          // Frozen inputs make any modification throw, so every case also checks that inputs stay untouched.
          const doc = deepFreeze(cloneJson(c.doc ?? daemonSet));
          const patch = deepFreeze(cloneJson(c.patch));
          const meta = c.meta === null ? undefined : (c.meta ?? daemonSetMeta);
          if (c.wantError) {
            assert.throws(() => applyStrategicMergePatch(doc, patch, meta), statusError(c.wantError));
            return;
          }
          const got = applyStrategicMergePatch(doc, patch, meta);
          assert.deepEqual(got, c.want);
          assert.deepEqual(directiveKeys(got), [], 'directive keys left in the result');
          assert.deepEqual(sharedContainers(got, doc, patch), [], 'result shares objects with an input');
        });
      }
    });
  }

  it('does not modify a document or patch that is not frozen', () => {
    const doc = cloneJson(daemonSet);
    const patch = cloneJson(kubectlCases[2]!.patch);
    const before = JSON.stringify([doc, patch]);
    applyStrategicMergePatch(doc, patch, daemonSetMeta);
    assert.equal(JSON.stringify([doc, patch]), before);
  });

  it('applies the same patch twice to the same result', () => {
    const patch = kubectlCases[0]!.patch;
    const once = applyStrategicMergePatch(daemonSet, patch, daemonSetMeta);
    assert.deepEqual(applyStrategicMergePatch(once, patch, daemonSetMeta), once);
  });
});
