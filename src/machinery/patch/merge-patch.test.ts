import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { cloneJson } from './json-value.js';
import { applyMergePatch, invalidMergePatchMessage } from './merge-patch.js';
import { deepFreeze, sharedContainers, statusError, type ExpectedStatus } from './testing.js';

interface Case {
  name: string;
  doc: unknown;
  patch: unknown;
  want?: unknown;
  wantError?: ExpectedStatus;
}

const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1', disktype: 'hdd' } },
  spec: { podCIDRs: ['10.0.1.0/24'], taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] },
};

const invalidPatch: ExpectedStatus = { code: 400, reason: 'BadRequest', message: invalidMergePatchMessage };

const cases: Case[] = [
  // RFC 7386 Appendix A.
  { name: 'RFC 7386 A.1: a value replaces a value', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'RFC 7386 A.2: a new key is added', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
  { name: 'RFC 7386 A.3: null deletes a key', doc: { a: 'b' }, patch: { a: null }, want: {} },
  { name: 'RFC 7386 A.4: null deletes only that key', doc: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
  { name: 'RFC 7386 A.5: a scalar replaces an array', doc: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'RFC 7386 A.6: an array replaces a scalar', doc: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
  {
    name: 'RFC 7386 A.7: objects merge recursively',
    doc: { a: { b: 'c' } },
    patch: { a: { b: 'd', c: null } },
    want: { a: { b: 'd' } },
  },
  { name: 'RFC 7386 A.8: arrays are replaced, not merged', doc: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
  { name: 'RFC 7386 A.9: an array patch replaces an array', doc: ['a', 'b'], patch: ['c', 'd'], want: ['c', 'd'] },
  { name: 'RFC 7386 A.10: an array patch replaces an object', doc: { a: 'b' }, patch: ['c'], want: ['c'] },
  { name: 'RFC 7386 A.13: existing nulls are kept', doc: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
  {
    name: 'RFC 7386 A.14: an object patch applied to an array builds a new object',
    doc: [1, 2],
    patch: { a: 'b', c: null },
    want: { a: 'b' },
  },
  {
    name: 'RFC 7386 A.15: nulls inside new objects are dropped',
    doc: {},
    patch: { a: { bb: { ccc: null } } },
    want: { a: { bb: {} } },
  },

  // Upstream (evanphx/json-patch v4) where it differs from the RFC.
  { name: 'a null patch is refused (RFC A.11 would return null)', doc: { a: 'foo' }, patch: null, wantError: invalidPatch },
  { name: 'a string patch is refused (RFC A.12 would return it)', doc: { a: 'foo' }, patch: 'bar', wantError: invalidPatch },
  { name: 'a number patch is refused', doc: { a: 'foo' }, patch: 1, wantError: invalidPatch },
  { name: 'a boolean patch is refused', doc: { a: 'foo' }, patch: true, wantError: invalidPatch },
  {
    name: 'nulls inside objects in an added array are dropped, null elements stay',
    doc: {},
    patch: { a: [{ b: null, c: 1 }, null] },
    want: { a: [{ c: 1 }, null] },
  },

  // kubectl's bodies.
  {
    name: 'adds a label (kubectl label)',
    doc: node,
    patch: { metadata: { labels: { disktype: 'ssd', zone: 'a' } } },
    want: { ...node, metadata: { ...node.metadata, labels: { 'kubernetes.io/hostname': 'node-1', disktype: 'ssd', zone: 'a' } } },
  },
  {
    name: 'removes a label (kubectl label disktype-)',
    doc: node,
    patch: { metadata: { labels: { disktype: null } } },
    want: { ...node, metadata: { ...node.metadata, labels: { 'kubernetes.io/hostname': 'node-1' } } },
  },
  {
    name: 'adds an annotation where there were none (kubectl annotate)',
    doc: node,
    patch: { metadata: { annotations: { owner: 'team-a' } } },
    want: { ...node, metadata: { ...node.metadata, annotations: { owner: 'team-a' } } },
  },
  { name: 'an empty patch changes nothing (kubectl label with no change)', doc: node, patch: {}, want: node },
  {
    name: 'a list is replaced wholesale (kubectl patch --type=merge)',
    doc: node,
    patch: { spec: { taints: [] } },
    want: { ...node, spec: { ...node.spec, taints: [] } },
  },
  {
    name: 'deleting a missing key changes nothing',
    doc: node,
    patch: { spec: { unschedulable: null } },
    want: node,
  },
];

describe('applyMergePatch()', () => {
  for (const c of cases) {
    it(c.name, () => {
      // Frozen inputs make any modification throw, so every case also checks that inputs stay untouched.
      const doc = deepFreeze(cloneJson(c.doc));
      const patch = deepFreeze(cloneJson(c.patch));
      if (c.wantError) {
        assert.throws(() => applyMergePatch(doc, patch), statusError(c.wantError));
        return;
      }
      const got = applyMergePatch(doc, patch);
      assert.deepEqual(got, c.want);
      assert.deepEqual(sharedContainers(got, doc, patch), []);
    });
  }

  it('keeps __proto__ keys as data', () => {
    const got = applyMergePatch({ a: 1 }, JSON.parse('{"__proto__":{"polluted":true},"b":{"__proto__":1}}')) as object;
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(Object.keys(got), ['a', '__proto__', 'b']);
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
  });
});
