import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, Toleration } from '../../api/types.js';
import { addDefaultTolerations } from './default-toleration-seconds.js';

const notReady300: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable300: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

describe('addDefaultTolerations()', () => {
  const cases: { name: string; tolerations?: Toleration[]; want: Toleration[] }[] = [
    { name: 'none: both, 300 s each', want: [notReady300, unreachable300] },
    {
      name: 'other tolerations stay first',
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      want: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, notReady300, unreachable300],
    },
    {
      name: 'a toleration of its own for one taint keeps its time; only the other is added',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 }, notReady300],
    },
    {
      name: 'DaemonSet pods tolerate both without a limit: nothing added',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      ],
      want: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      ],
    },
    { name: 'an empty key with no effect tolerates everything', tolerations: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
    { name: 'an empty key with NoExecute tolerates both', tolerations: [{ operator: 'Exists', effect: 'NoExecute' }], want: [{ operator: 'Exists', effect: 'NoExecute' }] },
    {
      name: 'a NoSchedule toleration of the same key does not count',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, notReady300, unreachable300],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ...(c.tolerations ? { tolerations: c.tolerations } : {}) } };
      addDefaultTolerations(pod);
      assert.deepEqual(pod.spec.tolerations, c.want);
    });
  }
});
