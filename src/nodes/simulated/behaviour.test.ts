import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../api/types.js';
import { crashLoopsImage, imageMatches, nodeFaults, nodeTiming, parseDuration, podJitter, pullFailsImage, type FaultRule, type NodeTiming } from './behaviour.js';

const defaults: NodeTiming = { startDelayMs: 1000, readyDelayMs: 1000, stopDelayMs: 0, jitterMs: 0 };

function node(labels: Record<string, string> = {}, annotations: Record<string, string> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels, annotations } };
}

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    [' 3s ', 3000],
    ['', undefined],
    ['5', undefined],
    ['-1s', undefined],
    ['2 s', undefined],
    ['1d', undefined],
    ['s', undefined],
  ];
  for (const [text, want] of cases) it(`${JSON.stringify(text)} → ${want}`, () => assert.equal(parseDuration(text), want));
});

describe('imageMatches', () => {
  const cases: [string, string, boolean][] = [
    ['nginx:1.27', 'nginx:1.27', true],
    ['nginx:*', 'nginx:1.27', true],
    ['nginx:*', 'nginx', false],
    ['*/agent:2.*', 'registry.example.com/agent:2.1', true],
    ['*/agent:2.*', 'registry.example.com/agent:1.9', false],
    ['*broken*', 'myorg/app:broken-build', true],
    ['app.v1', 'appXv1', false],
    ['(weird)+[chars]', '(weird)+[chars]', true],
  ];
  for (const [pattern, image, want] of cases) it(`${pattern} ~ ${image} → ${want}`, () => assert.equal(imageMatches(pattern, image), want));
});

describe('built-in faults', () => {
  it('fails pulls of does-not-exist anywhere in the reference and crash-loops crashloop tags only', () => {
    assert.equal(pullFailsImage('registry.example/does-not-exist:1.0'), true);
    assert.equal(pullFailsImage('nginx:1.27'), false);
    assert.equal(crashLoopsImage('busybox:crashloop'), true);
    assert.equal(crashLoopsImage('registry:5000/crashloop'), false);
  });
});

describe('nodeTiming', () => {
  it('takes durations from annotations and falls back to the defaults, reporting invalid values', () => {
    const invalid: string[] = [];
    const timing = nodeTiming(
      node({}, { 'everynode.dev/start-delay': '3s', 'everynode.dev/ready-delay': 'soon', 'everynode.dev/jitter': '500ms', 'everynode.dev/stop-delay': '0' }),
      defaults,
      (annotation, value) => invalid.push(`${annotation}=${value}`),
    );
    assert.deepEqual(timing, { startDelayMs: 3000, readyDelayMs: 1000, stopDelayMs: 0, jitterMs: 500 });
    assert.deepEqual(invalid, ['everynode.dev/ready-delay=soon']);
  });

  it('is the defaults for a node without annotations', () => {
    assert.deepEqual(nodeTiming(node(), defaults), defaults);
  });
});

describe('nodeFaults', () => {
  const rules: FaultRule[] = [
    { image: 'myorg/agent:2.*', fault: 'CrashLoop' },
    { image: 'registry.internal/*', fault: 'ImagePullFailure', nodeSelector: { matchLabels: { zone: 'us-east-1a' } } },
  ];
  const cases: { name: string; node: Node; image: string; pull: boolean; crash: boolean }[] = [
    { name: 'a rule without a node selector applies everywhere', node: node(), image: 'myorg/agent:2.0', pull: false, crash: true },
    { name: 'a rule with a node selector applies on matching nodes', node: node({ zone: 'us-east-1a' }), image: 'registry.internal/app:1', pull: true, crash: false },
    { name: 'and not on others', node: node({ zone: 'us-east-1b' }), image: 'registry.internal/app:1', pull: false, crash: false },
    { name: 'the node annotation adds pull failures', node: node({}, { 'everynode.dev/image-pull-fails': 'nginx:*, redis:7' }), image: 'redis:7', pull: true, crash: false },
    { name: 'the node annotation adds crash loops', node: node({}, { 'everynode.dev/crash-loops': 'nginx:*' }), image: 'nginx:1.27', pull: false, crash: true },
    { name: 'the built-in faults stay', node: node(), image: 'x/does-not-exist:1', pull: true, crash: false },
    { name: 'other images run', node: node({ zone: 'us-east-1a' }), image: 'nginx:1.27', pull: false, crash: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const faults = nodeFaults(c.node, rules);
      assert.equal(faults.pullFails(c.image), c.pull);
      assert.equal(faults.crashLoops(c.image), c.crash);
    });
  }
});

describe('podJitter', () => {
  it('is zero without jitter, fixed per UID, below the bound and spread across pods', () => {
    assert.deepEqual(podJitter('uid-1', 0), { startMs: 0, readyMs: 0 });
    assert.deepEqual(podJitter('uid-1', 1000), podJitter('uid-1', 1000));
    const starts = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const { startMs, readyMs } = podJitter(`uid-${i}`, 1000);
      assert.ok(startMs >= 0 && startMs < 1000 && readyMs >= 0 && readyMs < 1000);
      starts.add(startMs);
    }
    assert.ok(starts.size > 50, `jitter spreads pods (${starts.size} distinct values)`);
  });
});
