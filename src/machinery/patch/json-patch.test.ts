import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { genericUnprocessableMessage } from './errors.js';
import { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
import { cloneJson } from './json-value.js';
import { deepFreeze, sharedContainers, statusError, type ExpectedStatus } from './testing.js';

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: {
    name: 'fluentd',
    resourceVersion: '41',
    labels: { app: 'fluentd', 'app.kubernetes.io/name': 'fluentd', 'odd~key': 'x' } as Record<string, string>,
    managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update' }],
  },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'fluentd', image: 'fluentd:v6', args: ['-c', '/etc/fluent.conf'] },
          { name: 'sidecar', image: 'busybox:1' },
        ],
      },
    },
  },
};

/** A copy of `value` changed by `change`, for writing expected results. */
function edit<T>(value: T, change: (draft: T) => void): T {
  const draft = cloneJson(value) as T;
  change(draft);
  return draft;
}

interface Case {
  name: string;
  doc?: unknown;
  patch: unknown;
  want?: unknown;
  wantError?: ExpectedStatus;
}

/** A 422 as upstream sends it, whose cause is the json-patch failure. */
function unprocessable(cause: string | RegExp): ExpectedStatus {
  return { code: 422, reason: 'Invalid', message: genericUnprocessableMessage, cause };
}

const cases: Case[] = [
  // kubectl's own bodies.
  {
    name: 'replaces a container image (kubectl patch --type=json)',
    patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'fluentd:p2' }],
    want: edit(daemonSet, (d) => (d.spec.template.spec.containers[0]!.image = 'fluentd:p2')),
  },
  {
    name: 'replaces managedFields and resourceVersion (kubectl SSA migration)',
    patch: [
      { op: 'replace', path: '/metadata/managedFields', value: [{ manager: 'kubectl', operation: 'Apply' }] },
      { op: 'replace', path: '/metadata/resourceVersion', value: '41' },
    ],
    want: edit(daemonSet, (d) => (d.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply' }])),
  },

  // add
  {
    name: 'add creates a missing key',
    patch: [{ op: 'add', path: '/metadata/annotations', value: { note: 'hi' } }],
    want: edit(daemonSet, (d) => Object.assign(d.metadata, { annotations: { note: 'hi' } })),
  },
  {
    name: 'add over an existing key replaces it',
    patch: [{ op: 'add', path: '/metadata/labels/app', value: 'other' }],
    want: edit(daemonSet, (d) => (d.metadata.labels.app = 'other')),
  },
  {
    name: 'add at an index inserts before that element',
    patch: [{ op: 'add', path: '/spec/template/spec/containers/0/args/1', value: '-v' }],
    want: edit(daemonSet, (d) => (d.spec.template.spec.containers[0]!.args = ['-c', '-v', '/etc/fluent.conf'])),
  },
  {
    name: 'add at /- appends',
    patch: [{ op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '-q' }],
    want: edit(daemonSet, (d) => d.spec.template.spec.containers[0]!.args!.push('-q')),
  },
  {
    name: 'add at the index equal to the length appends',
    patch: [{ op: 'add', path: '/spec/template/spec/containers/0/args/2', value: '-q' }],
    want: edit(daemonSet, (d) => d.spec.template.spec.containers[0]!.args!.push('-q')),
  },
  {
    name: 'add at the empty path replaces the whole document',
    patch: [{ op: 'add', path: '', value: { kind: 'Other' } }],
    want: { kind: 'Other' },
  },

  // remove, replace
  {
    name: 'remove deletes a key',
    patch: [{ op: 'remove', path: '/metadata/managedFields' }],
    want: edit(daemonSet, (d) => delete (d.metadata as { managedFields?: unknown }).managedFields),
  },
  {
    name: 'remove deletes an array element',
    patch: [{ op: 'remove', path: '/spec/template/spec/containers/1' }],
    want: edit(daemonSet, (d) => d.spec.template.spec.containers.splice(1, 1)),
  },
  {
    name: 'replace sets an array element',
    patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/args/0', value: '--config' }],
    want: edit(daemonSet, (d) => (d.spec.template.spec.containers[0]!.args![0] = '--config')),
  },
  {
    name: 'replace at the empty path replaces the whole document',
    patch: [{ op: 'replace', path: '', value: [1, 2] }],
    want: [1, 2],
  },

  // move, copy, test
  {
    name: 'move renames a key',
    patch: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/tier' }],
    want: edit(daemonSet, (d) => {
      const { app, ...rest } = d.metadata.labels;
      d.metadata.labels = { ...rest, tier: app! };
    }),
  },
  {
    name: 'move within an array removes first, then inserts',
    doc: { a: [1, 2, 3] },
    patch: [{ op: 'move', from: '/a/0', path: '/a/2' }],
    want: { a: [2, 3, 1] },
  },
  {
    name: 'move to the same path changes nothing',
    doc: { a: { b: 1 } },
    patch: [{ op: 'move', from: '/a/b', path: '/a/b' }],
    want: { a: { b: 1 } },
  },
  {
    name: 'copy duplicates a value',
    patch: [{ op: 'copy', from: '/spec/template/spec/containers/1', path: '/spec/template/spec/containers/-' }],
    want: edit(daemonSet, (d) => d.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1' })),
  },
  {
    name: 'a copied value is independent of its source',
    doc: { a: { b: 1 } },
    patch: [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/b', value: 2 },
    ],
    want: { a: { b: 1 }, c: { b: 2 } },
  },
  {
    name: 'test passes on an equal value, whatever the key order',
    doc: { a: { x: 1, y: [1, { z: null }] } },
    patch: [
      { op: 'test', path: '/a', value: { y: [1, { z: null }], x: 1 } },
      { op: 'add', path: '/b', value: true },
    ],
    want: { a: { x: 1, y: [1, { z: null }] }, b: true },
  },
  {
    name: 'test guards a replace (optimistic concurrency)',
    patch: [
      { op: 'test', path: '/metadata/resourceVersion', value: '41' },
      { op: 'replace', path: '/metadata/labels/app', value: 'v2' },
    ],
    want: edit(daemonSet, (d) => (d.metadata.labels.app = 'v2')),
  },

  // Pointer escapes.
  {
    name: '~1 in a path segment stands for /',
    patch: [{ op: 'remove', path: '/metadata/labels/app.kubernetes.io~1name' }],
    want: edit(daemonSet, (d) => delete d.metadata.labels['app.kubernetes.io/name']),
  },
  {
    name: '~0 in a path segment stands for ~',
    patch: [{ op: 'replace', path: '/metadata/labels/odd~0key', value: 'y' }],
    want: edit(daemonSet, (d) => (d.metadata.labels['odd~key'] = 'y')),
  },
  {
    name: '~01 is a literal ~1, not a slash',
    doc: { '~1': 'tilde-one', '/': 'slash' },
    patch: [{ op: 'remove', path: '/~01' }],
    want: { '/': 'slash' },
  },

  // Empty patches.
  { name: 'an empty list of operations changes nothing', patch: [], want: daemonSet },
  { name: 'a null body is an empty patch', patch: null, want: daemonSet },

  // Malformed bodies: 400 with Go's decoding error.
  {
    name: 'a body that is an object is a bad request',
    patch: { op: 'add', path: '/a', value: 1 },
    wantError: { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
  },
  {
    name: 'a body that is a string is a bad request',
    patch: 'add',
    wantError: { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type jsonpatch.Patch' },
  },
  {
    name: 'an operation that is not an object is a bad request',
    patch: [{ op: 'test', path: '', value: {} }, 'remove'],
    wantError: { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation' },
  },
  {
    name: `more than ${maxJsonPatchOperations} operations are too large`,
    patch: Array.from({ length: maxJsonPatchOperations + 1 }, () => ({ op: 'test', path: '/kind', value: 'DaemonSet' })),
    wantError: {
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${maxJsonPatchOperations + 1}`,
    },
  },

  // Operations that cannot apply: 422 with upstream's generic message.
  {
    name: 'replace of a missing key fails',
    patch: [{ op: 'replace', path: '/spec/missing', value: 1 }],
    wantError: unprocessable('replace operation does not apply: doc is missing key: /spec/missing'),
  },
  {
    name: 'add under a missing parent fails',
    patch: [{ op: 'add', path: '/spec/missing/child', value: 1 }],
    wantError: unprocessable('add operation does not apply: doc is missing path: /spec/missing/child'),
  },
  {
    name: 'add under a scalar fails',
    patch: [{ op: 'add', path: '/kind/child', value: 1 }],
    wantError: unprocessable('add operation does not apply: doc is missing path: /kind/child'),
  },
  {
    name: 'remove of a missing key fails',
    patch: [{ op: 'remove', path: '/metadata/annotations' }],
    wantError: unprocessable('remove operation does not apply: doc is missing key: /metadata/annotations'),
  },
  {
    name: 'remove of the whole document fails',
    patch: [{ op: 'remove', path: '' }],
    wantError: unprocessable(/cannot remove the whole document/),
  },
  {
    name: 'a failed test fails the whole patch',
    patch: [
      { op: 'replace', path: '/metadata/labels/app', value: 'v2' },
      { op: 'test', path: '/metadata/resourceVersion', value: '40' },
    ],
    wantError: unprocessable('testing value /metadata/resourceVersion failed'),
  },
  {
    name: 'test of a missing path fails',
    patch: [{ op: 'test', path: '/metadata/missing', value: null }],
    wantError: unprocessable('test operation does not apply: doc is missing key: /metadata/missing'),
  },
  {
    name: 'an array index with a leading zero is refused',
    patch: [{ op: 'replace', path: '/spec/template/spec/containers/01/image', value: 'x' }],
    wantError: unprocessable(/invalid array index "01"/),
  },
  {
    name: 'a negative array index is refused',
    patch: [{ op: 'remove', path: '/spec/template/spec/containers/-1' }],
    wantError: unprocessable(/invalid array index "-1"/),
  },
  {
    name: 'an array index past the end is refused',
    patch: [{ op: 'add', path: '/spec/template/spec/containers/3', value: {} }],
    wantError: unprocessable(/array index 3 out of bounds/),
  },
  {
    name: '/- is only for add',
    patch: [{ op: 'remove', path: '/spec/template/spec/containers/-' }],
    wantError: unprocessable(/invalid array index "-"/),
  },
  {
    name: 'a __proto__ segment is refused',
    patch: [{ op: 'add', path: '/__proto__/polluted', value: true }],
    wantError: unprocessable(/segment "__proto__" is not allowed/),
  },
  {
    name: 'a constructor segment is refused',
    patch: [{ op: 'add', path: '/metadata/constructor/prototype/polluted', value: true }],
    wantError: unprocessable(/segment "constructor" is not allowed/),
  },
  {
    name: 'a prototype segment is refused',
    patch: [{ op: 'add', path: '/prototype', value: true }],
    wantError: unprocessable(/segment "prototype" is not allowed/),
  },
  {
    name: 'a ~ not followed by 0 or 1 is refused',
    patch: [{ op: 'remove', path: '/metadata/labels/odd~2key' }],
    wantError: unprocessable(/"~" must be followed by 0 or 1/),
  },
  {
    name: 'a path not starting with / is refused',
    patch: [{ op: 'add', path: 'metadata/labels/x', value: '1' }],
    wantError: unprocessable(/must be empty or start with "\/"/),
  },
  {
    name: 'an unknown op is refused',
    patch: [{ op: 'frobnicate', path: '/kind' }],
    wantError: unprocessable('Unexpected kind: frobnicate'),
  },
  {
    name: 'an operation without op is refused',
    patch: [{ path: '/kind', value: 'x' }],
    wantError: unprocessable('Unexpected kind: unknown'),
  },
  {
    name: 'a null operation is refused',
    patch: [null],
    wantError: unprocessable('Unexpected kind: unknown'),
  },
  {
    name: 'an operation without path is refused',
    patch: [{ op: 'add', value: 1 }],
    wantError: unprocessable('add operation missing path field'),
  },
  {
    name: 'add without value is refused',
    patch: [{ op: 'add', path: '/x' }],
    wantError: unprocessable('add operation missing value field'),
  },
  {
    name: 'move without from is refused',
    patch: [{ op: 'move', path: '/x' }],
    wantError: unprocessable('move operation missing from field'),
  },
  {
    name: 'move into a child of the moved value is refused',
    patch: [{ op: 'move', from: '/metadata', path: '/metadata/labels/nested' }],
    wantError: unprocessable(/"from" \/metadata is a prefix of "path"/),
  },
  {
    name: 'copy from a missing path fails',
    patch: [{ op: 'copy', from: '/spec/nothing', path: '/spec/copy' }],
    wantError: unprocessable('copy operation does not apply: doc is missing key: /spec/nothing'),
  },
];

describe('applyJsonPatch()', () => {
  for (const c of cases) {
    it(c.name, () => {
      // Frozen inputs make any modification throw, so every case also checks that inputs stay untouched.
      const doc = deepFreeze(cloneJson(c.doc ?? daemonSet));
      const patch = deepFreeze(cloneJson(c.patch));
      if (c.wantError) {
        assert.throws(() => applyJsonPatch(doc, patch), statusError(c.wantError));
        return;
      }
      const got = applyJsonPatch(doc, patch);
      assert.deepEqual(got, c.want);
      assert.deepEqual(sharedContainers(got, doc, patch), []);
    });
  }

  it('does not pollute Object.prototype through __proto__ keys in values', () => {
    const patch = JSON.parse('[{"op":"add","path":"/metadata/annotations","value":{"__proto__":{"polluted":true}}}]');
    const got = applyJsonPatch(daemonSet, patch) as { metadata: { annotations: object } };
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(Object.keys(got.metadata.annotations), ['__proto__']);
  });

  it('leaves a non-frozen document unchanged when an operation fails half way', () => {
    const doc = cloneJson(daemonSet);
    const before = JSON.stringify(doc);
    assert.throws(() =>
      applyJsonPatch(doc, [
        { op: 'remove', path: '/metadata/labels' },
        { op: 'remove', path: '/metadata/labels' },
      ]),
    );
    assert.equal(JSON.stringify(doc), before);
  });
});
