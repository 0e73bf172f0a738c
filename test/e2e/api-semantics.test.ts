/**
 * kube-apiserver semantics over HTTP: resourceVersion and generation, optimistic concurrency, status
 * separation, watch rules, selectors, paging, dry run, field validation, finalizers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';
import { WatchReader, request } from '../../src/testing/http.js';

const dsPath = '/apis/apps/v1/namespaces/default/daemonsets';
const cmPath = '/api/v1/namespaces/default/configmaps';

const daemonSet = (name: string, image = 'busybox:1.36') => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
  },
});

describe('API semantics', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab();
  });
  after(async () => {
    await lab?.stop();
  });

  it('create sets uid, creationTimestamp, resourceVersion and generation 1; status is reset', async () => {
    const body = { ...daemonSet('gen'), status: { desiredNumberScheduled: 7, currentNumberScheduled: 7, numberMisscheduled: 0, numberReady: 7 } };
    const created = await request(lab.url, 'POST', dsPath, body);
    assert.equal(created.status, 201);
    const ds = created.json;
    assert.match(ds.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(ds.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Number(ds.metadata.resourceVersion) > 0);
    assert.equal(ds.metadata.generation, 1);
    assert.equal(ds.status.desiredNumberScheduled, 0);
  });

  it('generation goes up on spec changes only; metadata changes keep it', async () => {
    const path = `${dsPath}/gen`;
    const labelled = await request(lab.url, 'PATCH', path, { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
    assert.equal(labelled.json.metadata.generation, 1);
    const changed = await request(lab.url, 'PATCH', path, { spec: { minReadySeconds: 3 } }, 'application/merge-patch+json');
    assert.equal(changed.json.metadata.generation, 2);
    assert.equal(changed.json.metadata.annotations['deprecated.daemonset.template.generation'], '1');
    const template = await request(lab.url, 'PATCH', path, { spec: { template: { metadata: { labels: { app: 'gen', v: '2' } } } } }, 'application/merge-patch+json');
    assert.equal(template.json.metadata.generation, 3);
    assert.equal(template.json.metadata.annotations['deprecated.daemonset.template.generation'], '2');
  });

  it('a no-op write keeps the resourceVersion', async () => {
    const path = `${dsPath}/gen`;
    // Once the DaemonSet controller has caught up with the last change, nothing else writes it.
    let before = (await request(lab.url, 'GET', path)).json;
    for (let tries = 0; before.status?.observedGeneration !== before.metadata.generation; tries++) {
      assert.ok(tries < 100, 'the controller observes the last generation');
      await new Promise((resolve) => setTimeout(resolve, 50));
      before = (await request(lab.url, 'GET', path)).json;
    }
    const same = await request(lab.url, 'PATCH', path, { spec: { minReadySeconds: 3 } }, 'application/merge-patch+json');
    assert.equal(same.json.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('status writes go through /status only', async () => {
    const path = `${dsPath}/gen`;
    const current = (await request(lab.url, 'GET', path)).json;
    const viaMain = await request(lab.url, 'PUT', path, { ...current, status: { ...current.status, numberReady: 5 } });
    assert.equal(viaMain.status, 200);
    assert.equal(viaMain.json.status.numberReady, 0);
    const viaStatus = await request(lab.url, 'PUT', `${path}/status`, { ...viaMain.json, spec: { ...viaMain.json.spec, minReadySeconds: 99 }, status: { ...viaMain.json.status, numberReady: 5 } });
    assert.equal(viaStatus.status, 200);
    assert.equal(viaStatus.json.status.numberReady, 5);
    assert.equal(viaStatus.json.spec.minReadySeconds, 3);
    const negative = await request(lab.url, 'PATCH', `${path}/status`, { status: { numberReady: -1 } }, 'application/merge-patch+json');
    assert.equal(negative.status, 422);
  });

  it('a stale resourceVersion is 409 Conflict; of concurrent updates exactly one wins', async () => {
    const path = `${dsPath}/gen`;
    const current = (await request(lab.url, 'GET', path)).json;
    const updates = Array.from({ length: 8 }, (_, i) =>
      request(lab.url, 'PUT', path, { ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, writer: String(i) } } }),
    );
    const results = await Promise.all(updates);
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    const losers = results.filter((r) => r.status === 409);
    assert.equal(losers.length, 7);
    assert.equal(losers[0].json.reason, 'Conflict');
    assert.match(losers[0].json.message, /^Operation cannot be fulfilled on daemonsets.apps "gen": the object has been modified; please apply your changes to the latest version and try again$/);
  });

  it('a patch carrying a stale resourceVersion is 409 Conflict', async () => {
    const stale = await request(lab.url, 'PATCH', `${dsPath}/gen`, { metadata: { resourceVersion: '1', labels: { late: 'yes' } } }, 'application/merge-patch+json');
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
  });

  it('nodes filter on spec.unschedulable', async () => {
    const nodes = '/api/v1/nodes';
    await request(lab.url, 'POST', nodes, { metadata: { name: 'open' } });
    await request(lab.url, 'POST', nodes, { metadata: { name: 'cordoned' }, spec: { unschedulable: true } });
    const schedulable = await request(lab.url, 'GET', `${nodes}?fieldSelector=spec.unschedulable%3Dfalse`);
    assert.deepEqual(schedulable.json.items.map((n: { metadata: { name: string } }) => n.metadata.name), ['open']);
    const cordoned = await request(lab.url, 'GET', `${nodes}?fieldSelector=spec.unschedulable!%3Dfalse`);
    assert.deepEqual(cordoned.json.items.map((n: { metadata: { name: string } }) => n.metadata.name), ['cordoned']);
  });

  it('watch from 0 replays current objects as ADDED; from a given RV only later events', async () => {
    await request(lab.url, 'POST', cmPath, { metadata: { name: 'w1' }, data: { a: '1' } });
    const list = (await request(lab.url, 'GET', cmPath)).json;
    const fromZero = new WatchReader(lab.url, `${cmPath}?watch=true&resourceVersion=0`);
    const fromList = new WatchReader(lab.url, `${cmPath}?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    const first = await fromZero.next();
    assert.equal(first.type, 'ADDED');
    assert.equal(first.object.metadata.name, 'w1');
    await request(lab.url, 'PATCH', `${cmPath}/w1`, { data: { a: '2' } }, 'application/merge-patch+json');
    const change = await fromList.next();
    assert.equal(change.type, 'MODIFIED');
    assert.equal(change.object.data.a, '2');
    assert.equal((await fromZero.next()).type, 'MODIFIED');
    await request(lab.url, 'DELETE', `${cmPath}/w1`);
    const deleted = await fromList.next();
    assert.equal(deleted.type, 'DELETED');
    assert.ok(Number(deleted.object.metadata.resourceVersion) > Number(change.object.metadata.resourceVersion));
    fromZero.close();
    fromList.close();
  });

  it('watch with a label selector sees objects enter and leave it', async () => {
    const reader = new WatchReader(lab.url, `${cmPath}?watch=true&labelSelector=${encodeURIComponent('team in (a)')}&resourceVersion=${(await request(lab.url, 'GET', cmPath)).json.metadata.resourceVersion}`);
    await request(lab.url, 'POST', cmPath, { metadata: { name: 'sel', labels: { team: 'b' } } });
    await request(lab.url, 'PATCH', `${cmPath}/sel`, { metadata: { labels: { team: 'a' } } }, 'application/merge-patch+json');
    assert.equal((await reader.next()).type, 'ADDED');
    await request(lab.url, 'PATCH', `${cmPath}/sel`, { metadata: { labels: { team: 'c' } } }, 'application/merge-patch+json');
    assert.equal((await reader.next()).type, 'DELETED');
    reader.close();
  });

  it('watch honours timeoutSeconds and sends bookmarks when asked', async () => {
    const started = Date.now();
    const reader = new WatchReader(lab.url, `${cmPath}?watch=true&timeoutSeconds=1&resourceVersion=${(await request(lab.url, 'GET', cmPath)).json.metadata.resourceVersion}`);
    await reader.ended;
    assert.ok(Date.now() - started < 5000);
  });

  it('field selectors: metadata.name on every resource, unsupported fields are 400', async () => {
    const byName = await request(lab.url, 'GET', `${dsPath}?fieldSelector=metadata.name%3Dgen`);
    assert.deepEqual(byName.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['gen']);
    const events = await request(lab.url, 'GET', '/api/v1/events?fieldSelector=involvedObject.namespace%3D,involvedObject.uid%3Dx');
    assert.equal(events.status, 200);
    const bad = await request(lab.url, 'GET', `${dsPath}?fieldSelector=spec.nope%3D1`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, '"spec.nope" is not a known field selector: only "metadata.name", "metadata.namespace"');
    const badPod = await request(lab.url, 'GET', '/api/v1/pods?fieldSelector=spec.nope%3D1');
    assert.equal(badPod.status, 400);
    assert.match(badPod.json.message, /field label not supported: spec.nope/);
  });

  it('lists page with limit and continue', async () => {
    for (let i = 0; i < 5; i++) await request(lab.url, 'POST', cmPath, { metadata: { name: `page-${i}` } });
    const names: string[] = [];
    let token = '';
    do {
      const page = await request(lab.url, 'GET', `${cmPath}?labelSelector=&limit=2${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      names.push(...page.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      token = page.json.metadata.continue ?? '';
    } while (token);
    for (let i = 0; i < 5; i++) assert.ok(names.includes(`page-${i}`));
    assert.equal(new Set(names).size, names.length);
  });

  it('dryRun=All validates and answers without storing', async () => {
    const dry = await request(lab.url, 'POST', `${cmPath}?dryRun=All`, { metadata: { name: 'dry' } });
    assert.equal(dry.status, 201);
    assert.equal((await request(lab.url, 'GET', `${cmPath}/dry`)).status, 404);
  });

  it('fieldValidation: Strict rejects unknown fields, Warn warns, Ignore drops silently', async () => {
    const strict = await request(lab.url, 'POST', `${cmPath}?fieldValidation=Strict`, { metadata: { name: 'strict' }, bogus: 1 });
    assert.equal(strict.status, 400);
    assert.match(strict.json.message, /strict decoding error: unknown field "bogus"/);
    const warn = await request(lab.url, 'POST', `${cmPath}?fieldValidation=Warn`, { metadata: { name: 'warn' }, bogus: 1 });
    assert.equal(warn.status, 201);
    assert.match(warn.headers.get('warning') ?? '', /unknown field \\"bogus\\"/);
    assert.equal(warn.json.bogus, undefined);
  });

  it('finalizers: delete only marks; removing the last finalizer deletes', async () => {
    await request(lab.url, 'POST', cmPath, { metadata: { name: 'fin', finalizers: ['example.com/hold'] } });
    const marked = await request(lab.url, 'DELETE', `${cmPath}/fin`);
    assert.equal(marked.status, 200);
    assert.ok(marked.json.metadata.deletionTimestamp);
    assert.equal((await request(lab.url, 'GET', `${cmPath}/fin`)).status, 200);
    const released = await request(lab.url, 'PATCH', `${cmPath}/fin`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(released.status, 200);
    assert.equal((await request(lab.url, 'GET', `${cmPath}/fin`)).status, 404);
  });

  it('delete preconditions and a protobuf DeleteOptions body', async () => {
    await request(lab.url, 'POST', cmPath, { metadata: { name: 'pre' } });
    const wrongUid = await request(lab.url, 'DELETE', `${cmPath}/pre`, { preconditions: { uid: 'nope' } });
    assert.equal(wrongUid.status, 409);
    const protobuf = await fetch(`${lab.url}${cmPath}/pre`, {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
      // What drain's fallback sends, captured from kubectl 1.32.
      body: readFileSync(join(import.meta.dirname, '../../src/apiserver/protobuf/testdata/deleteoptions-empty.pb')),
    });
    assert.equal(protobuf.status, 200);
    assert.equal((await request(lab.url, 'GET', `${cmPath}/pre`)).status, 404);
  });

  it('delete preconditions fail with upstream\'s words, naming the kind', async () => {
    const created = (await request(lab.url, 'POST', dsPath, daemonSet('pre-ds'))).json;
    const wrongUid = await request(lab.url, 'DELETE', `${dsPath}/pre-ds`, { preconditions: { uid: 'nope' } });
    assert.equal(wrongUid.status, 409);
    assert.equal(wrongUid.json.message, `Operation cannot be fulfilled on DaemonSet.apps "pre-ds": the UID in the precondition (nope) does not match the UID in record (${created.metadata.uid}). The object might have been deleted and then recreated`);
    assert.deepEqual(wrongUid.json.details, { name: 'pre-ds', group: 'apps', kind: 'DaemonSet' });
    const wrongVersion = await request(lab.url, 'DELETE', `${dsPath}/pre-ds`, { preconditions: { resourceVersion: '1' } });
    // The DaemonSet controller writes the status meanwhile: the record's version is whatever it is now.
    assert.match(wrongVersion.json.message, /^Operation cannot be fulfilled on DaemonSet\.apps "pre-ds": the ResourceVersion in the precondition \(1\) does not match the ResourceVersion in record \(\d+\)\. The object might have been modified$/);
  });

  it('options upstream refuses are 422 with its messages, and a refused DELETE deletes nothing', async () => {
    await request(lab.url, 'POST', cmPath, { metadata: { name: 'opts' } });
    const cases: [string, string, string, unknown, string][] = [
      ['DELETE', `${cmPath}/opts?dryRun=Some`, 'application/json', undefined, 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"'],
      ['DELETE', `${cmPath}/opts?propagationPolicy=Bogus`, 'application/json', undefined, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Bogus": supported values: "Foreground", "Background", "Orphan", "nil"'],
      ['DELETE', `${cmPath}/opts`, 'application/json', { orphanDependents: true, propagationPolicy: 'Background' }, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set'],
      ['POST', `${cmPath}?fieldValidation=Bogus`, 'application/json', { metadata: { name: 'x' } }, 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"'],
      ['PATCH', `${cmPath}/opts?force=true`, 'application/merge-patch+json', { data: { a: 'b' } }, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch'],
      ['PATCH', `${cmPath}/opts`, 'application/apply-patch+yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: opts}\n', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'],
    ];
    for (const [method, path, contentType, body, message] of cases) {
      const answer = await request(lab.url, method, path, body, contentType);
      assert.equal(answer.status, 422, `${method} ${path}`);
      assert.equal(answer.json.reason, 'Invalid');
      assert.equal(answer.json.message, message);
      assert.equal(answer.json.details.group, 'meta.k8s.io');
    }
    assert.equal((await request(lab.url, 'GET', `${cmPath}/opts`)).status, 200, 'still there');
  });

  it('across all namespaces only list and watch are served: POST and DELETE are 405', async () => {
    for (const method of ['POST', 'DELETE']) {
      const answer = await request(lab.url, method, '/api/v1/configmaps', method === 'POST' ? { metadata: { name: 'x', namespace: 'default' } } : undefined);
      assert.equal(answer.status, 405, method);
      assert.equal(answer.json.reason, 'MethodNotAllowed');
    }
    assert.equal((await request(lab.url, 'GET', '/api/v1/configmaps')).status, 200);
  });

  it('default, kube-system and kube-public may not be deleted; creating in a terminating namespace names the object', async () => {
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const answer = await request(lab.url, 'DELETE', `/api/v1/namespaces/${name}?dryRun=All`);
      assert.equal(answer.status, 403, name);
      assert.equal(answer.json.message, `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    await request(lab.url, 'POST', '/api/v1/namespaces', { metadata: { name: 'leaving' } });
    await request(lab.url, 'POST', '/api/v1/namespaces/leaving/configmaps', { metadata: { name: 'hold', finalizers: ['example.com/hold'] } });
    assert.equal((await request(lab.url, 'DELETE', '/api/v1/namespaces/leaving')).status, 200);
    const refused = await request(lab.url, 'POST', '/api/v1/namespaces/leaving/configmaps', { metadata: { name: 'late' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, 'configmaps "late" is forbidden: unable to create new content in namespace leaving because it is being terminated');
    assert.deepEqual(refused.json.details.causes, [{ reason: 'NamespaceTerminating', message: 'namespace leaving is being terminated', field: 'metadata.namespace' }]);
    await request(lab.url, 'PATCH', '/api/v1/namespaces/leaving/configmaps/hold', { metadata: { finalizers: null } }, 'application/merge-patch+json');
  });

  it('an update names the object, keeps its uid and adds no finalizer to an object being deleted', async () => {
    const created = (await request(lab.url, 'POST', cmPath, { metadata: { name: 'meta', finalizers: ['example.com/hold'] } })).json;
    const nameless = await request(lab.url, 'PUT', `${cmPath}/meta`, { metadata: {}, data: { a: 'b' } });
    assert.equal(nameless.status, 400);
    assert.equal(nameless.json.message, 'the name of the object (meta based on URL) was undeterminable: name must be provided');
    const unnamed = await request(lab.url, 'PATCH', `${cmPath}/meta`, [{ op: 'remove', path: '/metadata/name' }], 'application/json-patch+json');
    assert.equal(unnamed.json.message, 'the name of the object (meta based on URL) was undeterminable: name must be provided');
    const staleUid = await request(lab.url, 'PUT', `${cmPath}/meta`, { metadata: { name: 'meta', uid: 'zzz' } });
    assert.equal(staleUid.status, 409);
    assert.equal(staleUid.json.message, `Operation cannot be fulfilled on configmaps "meta": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/meta, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: zzz, UID in object meta: ${created.metadata.uid}`);
    const newUid = await request(lab.url, 'PATCH', `${cmPath}/meta`, { metadata: { uid: 'zzz' } }, 'application/merge-patch+json');
    assert.equal(newUid.status, 422);
    assert.equal(newUid.json.message, 'ConfigMap "meta" is invalid: metadata.uid: Invalid value: "zzz": field is immutable');

    await request(lab.url, 'DELETE', `${cmPath}/meta`);
    const more = await request(lab.url, 'PATCH', `${cmPath}/meta`, { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } }, 'application/merge-patch+json');
    assert.equal(more.status, 422);
    assert.equal(more.json.message, 'ConfigMap "meta" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/new"}');
    const released = await request(lab.url, 'PATCH', `${cmPath}/meta`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(released.status, 200, 'removing finalizers is allowed');
  });

  it('server-side apply creates only what the URL names, and refuses what upstream refuses', async () => {
    const apply = (name: string, yaml: string) => request(lab.url, 'PATCH', `${cmPath}/${name}?fieldManager=test`, yaml, 'application/apply-patch+yaml');
    const otherName = await apply('applied', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n');
    assert.equal(otherName.status, 400);
    assert.equal(otherName.json.message, 'the name of the object (other) does not match the name on the URL (applied)');
    assert.equal((await request(lab.url, 'GET', `${cmPath}/other`)).status, 404, 'nothing created under the body\'s name');
    const withUid = await apply('applied', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, uid: abc}\n');
    assert.equal(withUid.status, 409);
    assert.equal(withUid.json.message, 'Operation cannot be fulfilled on configmaps "applied": uid mismatch: the provided object specified uid abc, and no existing object was found');
    const noVersion = await apply('applied', 'kind: ConfigMap\nmetadata: {name: applied}\n');
    assert.equal(noVersion.json.message, 'Incorrect version specified in apply patch. Specified patch version: , expected: v1');
    const managed = await apply('applied', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, managedFields: [{manager: x}]}\n');
    assert.equal(managed.json.message, 'metadata.managedFields must be nil');
    const created = await apply('applied', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {a: b}\n');
    assert.equal(created.status, 201);
  });

  it('a patch that gives a field the wrong type is 422 on the field patch, as kubectl prints it', async () => {
    await request(lab.url, 'POST', dsPath, daemonSet('typed'));
    const strategic = await lab.kubectl(['patch', 'ds', 'typed', '-p', '{"spec":{"minReadySeconds":"abc"}}']);
    assert.equal(strategic.code, 1);
    assert.equal(strategic.stderr.trim(), 'The request is invalid: patch: Invalid value: "map[spec:map[minReadySeconds:abc]]": unrecognized type: int32');
    const merge = await request(lab.url, 'PATCH', `${dsPath}/typed`, { spec: { minReadySeconds: 'abc' } }, 'application/merge-patch+json');
    assert.equal(merge.status, 422);
    assert.deepEqual(merge.json.details.causes.map((c: { field: string }) => c.field), ['patch']);
    assert.match(merge.json.message, /^ "" is invalid: patch: Invalid value: "\{.*\}": json: cannot unmarshal string into Go struct field DaemonSetSpec\.spec\.minReadySeconds of type int32$/);
  });

  it('a Lease is created by PUT and updated only with its resourceVersion, as upstream\'s lease strategy says', async () => {
    const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'put-made' }, spec: { holderIdentity: 'a' } };
    assert.equal((await request(lab.url, 'PUT', `${leases}/put-made`, lease)).status, 201);
    const unconditional = await request(lab.url, 'PUT', `${leases}/put-made`, { ...lease, spec: { holderIdentity: 'b' } });
    assert.equal(unconditional.status, 422);
    assert.equal(unconditional.json.message, 'Lease.coordination.k8s.io "put-made" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    assert.equal((await request(lab.url, 'PUT', `${cmPath}/never-made`, { metadata: { name: 'never-made' } })).status, 404, 'a ConfigMap is not');
  });

  it('resourceVersionMatch needs a resourceVersion and a known value', async () => {
    const without = await request(lab.url, 'GET', `${cmPath}?resourceVersionMatch=NotOlderThan`);
    assert.equal(without.status, 422);
    assert.equal(without.json.message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    const unknown = await request(lab.url, 'GET', `${cmPath}?resourceVersionMatch=Bogus&resourceVersion=0`);
    assert.equal(unknown.json.message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""');
    assert.equal((await request(lab.url, 'GET', `${cmPath}?resourceVersionMatch=NotOlderThan&resourceVersion=0`)).status, 200);
  });

  it('pods bind once through pods/binding', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    await request(lab.url, 'POST', pods, { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const bound = await request(lab.url, 'POST', `${pods}/p1/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'node-9' } });
    assert.equal(bound.status, 201);
    const pod = (await request(lab.url, 'GET', `${pods}/p1`)).json;
    assert.equal(pod.spec.nodeName, 'node-9');
    assert.equal(pod.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled').status, 'True');
    const onNode = await request(lab.url, 'GET', `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=node-9,status.phase!=Succeeded,status.phase!=Failed')}`);
    assert.deepEqual(onNode.json.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['p1']);
    const elsewhere = await request(lab.url, 'GET', `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=node-1')}`);
    assert.equal(elsewhere.json.items.length, 0);
    const again = await request(lab.url, 'POST', `${pods}/p1/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'node-8' } });
    assert.equal(again.status, 409);
  });

  it('discovery: aggregated only when asked, legacy /api/v1 advertises pods/eviction', async () => {
    const agg = await fetch(`${lab.url}/apis`, { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(agg.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const legacy = await fetch(`${lab.url}/apis`, { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(((await legacy.json()) as { kind: string }).kind, 'APIGroupList');
    const v1 = (await request(lab.url, 'GET', '/api/v1')).json;
    const eviction = v1.resources.find((r: { name: string }) => r.name === 'pods/eviction');
    assert.deepEqual([eviction.group, eviction.version, eviction.kind], ['policy', 'v1', 'Eviction']);
    // OpenAPI v2 is an empty Swagger document: protobuf for kubectl, JSON otherwise (docs/differences.md).
    const v2 = await fetch(`${lab.url}/openapi/v2`, { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    assert.deepEqual([...new Uint8Array(await v2.arrayBuffer())], [0x0a, 0x03, 0x32, 0x2e, 0x30], 'protobuf field 1: swagger "2.0"');
    assert.equal(((await request(lab.url, 'GET', '/openapi/v2')).json as { swagger: string }).swagger, '2.0');
    for (const path of ['/healthz', '/livez', '/readyz']) assert.equal(await (await fetch(`${lab.url}${path}`)).text(), 'ok');
  });
});
