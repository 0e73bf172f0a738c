import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, nodeToAdd, parseLabels, parseTaints } from './node.js';

describe('parseLabels()', () => {
  const cases: { name: string; text: string; want?: Record<string, string>; error?: RegExp }[] = [
    { name: 'pairs', text: 'disktype=ssd,zone=us-east-1a', want: { disktype: 'ssd', zone: 'us-east-1a' } },
    { name: 'a prefixed key and an empty value', text: 'example.com/role=', want: { 'example.com/role': '' } },
    { name: 'no equals sign', text: 'disktype', error: /invalid label "disktype": expected key=value/ },
    { name: 'an invalid value', text: 'a=b c', error: /invalid label "a=b c": a valid label must be/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) assert.throws(() => parseLabels(c.text), (e: unknown) => e instanceof UsageError && c.error!.test(e.message));
      else assert.deepEqual(parseLabels(c.text), c.want);
    });
  }
});

describe('parseTaints()', () => {
  const cases: { name: string; text: string; want?: unknown; error?: RegExp }[] = [
    { name: 'key=value:Effect', text: 'dedicated=monitoring:NoSchedule', want: [{ key: 'dedicated', value: 'monitoring', effect: 'NoSchedule' }] },
    { name: 'key:Effect without value', text: 'gpu:NoExecute', want: [{ key: 'gpu', effect: 'NoExecute' }] },
    { name: 'an unknown effect', text: 'a=b:Sometimes', error: /Effect one of NoSchedule, PreferNoSchedule, NoExecute/ },
    { name: 'no effect', text: 'a=b', error: /expected key\[=value\]:Effect/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) assert.throws(() => parseTaints(c.text), (e: unknown) => e instanceof UsageError && c.error!.test(e.message));
      else assert.deepEqual(parseTaints(c.text), c.want);
    });
  }
});

describe('nodeToAdd()', () => {
  it('builds a simulated node with labels, taints and capacity annotations', () => {
    const node = nodeToAdd('gpu-1', { labels: 'accelerator=nvidia-gpu', taints: 'gpu=true:NoSchedule', cpu: '8', memory: '32Gi', pods: '50' });
    assert.equal(node.metadata.labels?.accelerator, 'nvidia-gpu');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'gpu-1');
    assert.deepEqual(node.spec?.taints, [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]);
    assert.equal(node.metadata.annotations?.['everynode.dev/simulated'], 'true');
    assert.equal(node.metadata.annotations?.['everynode.dev/cpu'], '8');
    assert.equal(node.metadata.annotations?.['everynode.dev/memory'], '32Gi');
    assert.equal(node.metadata.annotations?.['everynode.dev/pods'], '50');
  });

  it('refuses a capacity that is not a quantity', () => {
    assert.throws(() => nodeToAdd('n', { memory: 'lots' }), /invalid quantity "lots" for memory/);
  });
});
