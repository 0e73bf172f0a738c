/**
 * The pure arithmetic of PodDisruptionBudget status, table by table (upstream: the cases of
 * TestPodDisruptionBudget*, TestBasicFinderFunctions and friends in disruption_test.go).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition, IntOrString, OwnerReference, Pod, PodDisruptionBudget } from '../../api/types.js';
import {
  buildDisruptedPodMap,
  countHealthyPods,
  deletionTimeoutMs,
  disruptionsAllowed,
  failSafeStatus,
  getExpectedPodCount,
  getScaledValueFromIntOrPercent,
  goLabelSelectorString,
  nextBudgetStatus,
  staleDisruptionCondition,
  unmanagedPodsMessage,
  type ScaleFinder,
} from './budget.js';
import { findServedControllerScale } from './scale.js';

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function owner(uid: string, kind = 'ReplicaSet', apiVersion = 'apps/v1'): OwnerReference {
  return { apiVersion, kind, name: `owner-${uid}`, uid, controller: true };
}

function pod(name: string, options: { ready?: boolean; owner?: OwnerReference; deleting?: boolean; conditions?: Condition[]; phase?: string } = {}): Pod {
  const conditions: Condition[] = options.conditions ?? [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ...(options.owner ? { ownerReferences: [options.owner] } : {}),
      ...(options.deleting ? { deletionTimestamp: at(t0) } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: (options.phase ?? 'Running') as 'Running', conditions },
  };
}

function budget(spec: { minAvailable?: IntOrString; maxUnavailable?: IntOrString }, status?: PodDisruptionBudget['status'], generation = 1): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'default', generation },
    spec: { ...spec, selector: { matchLabels: { app: 'web' } } },
    ...(status ? { status } : {}),
  };
}

/** Controllers `a` (scale 5) and `b` (scale 3); anything else has none. */
const scales: ScaleFinder = (ref) => {
  const known: Record<string, number> = { a: 5, b: 3 };
  return ref.uid in known ? { uid: ref.uid, scale: known[ref.uid]! } : undefined;
};

describe('getExpectedPodCount()', () => {
  const managed = (n: number, uid = 'a') => Array.from({ length: n }, (_, i) => pod(`${uid}-${i}`, { owner: owner(uid) }));
  const cases: {
    name: string;
    spec: { minAvailable?: IntOrString; maxUnavailable?: IntOrString };
    pods: Pod[];
    want: { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] };
  }[] = [
    { name: 'minAvailable as a number counts the selected pods', spec: { minAvailable: 2 }, pods: managed(3), want: { expectedCount: 3, desiredHealthy: 2, unmanagedPods: [] } },
    { name: 'minAvailable as a number ignores controllers (unmanaged pods too)', spec: { minAvailable: 1 }, pods: [pod('x'), pod('y')], want: { expectedCount: 2, desiredHealthy: 1, unmanagedPods: [] } },
    { name: 'minAvailable above the pod count', spec: { minAvailable: 5 }, pods: managed(3), want: { expectedCount: 3, desiredHealthy: 5, unmanagedPods: [] } },
    { name: 'minAvailable as a percentage of the scale rounds up (50% of 5 is 3)', spec: { minAvailable: '50%' }, pods: managed(2), want: { expectedCount: 5, desiredHealthy: 3, unmanagedPods: [] } },
    { name: 'minAvailable 0%', spec: { minAvailable: '0%' }, pods: managed(2), want: { expectedCount: 5, desiredHealthy: 0, unmanagedPods: [] } },
    { name: 'minAvailable 100%', spec: { minAvailable: '100%' }, pods: managed(5), want: { expectedCount: 5, desiredHealthy: 5, unmanagedPods: [] } },
    { name: 'maxUnavailable as a number', spec: { maxUnavailable: 1 }, pods: managed(5), want: { expectedCount: 5, desiredHealthy: 4, unmanagedPods: [] } },
    { name: 'maxUnavailable as a percentage rounds up (30% of 5 is 2)', spec: { maxUnavailable: '30%' }, pods: managed(5), want: { expectedCount: 5, desiredHealthy: 3, unmanagedPods: [] } },
    { name: 'maxUnavailable beyond the scale leaves 0 desired', spec: { maxUnavailable: 10 }, pods: managed(5), want: { expectedCount: 5, desiredHealthy: 0, unmanagedPods: [] } },
    { name: 'maxUnavailable 0 wants every pod', spec: { maxUnavailable: 0 }, pods: managed(5), want: { expectedCount: 5, desiredHealthy: 5, unmanagedPods: [] } },
    { name: 'each controller is counted once, scales add up', spec: { maxUnavailable: 1 }, pods: [...managed(2, 'a'), ...managed(2, 'b')], want: { expectedCount: 8, desiredHealthy: 7, unmanagedPods: [] } },
    { name: 'unmanaged pods are reported, not counted', spec: { maxUnavailable: 1 }, pods: [...managed(1), pod('loner')], want: { expectedCount: 5, desiredHealthy: 4, unmanagedPods: ['loner'] } },
    { name: 'only unmanaged pods: nothing expected', spec: { minAvailable: '50%' }, pods: [pod('x')], want: { expectedCount: 0, desiredHealthy: 0, unmanagedPods: ['x'] } },
    { name: 'no pods: nothing expected', spec: { maxUnavailable: 1 }, pods: [], want: { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] } },
    { name: 'neither bound', spec: {}, pods: managed(2), want: { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(getExpectedPodCount(budget(c.spec), c.pods, scales), c.want);
    });
  }

  it('fails for a pod whose controller is not found', () => {
    assert.throws(() => getExpectedPodCount(budget({ maxUnavailable: 1 }), [pod('p', { owner: owner('zzz') })], scales), { message: 'found no controllers for pod "p"' });
  });

  it('passes on a scale error, and does not look for scales for an integer minAvailable', () => {
    const failing: ScaleFinder = () => {
      throw new Error('daemonsets.apps does not implement the scale subresource');
    };
    const pods = [pod('p', { owner: owner('d', 'DaemonSet') })];
    assert.throws(() => getExpectedPodCount(budget({ maxUnavailable: 1 }), pods, failing), { message: 'daemonsets.apps does not implement the scale subresource' });
    assert.throws(() => getExpectedPodCount(budget({ minAvailable: '10%' }), pods, failing), { message: 'daemonsets.apps does not implement the scale subresource' });
    assert.deepEqual(getExpectedPodCount(budget({ minAvailable: 1 }), pods, failing), { expectedCount: 1, desiredHealthy: 1, unmanagedPods: [] });
  });
});

describe('getScaledValueFromIntOrPercent()', () => {
  const cases: { value: IntOrString; total: number; roundUp: boolean; want: number }[] = [
    { value: 3, total: 10, roundUp: true, want: 3 },
    { value: '25%', total: 5, roundUp: true, want: 2 },
    { value: '25%', total: 5, roundUp: false, want: 1 },
    { value: '100%', total: 7, roundUp: true, want: 7 },
    { value: '1%', total: 0, roundUp: true, want: 0 },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.value)} of ${c.total} (roundUp ${c.roundUp}) is ${c.want}`, () => {
      assert.equal(getScaledValueFromIntOrPercent(c.value, c.total, c.roundUp), c.want);
    });
  }
  it('refuses strings that are not percentages, with upstream words', () => {
    assert.throws(() => getScaledValueFromIntOrPercent('3', 5, true), { message: 'invalid value for IntOrString: invalid type: string is not a percentage' });
    assert.throws(() => getScaledValueFromIntOrPercent('x%', 5, true), { message: 'invalid value for IntOrString: strconv.Atoi: parsing "x": invalid syntax' });
  });
});

describe('disruptionsAllowed()', () => {
  const cases: { name: string; current: number; desired: number; expected: number; want: number }[] = [
    { name: 'healthy beyond desired', current: 3, desired: 1, expected: 3, want: 2 },
    { name: 'exactly desired', current: 2, desired: 2, expected: 3, want: 0 },
    { name: 'below desired is never negative', current: 1, desired: 3, expected: 3, want: 0 },
    { name: 'nothing expected allows nothing', current: 2, desired: 0, expected: 0, want: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(disruptionsAllowed(c.current, c.desired, c.expected), c.want));
  }
});

describe('countHealthyPods()', () => {
  const cases: { name: string; pods: Pod[]; disrupted?: Record<string, string>; want: number }[] = [
    { name: 'Ready pods count', pods: [pod('a'), pod('b')], want: 2 },
    { name: 'pods that are not Ready do not', pods: [pod('a'), pod('b', { ready: false }), pod('c', { conditions: [] })], want: 1 },
    { name: 'pods being deleted do not', pods: [pod('a'), pod('b', { deleting: true })], want: 1 },
    { name: 'pods just granted an eviction do not', pods: [pod('a'), pod('b')], disrupted: { b: at(t0 - 1000) }, want: 1 },
    { name: 'an eviction older than the deletion timeout no longer counts', pods: [pod('a'), pod('b')], disrupted: { b: at(t0 - deletionTimeoutMs - 1000) }, want: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(countHealthyPods(c.pods, c.disrupted ?? {}, t0), c.want));
  }
});

describe('buildDisruptedPodMap()', () => {
  it('keeps recent evictions of pods still here, drops the rest, and says when to look again', () => {
    const pods = [pod('recent'), pod('older'), pod('expired'), pod('deleting', { deleting: true })];
    const recorded = {
      recent: at(t0 - 10_000),
      older: at(t0 - 60_000),
      expired: at(t0 - deletionTimeoutMs - 1000),
      deleting: at(t0 - 1000),
      gone: at(t0 - 1000),
    };
    const result = buildDisruptedPodMap(pods, recorded, t0);
    assert.deepEqual(result.disruptedPods, { recent: recorded.recent, older: recorded.older });
    assert.equal(result.recheckAtMs, t0 - 60_000 + deletionTimeoutMs);
    assert.deepEqual(result.notDeleted.map((p) => p.metadata.name), ['expired']);
  });

  it('is empty without recorded evictions', () => {
    assert.deepEqual(buildDisruptedPodMap([pod('a')], undefined, t0), { disruptedPods: {}, notDeleted: [] });
  });
});

describe('nextBudgetStatus()', () => {
  const now = at(t0);
  const counts = { currentHealthy: 3, desiredHealthy: 2, expectedCount: 3, disruptedPods: {} };

  it('a fresh budget: counts, observedGeneration and DisruptionAllowed=True/SufficientPods', () => {
    const status = nextBudgetStatus(budget({ minAvailable: 2 }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }), counts, now);
    assert.deepEqual(status, {
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: now, reason: 'SufficientPods', message: '' }],
    });
  });

  it('nothing to write when the status is already right', () => {
    const current = nextBudgetStatus(budget({ minAvailable: 2 }), counts, now)!;
    assert.equal(nextBudgetStatus(budget({ minAvailable: 2 }, current), counts, at(t0 + 5000)), undefined);
  });

  it('a spec change (new generation) is written even with the same counts', () => {
    const current = nextBudgetStatus(budget({ minAvailable: 2 }), counts, now)!;
    const next = nextBudgetStatus(budget({ minAvailable: 2 }, current, 2), counts, at(t0 + 5000))!;
    assert.equal(next.observedGeneration, 2);
    assert.equal(next.conditions![0]!.observedGeneration, 2);
    assert.equal(next.conditions![0]!.lastTransitionTime, now, 'status unchanged: transition time kept');
  });

  it('running out of disruptions turns the condition False/InsufficientPods at a new transition time', () => {
    const current = nextBudgetStatus(budget({ minAvailable: 2 }), counts, now)!;
    const later = at(t0 + 5000);
    const next = nextBudgetStatus(budget({ minAvailable: 2 }, current), { ...counts, currentHealthy: 2 }, later)!;
    assert.equal(next.disruptionsAllowed, 0);
    assert.deepEqual(next.conditions, [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: later, reason: 'InsufficientPods', message: '' }]);
  });

  it('keeps recorded disruptions, and writes when they change', () => {
    const disrupted = { 'web-1': at(t0) };
    const current = nextBudgetStatus(budget({ minAvailable: 2 }), { ...counts, disruptedPods: disrupted }, now)!;
    assert.deepEqual(current.disruptedPods, disrupted);
    assert.equal(nextBudgetStatus(budget({ minAvailable: 2 }, current), { ...counts, disruptedPods: { ...disrupted } }, now), undefined);
    assert.ok(nextBudgetStatus(budget({ minAvailable: 2 }, current), counts, now));
  });

  it('replaces a SyncFailed condition once the budget can be computed again', () => {
    const failed = failSafeStatus(budget({ maxUnavailable: 1 }), 'boom', now);
    const next = nextBudgetStatus(budget({ minAvailable: 2 }, failed), counts, at(t0 + 1000))!;
    assert.deepEqual(next.conditions!.map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime]), [['DisruptionAllowed', 'True', 'SufficientPods', '', at(t0 + 1000)]]);
  });
});

describe('failSafeStatus()', () => {
  it('allows no disruption and says why, keeping the rest of the status', () => {
    const now = at(t0);
    const status = failSafeStatus(
      budget({ maxUnavailable: 1 }, { disruptionsAllowed: 2, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3, observedGeneration: 1 }),
      'daemonsets.apps does not implement the scale subresource',
      now,
    );
    assert.deepEqual(status, {
      disruptionsAllowed: 0,
      currentHealthy: 3,
      desiredHealthy: 1,
      expectedPods: 3,
      observedGeneration: 1,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: now, reason: 'SyncFailed', message: 'daemonsets.apps does not implement the scale subresource' }],
    });
  });

  it('on a budget never synced: zero counts and no observedGeneration', () => {
    const status = failSafeStatus(budget({ maxUnavailable: 1 }), 'x', at(t0));
    assert.equal(status.observedGeneration, undefined);
    assert.deepEqual([status.disruptionsAllowed, status.expectedPods], [0, 0]);
    assert.equal(status.conditions![0]!.observedGeneration, undefined);
  });
});

describe('staleDisruptionCondition()', () => {
  const target = (status: 'True' | 'False', sinceMs: number, reason = 'EvictionByEvictionAPI'): Condition => ({ type: 'DisruptionTarget', status, reason, lastTransitionTime: at(sinceMs) });
  const cases: { name: string; pod: Pod; want: { stale: boolean; cleanAfterMs: number } }[] = [
    { name: 'no condition', pod: pod('a'), want: { stale: false, cleanAfterMs: 0 } },
    { name: 'fresh condition: clean later', pod: pod('a', { conditions: [target('True', t0 - 30_000)] }), want: { stale: true, cleanAfterMs: 90_000 } },
    { name: 'old condition: clean now', pod: pod('a', { conditions: [target('True', t0 - 300_000)] }), want: { stale: true, cleanAfterMs: 0 } },
    { name: 'already False', pod: pod('a', { conditions: [target('False', t0 - 300_000)] }), want: { stale: false, cleanAfterMs: 0 } },
    { name: 'the pod is being deleted', pod: pod('a', { deleting: true, conditions: [target('True', t0 - 300_000)] }), want: { stale: false, cleanAfterMs: 0 } },
    { name: "the kubelet's own condition", pod: pod('a', { conditions: [target('True', t0 - 300_000, 'TerminationByKubelet')] }), want: { stale: false, cleanAfterMs: 0 } },
    { name: 'a terminal pod', pod: pod('a', { phase: 'Failed', conditions: [target('True', t0 - 300_000)] }), want: { stale: false, cleanAfterMs: 0 } },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(staleDisruptionCondition(c.pod, t0), c.want));
  }
});

describe('UnmanagedPods message', () => {
  it('prints the selector as Go prints a *metav1.LabelSelector', () => {
    assert.equal(goLabelSelectorString(undefined), 'nil');
    assert.equal(
      goLabelSelectorString({ matchLabels: { tier: 'a', app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['x', 'y'] }] }),
      '&LabelSelector{MatchLabels:map[string]string{app: web,tier: a,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,Values:[x y],},},}',
    );
    assert.match(unmanagedPodsMessage(budget({ maxUnavailable: 1 })), /^Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: web,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) were found to be unmanaged\./);
  });
});

describe('findServedControllerScale()', () => {
  const cases: { name: string; ref: OwnerReference; message: string }[] = [
    { name: 'DaemonSets have no scale subresource', ref: owner('d', 'DaemonSet'), message: 'daemonsets.apps does not implement the scale subresource' },
    { name: 'core kinds neither', ref: owner('c', 'ConfigMap', 'v1'), message: 'configmaps does not implement the scale subresource' },
    { name: 'kinds not served: the REST mapper error', ref: owner('r', 'ReplicaSet'), message: 'no matches for kind "ReplicaSet" in version "apps/v1"' },
    { name: 'a malformed apiVersion', ref: owner('x', 'Thing', 'a/b/c'), message: 'unexpected GroupVersion string: a/b/c' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.throws(() => findServedControllerScale(c.ref, 'default'), { message: c.message }));
  }
});
