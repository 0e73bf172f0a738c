import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLabProfile } from './profile.js';

describe('parseLabProfile', () => {
  it('turns pools into nodes with labels, taints and behaviour annotations, and reads defaults and faults', () => {
    const profile = parseLabProfile(
      `
apiVersion: everynode.dev/v1alpha1
kind: LabProfile
startDelay: 2s
readyDelay: 500ms
jitter: 1s
pools:
- name: cp
  controlPlane: true
- name: gpu
  count: 2
  labels: {accelerator: nvidia, zone: us-east-1a}
  taints:
  - nvidia.com/gpu=present:NoSchedule
  - {key: dedicated, value: ml, effect: NoExecute}
  cpu: 16
  memory: 64Gi
  startDelay: 10s
  imagePullFails: ["registry.internal/*"]
  crashLoops: ["myorg/agent:2.*", "busybox:bad"]
faults:
- image: "*:broken*"
  fault: CrashLoop
- image: "quay.io/*"
  fault: ImagePullFailure
  nodeSelector: {matchLabels: {zone: us-east-1a}}
`,
      'lab.yaml',
    );
    assert.equal(profile.startDelayMs, 2000);
    assert.equal(profile.readyDelayMs, 500);
    assert.equal(profile.jitterMs, 1000);
    assert.equal(profile.stopDelayMs, undefined);
    assert.deepEqual(profile.nodes.map((n) => n.metadata.name), ['cp-1', 'gpu-1', 'gpu-2']);
    const cp = profile.nodes[0]!;
    assert.equal(cp.metadata.labels?.['node-role.kubernetes.io/control-plane'], '');
    assert.deepEqual(cp.spec?.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    const gpu = profile.nodes[1]!;
    assert.equal(gpu.metadata.labels?.accelerator, 'nvidia');
    assert.equal(gpu.metadata.labels?.['kubernetes.io/hostname'], 'gpu-1');
    assert.deepEqual(gpu.spec?.taints, [
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'ml', effect: 'NoExecute' },
    ]);
    const ours = Object.fromEntries(Object.entries(gpu.metadata.annotations ?? {}).filter(([key]) => key.startsWith('everynode.dev/')));
    assert.deepEqual(ours, {
      'everynode.dev/simulated': 'true',
      'everynode.dev/cpu': '16',
      'everynode.dev/memory': '64Gi',
      'everynode.dev/start-delay': '10s',
      'everynode.dev/image-pull-fails': 'registry.internal/*',
      'everynode.dev/crash-loops': 'myorg/agent:2.*,busybox:bad',
    });
    assert.deepEqual(profile.faults, [
      { image: '*:broken*', fault: 'CrashLoop' },
      { image: 'quay.io/*', fault: 'ImagePullFailure', nodeSelector: { matchLabels: { zone: 'us-east-1a' } } },
    ]);
  });

  it('resolves the staticPods directory of a pool against the directory of the profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    try {
      mkdirSync(join(dir, 'manifests'));
      const profile = parseLabProfile('pools: [{name: edge, staticPods: manifests}]', join(dir, 'lab.yaml'));
      assert.equal(profile.nodes[0]!.metadata.annotations?.['everynode.dev/static-pods'], join(dir, 'manifests'));
      assert.throws(() => parseLabProfile('pools: [{name: edge, staticPods: missing}]', join(dir, 'lab.yaml')), /pools\[0\]\.staticPods: .*missing is not a directory of pod manifests/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts an empty file', () => {
    assert.deepEqual(parseLabProfile('', 'empty.yaml'), { nodes: [], faults: [] });
  });

  const mistakes: [string, string, RegExp][] = [
    ['not YAML', 'pools: [', /profile p.yaml is not valid YAML: Flow sequence.* at line 1, column 9$/],
    ['a list at the top', '- a', /profile p.yaml: the profile: must be a mapping/],
    ['an unknown top-level field', 'nodes: 3', /profile p.yaml: nodes: unknown field \(known: .*pools/],
    ['a wrong kind', 'kind: Deployment', /kind: must be LabProfile/],
    ['a bad duration', 'startDelay: soon', /startDelay: "soon" is not a duration \(write e.g. 500ms, 2s, 1m30s\)/],
    ['a number as duration', 'jitter: 5', /jitter: 5 is not a duration/],
    ['a pool without a name', 'pools: [{count: 2}]', /pools\[0\]\.name: required/],
    ['a pool name with capitals', 'pools: [{name: GPU}]', /pools\[0\]\.name: required: lowercase/],
    ['a negative count', 'pools: [{name: a, count: -1}]', /pools\[0\]\.count: must be a whole number/],
    ['an unknown pool field', 'pools: [{name: a, labls: {}}]', /pools\[0\]\.labls: unknown field/],
    ['a bad label', 'pools: [{name: a, labels: {"bad key": x}}]', /pools\[0\]\.labels: invalid label "bad key=x"/],
    ['a bad taint effect', 'pools: [{name: a, taints: ["k=v:Sometimes"]}]', /pools\[0\]\.taints\[0\]: invalid taint "k=v:Sometimes"/],
    ['a bad quantity', 'pools: [{name: a, memory: lots}]', /pools\[0\]\.memory: "lots" is not a quantity/],
    ['the same node twice', 'pools: [{name: a, count: 2}, {name: a}]', /pools\[1\]\.name: node a-1 is already in an earlier pool/],
    ['a fault without image', 'faults: [{fault: CrashLoop}]', /faults\[0\]\.image: required/],
    ['an unknown fault', 'faults: [{image: x, fault: Explode}]', /faults\[0\]\.fault: must be one of ImagePullFailure, CrashLoop/],
    ['a bad selector operator', 'faults: [{image: x, fault: CrashLoop, nodeSelector: {matchExpressions: [{key: a, operator: Has}]}}]', /nodeSelector\.matchExpressions\[0\]\.operator: must be one of/],
  ];
  for (const [name, text, message] of mistakes) {
    it(`refuses ${name} with a message naming the field`, () => assert.throws(() => parseLabProfile(text, 'p.yaml'), message));
  }
});
