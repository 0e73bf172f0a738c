import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodSpec, Toleration } from '../../api/types.js';
import { addOrUpdateDaemonPodTolerations, addOrUpdateToleration } from './tolerations.js';

const automatic: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const networkUnavailable: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

function spec(extra: Partial<PodSpec> = {}): PodSpec {
  return { containers: [{ name: 'c', image: 'i' }], ...extra };
}

describe('addOrUpdateDaemonPodTolerations()', () => {
  const cases: { name: string; spec: PodSpec; want: Toleration[] }[] = [
    { name: 'adds the six automatic tolerations to a spec without any', spec: spec(), want: automatic },
    { name: 'adds network-unavailable for a hostNetwork pod', spec: spec({ hostNetwork: true }), want: [...automatic, networkUnavailable] },
    { name: 'does not add network-unavailable when hostNetwork is false', spec: spec({ hostNetwork: false }), want: automatic },
    {
      name: 'keeps user tolerations first, in their order',
      spec: spec({ tolerations: [{ key: 'b', operator: 'Exists' }, { key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] }),
      want: [{ key: 'b', operator: 'Exists' }, { key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }, ...automatic],
    },
    {
      name: 'replaces an identical user toleration in place, dropping its tolerationSeconds',
      spec: spec({
        tolerations: [
          { key: 'mine', operator: 'Exists' },
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
        ],
      }),
      want: [{ key: 'mine', operator: 'Exists' }, ...automatic],
    },
    {
      name: 'keeps a user toleration that differs in effect, and adds the automatic one',
      spec: spec({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] }),
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, ...automatic],
    },
    {
      name: 'keeps a user toleration that differs in operator (Equal), and adds the automatic one',
      spec: spec({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: '', effect: 'NoExecute', tolerationSeconds: 5 }] }),
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: '', effect: 'NoExecute', tolerationSeconds: 5 }, ...automatic],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(addOrUpdateDaemonPodTolerations(c.spec).tolerations, c.want);
    });
  }

  it('does not duplicate anything when applied twice', () => {
    const once = addOrUpdateDaemonPodTolerations(spec({ hostNetwork: true, tolerations: [{ key: 'x', operator: 'Exists' }] }));
    assert.deepEqual(addOrUpdateDaemonPodTolerations(once).tolerations, once.tolerations);
  });

  it('leaves the input spec untouched', () => {
    const input = spec({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] });
    const before = structuredClone(input);
    addOrUpdateDaemonPodTolerations(input);
    assert.deepEqual(input, before);
  });
});

describe('addOrUpdateToleration()', () => {
  it('replaces every identical entry', () => {
    const t: Toleration = { key: 'k', operator: 'Exists', effect: 'NoSchedule' };
    const got = addOrUpdateToleration([{ ...t, tolerationSeconds: 1 }, { ...t, tolerationSeconds: 2 }], t);
    assert.deepEqual(got, [t, t]);
  });
});
