import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet, PodTemplateSpec } from '../../api/types.js';
import { createPodTemplate, getTemplateGeneration, newDaemonPod } from './pod-template.js';
import { newDaemonSet } from './testing.js';

describe('getTemplateGeneration()', () => {
  const withAnnotation = (value: string | undefined): DaemonSet =>
    newDaemonSet({}, value === undefined ? {} : { annotations: { 'deprecated.daemonset.template.generation': value } });
  const cases: { name: string; annotation: string | undefined; want: bigint | undefined }[] = [
    { name: 'reads a decimal integer', annotation: '3', want: 3n },
    { name: 'accepts a sign and leading zeros', annotation: '+007', want: 7n },
    { name: 'is undefined without the annotation', annotation: undefined, want: undefined },
    { name: 'is undefined for text', annotation: 'three', want: undefined },
    { name: 'is undefined beyond int64', annotation: '9223372036854775808', want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(getTemplateGeneration(withAnnotation(c.annotation)), c.want);
    });
  }
});

describe('createPodTemplate()', () => {
  const template: PodTemplateSpec = {
    metadata: { labels: { app: 'x', 'controller-revision-hash': 'stale' }, annotations: { a: 'b' } },
    spec: { containers: [{ name: 'c', image: 'i' }] },
  };
  const cases: { name: string; stamp: Parameters<typeof createPodTemplate>[1]; want: Record<string, string> }[] = [
    {
      name: 'adds the hash and generation labels, overwriting a stale hash',
      stamp: { hash: 'abc', templateGeneration: 2n },
      want: { app: 'x', 'controller-revision-hash': 'abc', 'pod-template-generation': '2' },
    },
    { name: 'leaves out the generation label without a generation', stamp: { hash: 'abc' }, want: { app: 'x', 'controller-revision-hash': 'abc' } },
    { name: 'adds no hash label for an empty hash', stamp: { hash: '', templateGeneration: 1 }, want: { app: 'x', 'controller-revision-hash': 'stale', 'pod-template-generation': '1' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(createPodTemplate(template, c.stamp).metadata?.labels, c.want);
    });
  }

  it('merges the automatic tolerations and leaves the input untouched', () => {
    const before = structuredClone(template);
    const got = createPodTemplate(template, { hash: 'abc' });
    assert.deepEqual([got.spec.tolerations?.length, template], [6, before]);
  });

  it('creates labels for a template without metadata', () => {
    const got = createPodTemplate({ spec: { containers: [] } }, { hash: 'h' });
    assert.deepEqual(got.metadata?.labels, { 'controller-revision-hash': 'h' });
  });
});

describe('newDaemonPod()', () => {
  const ds = newDaemonSet(
    {
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } },
      },
    },
    { annotations: { 'deprecated.daemonset.template.generation': '4' } },
  );
  ds.spec.template.metadata = { ...ds.spec.template.metadata, annotations: { note: 'x' }, finalizers: ['example.com/keep'] };
  const before = structuredClone(ds);
  const pod = newDaemonPod(ds, 'node-7', 'hash-1');

  it('builds the metadata a controller POSTs', () => {
    assert.deepEqual(pod.metadata, {
      generateName: 'foo-',
      namespace: 'default',
      labels: { name: 'simple-daemon', type: 'production', 'controller-revision-hash': 'hash-1', 'pod-template-generation': '4' },
      annotations: { note: 'x' },
      finalizers: ['example.com/keep'],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }],
    });
  });

  it('pins the pod to its node through a single required term', () => {
    assert.deepEqual(pod.spec.affinity, {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-7'] }] }],
        },
      },
    });
  });

  it('keeps the nodeSelector, adds the automatic tolerations and leaves nodeName empty', () => {
    assert.deepEqual(
      { nodeSelector: pod.spec.nodeSelector, tolerations: pod.spec.tolerations?.map((t) => t.key), nodeName: pod.spec.nodeName },
      {
        nodeSelector: { disk: 'ssd' },
        tolerations: [
          'dedicated',
          'node.kubernetes.io/not-ready',
          'node.kubernetes.io/unreachable',
          'node.kubernetes.io/disk-pressure',
          'node.kubernetes.io/memory-pressure',
          'node.kubernetes.io/pid-pressure',
          'node.kubernetes.io/unschedulable',
        ],
        nodeName: undefined,
      },
    );
  });

  it('does not modify the DaemonSet', () => {
    assert.deepEqual(ds, before);
  });

  it('leaves out the generation label when the annotation does not parse', () => {
    const got = newDaemonPod(newDaemonSet({}, { annotations: { 'deprecated.daemonset.template.generation': 'x' } }), 'n', 'h');
    assert.equal(got.metadata.labels?.['pod-template-generation'], undefined);
  });
});
