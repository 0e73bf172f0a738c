import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ControllerRevision, DaemonSet, Pod } from '../../api/types.js';
import { ApiServer, LocalClient } from '../../apiserver/index.js';
import { refs, type Client } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import {
  canonicalJson,
  cleanupHistory,
  computeHash,
  constructHistory,
  controlledHistories,
  dedupCurHistories,
  historiesToCleanUp,
  maxRevision,
  fnv1a32,
  newControllerRevision,
  revisionDataJson,
  revisionMatches,
  safeEncodeAlphabet,
  safeEncodeString,
} from './history.js';
import { newDaemonSet, simpleDaemonSetLabel } from './testing.js';

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

describe('maxRevision()', () => {
  it('is 0 for no revisions and the highest number otherwise', () => {
    const ds = newDaemonSet();
    assert.equal(maxRevision([]), 0);
    assert.equal(maxRevision([newControllerRevision(ds, 'a', 3), newControllerRevision(ds, 'b', 7), newControllerRevision(ds, 'c', 5)]), 7);
  });
});

describe('historiesToCleanUp()', () => {
  const ds = newDaemonSet();
  const revisions = (...numbers: number[]) => numbers.map((n) => newControllerRevision(ds, `h${n}`, n));
  const cases: { name: string; old: ControllerRevision[]; limit: number; live: string[]; want: string[] }[] = [
    { name: 'keeps everything within the limit', old: revisions(1, 2, 3), limit: 3, live: [], want: [] },
    { name: 'deletes the lowest numbers first', old: revisions(4, 1, 3, 2), limit: 2, live: [], want: ['foo-h1', 'foo-h2'] },
    { name: 'skips revisions a live pod still carries, and deletes no more than the excess', old: revisions(1, 2, 3, 4), limit: 2, live: ['h1'], want: ['foo-h2', 'foo-h3'] },
    { name: 'may keep more than the limit when live pods need them', old: revisions(1, 2, 3), limit: 1, live: ['h1', 'h2'], want: ['foo-h3'] },
    { name: 'a limit of 0 keeps only live revisions', old: revisions(1, 2, 3), limit: 0, live: ['h2'], want: ['foo-h1', 'foo-h3'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(historiesToCleanUp(c.old, c.limit, new Set(c.live)).map((r) => r.metadata.name), c.want));
  }
});

describe('constructHistory(), dedupCurHistories() and cleanupHistory() against the API server', () => {
  let server: ApiServer;
  let client: Client;
  let ds: DaemonSet;

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    client = new LocalClient(server.registry);
    const fixture = newDaemonSet();
    ds = await client.create<DaemonSet>(refs.daemonsets, 'default', { ...fixture, metadata: { name: 'foo', namespace: 'default' } });
  });
  afterEach(() => server.close());

  const listRevisions = async () =>
    (await client.list<ControllerRevision>(refs.controllerrevisions, { namespace: 'default' })).items.sort((a, b) => a.revision - b.revision);
  const withTemplateImage = (image: string): DaemonSet => {
    const copy = structuredClone(ds);
    copy.spec.template.spec.containers[0]!.image = image;
    return copy;
  };
  const createRevision = (from: DaemonSet, hash: string, revision: number) => client.create<ControllerRevision>(refs.controllerrevisions, 'default', newControllerRevision(from, hash, revision));
  const createPod = (name: string, hash: string) =>
    client.create<Pod>(refs.pods, 'default', {
      metadata: { name, namespace: 'default', labels: { ...simpleDaemonSetLabel, 'controller-revision-hash': hash } },
      spec: { containers: [{ name: 'foo', image: 'foo/bar' }], nodeName: 'node-1' },
    });

  it('creates revision 1 for a new DaemonSet, then finds it again', async () => {
    const first = await constructHistory(client, ds, []);
    assert.equal(first.current.revision, 1);
    assert.equal(first.hash, computeHash(ds.spec.template));
    const again = await constructHistory(client, ds, await listRevisions());
    assert.deepEqual([again.current.metadata.name, again.old.length], [first.current.metadata.name, 0]);
  });

  it('gives a claimed revision without the hash label its own name as hash', async () => {
    const unlabelled = newControllerRevision(ds, 'x', 1);
    unlabelled.metadata.name = 'foo-legacy';
    delete unlabelled.metadata.labels!['controller-revision-hash'];
    const stored = await client.create<ControllerRevision>(refs.controllerrevisions, 'default', unlabelled);
    const history = await constructHistory(client, ds, [stored]);
    assert.equal(history.hash, 'foo-legacy');
    const [revision] = await listRevisions();
    assert.equal(revision!.metadata.labels!['controller-revision-hash'], 'foo-legacy');
  });

  it('renumbers a returning template to the next revision instead of creating one (rollback)', async () => {
    const v1 = await createRevision(ds, 'h1', 1);
    const v2 = await createRevision(withTemplateImage('foo/bar:2'), 'h2', 2);
    const history = await constructHistory(client, ds, [v1, v2]);
    assert.equal(history.hash, 'h1');
    assert.deepEqual((await listRevisions()).map((r) => [r.metadata.name, r.revision]), [['foo-h2', 2], ['foo-h1', 3]]);
  });

  it('folds duplicates of the current revision into the highest, relabelling every pod that differs', async () => {
    const low = await createRevision(ds, 'h-low', 2);
    const high = await createRevision(ds, 'h-high', 4);
    const old = await createRevision(withTemplateImage('foo/bar:0'), 'h-old', 1);
    await createPod('current', 'h-low');
    await createPod('genuinely-old', 'h-old');
    await createPod('already', 'h-high');
    let asked = 0;
    const getDaemonPods = async () => (asked++, (await client.list<Pod>(refs.pods, { namespace: 'default' })).items);
    const history = await constructHistory(client, ds, [low, high, old], { getDaemonPods });
    assert.equal(asked, 1);
    assert.deepEqual([history.hash, history.current.revision, history.old.map((r) => r.metadata.name)], ['h-high', 4, ['foo-h-old']]);
    assert.deepEqual((await listRevisions()).map((r) => r.metadata.name), ['foo-h-old', 'foo-h-high']);
    const pods = (await client.list<Pod>(refs.pods, { namespace: 'default' })).items;
    // Upstream relabels genuinely old pods too.
    assert.deepEqual(pods.map((p) => [p.metadata.name, p.metadata.labels!['controller-revision-hash']]).sort(), [
      ['already', 'h-high'],
      ['current', 'h-high'],
      ['genuinely-old', 'h-high'],
    ]);
  });

  it('keeps the last seen of equally numbered duplicates', async () => {
    const a = await createRevision(ds, 'a', 3);
    const b = await createRevision(ds, 'b', 3);
    const kept = await dedupCurHistories(client, ds, [a, b], async () => []);
    assert.equal(kept.metadata.name, 'foo-b');
  });

  it('does not ask for pods when there is one current revision', async () => {
    const only = await createRevision(ds, 'a', 1);
    const kept = await dedupCurHistories(client, ds, [only], () => Promise.reject(new Error('asked')));
    assert.equal(kept, only);
  });

  it('refuses to bump a collisionCount that changed meanwhile', async () => {
    const squatter = newControllerRevision(withTemplateImage('other'), computeHash(ds.spec.template), 1);
    await client.create(refs.controllerrevisions, 'default', squatter);
    const fresh = await client.get<DaemonSet>(refs.daemonsets, 'default', 'foo');
    await client.update(refs.daemonsets, 'default', { ...fresh, status: { ...fresh.status!, collisionCount: 5 } }, { subresource: 'status' });
    await assert.rejects(constructHistory(client, ds, []), { name: 'HashCollisionError', message: /stale collision count/ });
    assert.equal((await client.get<DaemonSet>(refs.daemonsets, 'default', 'foo')).status?.collisionCount, 5);
  });

  it('cleans old revisions up to revisionHistoryLimit, keeping those live pods carry', async () => {
    const old = [];
    for (let n = 1; n <= 5; n++) old.push(await createRevision(withTemplateImage(`foo/bar:${n}`), `h${n}`, n));
    await createRevision(ds, 'h6', 6);
    const pods = [await createPod('p1', 'h1'), await createPod('p3', 'h3')];
    const unpinned = await client.create<Pod>(refs.pods, 'default', {
      metadata: { name: 'nowhere', namespace: 'default', labels: { ...simpleDaemonSetLabel, 'controller-revision-hash': 'h2' } },
      spec: { containers: [{ name: 'foo', image: 'foo/bar' }] },
    });
    await cleanupHistory(client, { ...ds, spec: { ...ds.spec, revisionHistoryLimit: 2 } }, old, [...pods, unpinned]);
    // 5 old, limit 2: three go, lowest first, skipping h1 and h3; the pod without a node does not keep h2.
    assert.deepEqual((await listRevisions()).map((r) => r.metadata.name), ['foo-h1', 'foo-h3', 'foo-h6']);
  });

  it('uses the default limit of 10', async () => {
    const old = [];
    for (let n = 1; n <= 11; n++) old.push(await createRevision(withTemplateImage(`foo/bar:${n}`), `h${n}`, n));
    const { revisionHistoryLimit: _, ...spec } = ds.spec;
    await cleanupHistory(client, { ...ds, spec }, old, []);
    assert.deepEqual((await listRevisions()).map((r) => r.metadata.name)[0], 'foo-h2');
    assert.equal((await listRevisions()).length, 10);
  });
});
