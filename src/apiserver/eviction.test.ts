/**
 * POST pods/NAME/eviction over HTTP, against the API server alone: the tests write budget statuses
 * themselves (as the disruption controller would), so every answer follows from what they set up.
 * Upstream: TestEviction* in pkg/registry/core/pod/storage/eviction_test.go.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject, Pod, PodDisruptionBudget } from '../api/types.js';
import { MemoryStore } from '../store/index.js';
import { request, type JsonResponse } from '../testing/http.js';
import { findResource } from './resources.js';
import { ApiServer } from './server.js';

const ns = 'default';
const budgetMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

describe('pods/eviction', () => {
  let server: ApiServer;
  let base: string;

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    base = `http://127.0.0.1:${(await server.listen(0)).port}`;
  });

  afterEach(async () => {
    await server.close();
  });

  async function ok(method: string, path: string, body?: unknown, contentType?: string): Promise<JsonResponse> {
    const response = await request(base, method, path, body, contentType);
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${JSON.stringify(response.json)}`);
    return response;
  }

  /** A pod as a kubelet would have it: bound to node-1, in `phase`, Ready or not. */
  async function createPod(name: string, options: { labels?: Record<string, string>; phase?: string; ready?: boolean; bound?: boolean } = {}): Promise<Pod> {
    await ok('POST', `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: options.labels ?? { app: 'web' } },
      spec: { ...(options.bound === false ? {} : { nodeName: 'node-1' }), containers: [{ name: 'c', image: 'nginx' }] },
    });
    const phase = options.phase ?? 'Running';
    const ready = options.ready ?? phase === 'Running';
    const patch = { status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
    return (await ok('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, patch, 'application/merge-patch+json')).json as Pod;
  }

  /** A budget whose status says what the test wants (observed at its generation unless told otherwise). */
  async function createPdb(name: string, spec: PodDisruptionBudget['spec'], status: Partial<NonNullable<PodDisruptionBudget['status']>>): Promise<void> {
    await ok('POST', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec });
    const full = { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...status };
    await ok('PATCH', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/${name}/status`, { status: full }, 'application/merge-patch+json');
  }

  const evict = (name: string, extra: Record<string, unknown> = {}, query = '') =>
    request(base, 'POST', `/api/v1/namespaces/${ns}/pods/${name}/eviction${query}`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns }, ...extra });
  const getPod = async (name: string) => (await request(base, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`)).json as Pod & { code?: number };
  const getPdb = async (name: string) => (await request(base, 'GET', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/${name}`)).json as PodDisruptionBudget;
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

  it('a missing pod is 404', async () => {
    const response = await evict('nope');
    assert.equal(response.status, 404);
    assert.equal(response.json.message, 'pods "nope" not found');
  });

  it('without a budget the pod is marked DisruptionTarget and deleted gracefully: 201 Success', async () => {
    await createPod('web-1');
    const response = await evict('web-1');
    assert.equal(response.status, 201);
    assert.deepEqual(response.json, success);
    const pod = await getPod('web-1');
    assert.ok(pod.metadata.deletionTimestamp, 'marked for deletion');
    assert.equal(pod.metadata.deletionGracePeriodSeconds, 30);
    const target = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual({ ...target, lastTransitionTime: undefined }, { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: undefined, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
  });

  it('honours deleteOptions: gracePeriodSeconds 0 removes the pod at once; a wrong uid precondition is 409', async () => {
    await createPod('web-1');
    const conflict = await evict('web-1', { deleteOptions: { preconditions: { uid: 'not-it' } } });
    assert.equal(conflict.status, 409);
    assert.match(conflict.json.message, /^Operation cannot be fulfilled on Pod "web-1": the UID in the precondition \(not-it\) does not match the UID in record \(.+\)\. The object might have been deleted and then recreated$/);
    assert.equal((await evict('web-1', { deleteOptions: { gracePeriodSeconds: 0 } })).status, 201);
    assert.equal((await getPod('web-1')).code, 404);
  });

  it('dryRun (query or body) changes nothing', async () => {
    await createPod('web-1');
    await createPdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    const before = await getPdb('web');
    assert.equal((await evict('web-1', {}, '?dryRun=All')).status, 201);
    assert.equal((await evict('web-1', { deleteOptions: { dryRun: ['All'] } })).status, 201);
    const pod = await getPod('web-1');
    assert.equal(pod.metadata.deletionTimestamp, undefined);
    assert.equal(pod.status?.conditions?.some((c) => c.type === 'DisruptionTarget'), false);
    assert.equal((await getPdb('web')).metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('spends one disruption: disruptionsAllowed goes down, the pod is recorded, the condition turns at 0', async () => {
    await createPod('web-1');
    await createPod('web-2');
    await createPdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, {
      disruptionsAllowed: 1,
      currentHealthy: 2,
      desiredHealthy: 1,
      expectedPods: 2,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' }],
    });
    const response = await evict('web-1');
    assert.equal(response.status, 201);
    const status = (await getPdb('web')).status!;
    assert.equal(status.disruptionsAllowed, 0);
    assert.deepEqual(Object.keys(status.disruptedPods ?? {}), ['web-1']);
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'False', 'InsufficientPods']]);
    assert.ok((await getPod('web-1')).metadata.deletionTimestamp);
  });

  it('an exhausted budget is 429 TooManyRequests with the DisruptionBudget cause, and no Retry-After', async () => {
    await createPod('web-1');
    await createPdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 });
    const response = await evict('web-1');
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), null);
    assert.deepEqual(response.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: budgetMessage,
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] },
      code: 429,
    });
    assert.equal((await getPod('web-1')).metadata.deletionTimestamp, undefined);
  });

  it('a budget not yet observed at its generation is 429 "still being processed", with Retry-After: 10', async () => {
    await createPod('web-1');
    await createPdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, { observedGeneration: 0, disruptionsAllowed: 5 });
    const response = await evict('web-1');
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '10');
    assert.equal(response.json.message, budgetMessage);
    assert.deepEqual(response.json.details, { retryAfterSeconds: 10, causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web is still being processed by the server.' }] });
  });

  it('a negative disruptionsAllowed is 403', async () => {
    await createPod('web-1');
    // Validation keeps clients from writing a negative count; the store can still hold one.
    await createPdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 1 });
    const scope = { resource: findResource('policy', 'v1', 'poddisruptionbudgets')!, namespace: ns };
    const stored = server.registry.get(scope, 'web');
    await server.registry.replaceUnchecked(scope, stored, { ...stored.object, status: { ...(stored.object.status as object), disruptionsAllowed: -1 } } as KubeObject);
    const response = await evict('web-1');
    assert.equal(response.status, 403);
    assert.equal(response.json.message, 'poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative');
  });

  it('a pod under two budgets is 500, with upstream message and nothing deleted', async () => {
    await createPod('web-1');
    await createPdb('a', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 1 });
    await createPdb('b', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 1 });
    const response = await evict('web-1');
    assert.equal(response.status, 500);
    assert.deepEqual(response.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });
    assert.equal((await getPod('web-1')).metadata.deletionTimestamp, undefined);
  });

  it('a budget with an empty selector does not guard evictions (unlike for the controller)', async () => {
    await createPod('web-1');
    await createPdb('all', { minAvailable: 5, selector: {} }, { disruptionsAllowed: 0 });
    assert.equal((await evict('web-1')).status, 201);
  });

  it('pending, terminal and terminating pods are deleted whatever the budget says', async () => {
    await createPdb('web', { minAvailable: 5, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 5 });
    await createPod('pending', { phase: 'Pending', bound: false });
    await createPod('done', { phase: 'Succeeded' });
    await createPod('leaving');
    await ok('DELETE', `/api/v1/namespaces/${ns}/pods/leaving`);
    for (const name of ['pending', 'done', 'leaving']) assert.equal((await evict(name)).status, 201, name);
    assert.equal((await getPod('pending')).code, 404, 'an unbound pod goes at once');
    assert.equal((await getPod('done')).code, 404, 'a terminal pod has no grace period');
    assert.ok((await getPod('leaving')).metadata.deletionTimestamp);
  });

  describe('pods that are not Ready', () => {
    it('go without spending the budget when the budget is met', async () => {
      await createPod('sick', { ready: false });
      await createPdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
      assert.equal((await evict('sick')).status, 201);
      assert.equal((await getPdb('web')).status?.disruptionsAllowed, 0);
      assert.equal((await getPdb('web')).status?.disruptedPods, undefined);
    });

    it('are refused when the budget is not met (IfHealthyBudget, the default)', async () => {
      await createPod('sick', { ready: false });
      await createPdb('web', { minAvailable: 3, unhealthyPodEvictionPolicy: 'IfHealthyBudget', selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 3 });
      const response = await evict('sick');
      assert.equal(response.status, 429);
      assert.equal(response.json.details.causes[0].message, 'The disruption budget web needs 3 healthy pods and has 2 currently');
    });

    it('always go with unhealthyPodEvictionPolicy AlwaysAllow', async () => {
      await createPod('sick', { ready: false });
      await createPdb('web', { minAvailable: 3, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 3 });
      assert.equal((await evict('sick')).status, 201);
    });

    it('are refused (429) when they change between judgment and deletion and the client set no resourceVersion', async () => {
      await createPod('sick', { ready: false });
      await createPdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
      // The pod's kubelet reports again right after the eviction read it.
      const registry = server.registry;
      const original = registry.update.bind(registry);
      let raced = false;
      registry.update = async (scope, name, body, options) => {
        if (!raced && scope.resource.resource === 'pods') {
          raced = true;
          const current = registry.get({ resource: scope.resource, namespace: scope.namespace }, name);
          const pod = JSON.parse(current.json) as Pod;
          pod.status = { ...pod.status, conditions: [{ type: 'Ready', status: 'True' }] };
          await original({ ...scope, subresource: 'status' }, name, pod);
        }
        return original(scope, name, body, options);
      };
      const response = await evict('sick');
      assert.equal(response.status, 429);
      assert.equal(response.json.details.causes[0].message, 'The disruption budget web is still being processed by the server.');
      assert.equal((await getPod('sick')).metadata.deletionTimestamp, undefined);
    });
  });

  it('a budget write that loses a race is retried at once with the fresh budget', async () => {
    await createPod('web-1');
    await createPdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3 });
    const registry = server.registry;
    const original = registry.update.bind(registry);
    let budgetWrites = 0;
    registry.update = async (scope, name, body, options) => {
      if (scope.resource.resource === 'poddisruptionbudgets' && budgetWrites++ === 0) {
        // The disruption controller writes first: one more healthy pod.
        const current = registry.get({ resource: scope.resource, namespace: scope.namespace }, name);
        const pdb = JSON.parse(current.json) as PodDisruptionBudget;
        pdb.status = { ...pdb.status!, disruptionsAllowed: 2, currentHealthy: 4 };
        await original(scope, name, pdb);
      }
      return original(scope, name, body, options);
    };
    const started = Date.now();
    assert.equal((await evict('web-1')).status, 201);
    assert.ok(Date.now() - started < 500, 'no half-second pause before the retry');
    assert.equal(budgetWrites, 2);
    const status = (await getPdb('web')).status!;
    assert.deepEqual([status.disruptionsAllowed, status.currentHealthy, Object.keys(status.disruptedPods ?? {})], [1, 4, ['web-1']]);
  });

  describe('bad requests', () => {
    it('a name that differs from the URL is 400', async () => {
      await createPod('web-1');
      const response = await request(base, 'POST', `/api/v1/namespaces/${ns}/pods/web-1/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-2' } });
      assert.equal(response.status, 400);
      assert.equal(response.json.message, 'name in URL does not match name in Eviction object');
    });

    it('policy/v1beta1 is accepted; another group is 400', async () => {
      await createPod('web-1');
      const beta = await request(base, 'POST', `/api/v1/namespaces/${ns}/pods/web-1/eviction`, { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'web-1' } });
      assert.equal(beta.status, 201);
      await createPod('web-2');
      const wrong = await request(base, 'POST', `/api/v1/namespaces/${ns}/pods/web-2/eviction`, { apiVersion: 'apps/v1', kind: 'Eviction', metadata: { name: 'web-2' } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.json.message, 'the API version in the data (apps/v1) does not match the expected API version (policy/v1)');
    });

    it('unknown fields: a warning by default, 400 with fieldValidation=Strict', async () => {
      await createPod('web-1');
      const strict = await evict('web-1', { bogus: 1 }, '?fieldValidation=Strict');
      assert.equal(strict.status, 400);
      assert.equal(strict.json.message, 'Eviction in version "v1" cannot be handled as a Eviction: strict decoding error: unknown field "bogus"');
      const warned = await evict('web-1', { bogus: 1 });
      assert.equal(warned.status, 201);
      assert.equal(warned.headers.get('warning'), '299 - "unknown field \\"bogus\\""');
    });

    it('only POST', async () => {
      await createPod('web-1');
      assert.equal((await request(base, 'GET', `/api/v1/namespaces/${ns}/pods/web-1/eviction`)).status, 405);
    });
  });
});
