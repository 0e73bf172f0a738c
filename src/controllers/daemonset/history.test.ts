import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControllerRevision } from '../../api/types.js';
import {
  canonicalJson,
  computeHash,
  controlledHistories,
  fnv1a32,
  newControllerRevision,
  revisionDataJson,
  revisionMatches,
  safeEncodeAlphabet,
  safeEncodeString,
} from './history.js';
import { newDaemonSet } from './testing.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('fnv1a32', () => {
  // Published FNV-1a 32-bit test vectors.
  const cases: Array<[string, number]> = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ];
  for (const [input, expected] of cases) {
    it(`hashes ${JSON.stringify(input)}`, () => assert.equal(fnv1a32(bytes(input)), expected));
  }
});

describe('safeEncodeString', () => {
  const cases: Array<[string, string]> = [
    ['0123456789', '456789bcdf'],
    ['', ''],
    ['42', '86'],
  ];
  for (const [input, expected] of cases) {
    it(`encodes ${JSON.stringify(input)} as ${JSON.stringify(expected)}`, () => assert.equal(safeEncodeString(input), expected));
  }
  it('uses the 27-character alphabet', () => assert.equal(safeEncodeAlphabet.length, 27));
});

describe('canonicalJson', () => {
  const cases: Array<[string, unknown, string]> = [
    ['sorts keys at every depth', { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}'],
    ['drops undefined members', { a: undefined, b: 'x' }, '{"b":"x"}'],
    ['keeps scalars', 'text', '"text"'],
    ['arrays keep their order', [3, 1, 2], '[3,1,2]'],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(canonicalJson(input), expected));
});

describe('computeHash', () => {
  const template = newDaemonSet().spec.template;
  it('is stable for equal templates, whatever the key order', () => {
    const reordered = { spec: template.spec, metadata: template.metadata };
    assert.equal(computeHash(template), computeHash(reordered));
  });
  it('differs for different templates', () => {
    assert.notEqual(computeHash(template), computeHash(newDaemonSet({ hostNetwork: true }).spec.template));
  });
  it('treats collisionCount absent, 0 and 1 as different', () => {
    const hashes = new Set([computeHash(template), computeHash(template, 0), computeHash(template, 1)]);
    assert.equal(hashes.size, 3);
  });
  it('uses only the digits of the safe alphabet, at most 10 characters', () => {
    for (const count of [undefined, 0, 1, 7, 1000]) {
      assert.match(computeHash(template, count), /^[456789bcdf]{1,10}$/);
    }
  });
});

describe('revisionDataJson', () => {
  it('is the template as a replacing patch, keys sorted, creationTimestamp null', () => {
    const ds = newDaemonSet();
    assert.equal(
      revisionDataJson(ds),
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"name":"simple-daemon","type":"production"}},' +
        '"spec":{"containers":[{"image":"foo/bar","name":"foo"}]}}}}',
    );
  });
});

describe('newControllerRevision', () => {
  it('names, labels, annotates and owns the snapshot', () => {
    const ds = newDaemonSet({}, { annotations: { 'kubernetes.io/change-cause': 'first' } });
    const revision = newControllerRevision(ds, 'abc', 3);
    assert.equal(revision.metadata.name, 'foo-abc');
    assert.equal(revision.metadata.namespace, 'default');
    assert.deepEqual(revision.metadata.labels, { name: 'simple-daemon', type: 'production', 'controller-revision-hash': 'abc' });
    assert.deepEqual(revision.metadata.annotations, { 'kubernetes.io/change-cause': 'first' });
    assert.deepEqual(revision.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: 'ds-uid', controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(revision.revision, 3);
    assert.equal(canonicalJson(revision.data), revisionDataJson(ds));
    assert.ok(revisionMatches(revision, revisionDataJson(ds)));
    assert.ok(!revisionMatches(revision, revisionDataJson(newDaemonSet({ hostNetwork: true }))));
  });
  it('matches data stored as text too', () => {
    const ds = newDaemonSet();
    const revision: ControllerRevision = { metadata: { name: 'x' }, revision: 1, data: revisionDataJson(ds) };
    assert.ok(revisionMatches(revision, revisionDataJson(ds)));
  });
});

describe('controlledHistories', () => {
  it('keeps only revisions controlled by the DaemonSet in its namespace', () => {
    const ds = newDaemonSet();
    const owned = newControllerRevision(ds, 'a', 1);
    const otherNamespace = { ...owned, metadata: { ...owned.metadata, namespace: 'other' } };
    const otherOwner = { ...owned, metadata: { ...owned.metadata, ownerReferences: [{ ...owned.metadata.ownerReferences![0], uid: 'x' }] } };
    const orphan = { ...owned, metadata: { ...owned.metadata, ownerReferences: [] } };
    assert.deepEqual(controlledHistories(ds, [owned, otherNamespace, otherOwner, orphan]), [owned]);
  });
});
