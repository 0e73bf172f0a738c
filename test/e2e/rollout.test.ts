/**
 * Issue #4: DaemonSet rolling updates driven by the real kubectl — `set image`, `edit` and `apply`
 * start them; `rollout status`, `history`, `undo` and `restart` report and steer them (wording as
 * upstream's kubectl, shared/reference/daemonset-semantics.md §§5–6); OnDelete; bad images held back by
 * maxUnavailable; maxSurge; minReadySeconds and readiness probes slowing a rollout.
 *
 * One lab (four workers, short simulated delays); each test owns its DaemonSet.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startTestLab, type TestLab, podInfos, type PodInfo } from '../../src/testing/kubectl.js';

interface Options {
  image?: string;
  strategy?: Record<string, unknown>;
  minReadySeconds?: number;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  readinessProbe?: Record<string, unknown>;
}

const daemonSet = (name: string, o: Options = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      selector: { matchLabels: { app: name } },
      ...(o.strategy ? { updateStrategy: o.strategy } : {}),
      ...(o.minReadySeconds !== undefined ? { minReadySeconds: o.minReadySeconds } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
          containers: [{ name: 'c', image: o.image ?? 'busybox:1.36', ...(o.readinessProbe ? { readinessProbe: o.readinessProbe } : {}) }],
        },
      },
    },
  });

/** Consecutive repeats removed: rollout status prints a line for every status write, repeats included. */
const squeeze = (lines: string[]) => lines.filter((line, i) => i === 0 || line !== lines[i - 1]);

describe('kubectl rollout and DaemonSet updates', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab({ nodes: 4, controlPlane: 0, startDelayMs: 100, readyDelayMs: 150 });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=20s']);
    // Two of the four nodes, for the tests whose waves are slow on purpose.
    await lab.kubectlOk(['label', 'nodes', 'node-1', 'node-2', 'pool=pair']);
  });
  after(async () => {
    await lab?.stop();
  });

  const pods = (app: string): Promise<PodInfo[]> => podInfos(lab, app);
  const jsonpath = (ds: string, path: string) => lab.kubectlOk(['get', 'ds', ds, '-o', `jsonpath=${path}`]);
  /** Waits until the controller has seen the DaemonSet's latest spec. */
  const observed = (ds: string) =>
    eventually(`${ds} observed`, async () => {
      const [gen, seen] = (await jsonpath(ds, '{.metadata.generation} {.status.observedGeneration}')).split(' ');
      assert.equal(seen, gen);
    });
  const create = async (name: string, o: Options = {}) => {
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet(name, o) });
    await lab.kubectlOk(['rollout', 'status', `ds/${name}`, '--timeout=30s']);
  };
  const images = async (app: string) => (await pods(app)).map((p) => `${p.node}=${p.image}${p.ready ? '' : ' (not ready)'}`);
  const history = (ds: string) => lab.kubectlOk(['rollout', 'history', `ds/${ds}`]);
  /** A watch of the DaemonSet's status: one "ready available updated desired" line per change. */
  const watchStatus = async (ds: string) => {
    const watch = lab.kubectlInBackground(['get', 'ds', ds, '--watch', '-o', 'jsonpath={.status.numberReady} {.status.numberAvailable} {.status.updatedNumberScheduled} {.status.desiredNumberScheduled}{"\\n"}']);
    await watch.waitFor(/\S/, 20_000);
    return {
      async stop(): Promise<number[][]> {
        const { stdout } = await watch.stop();
        return stdout.split('\n').filter(Boolean).map((l) => l.split(' ').map(Number));
      },
    };
  };

  it('set image rolls one node at a time; rollout status prints each step in upstream wording', async () => {
    await create('web');
    const before = await pods('web');
    const watch = await watchStatus('web');
    assert.equal((await lab.kubectlOk(['set', 'image', 'daemonset/web', 'c=busybox:1.37'])).trim(), 'daemonset.apps/web image updated');
    const status = await lab.kubectl(['rollout', 'status', 'daemonset/web', '--timeout=30s']);
    const seen = await watch.stop();
    assert.equal(status.code, 0, status.stderr);

    // Every line is one of upstream's; repeats aside, they go 1, 2, 3 out of 4 updated, then the last
    // pod's wait for availability, then done. The first wave may be over before kubectl starts.
    const lines = squeeze(status.stdout.trimEnd().split('\n'));
    const full = [
      'Waiting for daemon set spec update to be observed...',
      'Waiting for daemon set "web" rollout to finish: 0 out of 4 new pods have been updated...',
      'Waiting for daemon set "web" rollout to finish: 1 out of 4 new pods have been updated...',
      'Waiting for daemon set "web" rollout to finish: 2 out of 4 new pods have been updated...',
      'Waiting for daemon set "web" rollout to finish: 3 out of 4 new pods have been updated...',
      'Waiting for daemon set "web" rollout to finish: 3 of 4 updated pods are available...',
      'daemon set "web" successfully rolled out',
    ];
    const optional = new Set(full.slice(0, 3));
    const required = lines.filter((l) => !optional.has(l));
    assert.deepEqual(required, full.slice(3), status.stdout);
    for (const line of lines) assert.ok(full.includes(line), line);
    assert.deepEqual(lines, full.filter((l) => lines.includes(l)), 'in order');

    // maxUnavailable 1: never fewer than 3 of 4 nodes with an available pod.
    assert.ok(seen.some(([, , updated]) => updated! > 0 && updated! < 4), `the watch saw the rollout: ${JSON.stringify(seen)}`);
    for (const [, available] of seen) assert.ok(available! >= 3, `available ${available} in ${JSON.stringify(seen)}`);

    const after = await pods('web');
    assert.deepEqual(after.map((p) => `${p.node}=${p.image} ${p.ready}`), ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=busybox:1.37 true`));
    for (const p of after) assert.ok(!before.some((b) => b.name === p.name), 'every pod replaced');
    assert.deepEqual(
      (await lab.kubectlOk(['get', 'ds', 'web'])).split('\n')[1]!.split(/\s+/).slice(0, 6),
      ['web', '4', '4', '4', '4', '4'],
    );
  });

  it('kubectl edit of the image rolls the pods too', async () => {
    await create('edited');
    const editor = join(lab.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/image: busybox:1.36/image: busybox:1.37/" "$1"\n');
    chmodSync(editor, 0o755);
    assert.equal((await lab.kubectlOk(['edit', 'ds', 'edited'], { env: { EDITOR: editor, KUBE_EDITOR: editor } })).trim(), 'daemonset.apps/edited edited');
    const status = await lab.kubectlOk(['rollout', 'status', 'ds/edited', '--timeout=30s']);
    assert.equal(status.trimEnd().split('\n').at(-1), 'daemon set "edited" successfully rolled out');
    assert.deepEqual(await images('edited'), ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=busybox:1.37`));
  });

  it('rollout history: one revision per template, CHANGE-CAUSE from kubernetes.io/change-cause as it was when the revision was made', async () => {
    await create('hist');
    assert.equal(await history('hist'), 'daemonset.apps/hist \nREVISION  CHANGE-CAUSE\n1         <none>\n\n');

    // A changed manifest with its change-cause, applied: revision 2, rolled out.
    const v2 = daemonSet('hist', { image: 'busybox:1.37', annotations: { 'kubernetes.io/change-cause': 'busybox 1.37 from the manifest' } });
    assert.equal((await lab.kubectlOk(['apply', '-f', '-'], { input: v2 })).trim(), 'daemonset.apps/hist configured');
    await lab.kubectlOk(['rollout', 'status', 'ds/hist', '--timeout=30s']);
    assert.deepEqual(await images('hist'), ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=busybox:1.37`));

    // An annotation changed afterwards does not rewrite revision 2; the next revision copies it.
    await lab.kubectlOk(['annotate', 'ds', 'hist', 'kubernetes.io/change-cause=noted afterwards', '--overwrite']);
    await lab.kubectlOk(['set', 'image', 'ds/hist', 'c=busybox:1.38']);
    await lab.kubectlOk(['rollout', 'status', 'ds/hist', '--timeout=30s']);
    assert.equal(
      await history('hist'),
      'daemonset.apps/hist \nREVISION  CHANGE-CAUSE\n1         <none>\n2         busybox 1.37 from the manifest\n3         noted afterwards\n\n',
    );

    const two = await lab.kubectlOk(['rollout', 'history', 'ds/hist', '--revision=2']);
    assert.equal(
      two,
      'daemonset.apps/hist with revision #2\nPod Template:\n  Labels:\tapp=hist\n  Containers:\n   c:\n    Image:\tbusybox:1.37\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n',
    );
    const missing = await lab.kubectl(['rollout', 'history', 'ds/hist', '--revision=9']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'error: unable to find the specified revision');

    // The revisions are ControllerRevisions owned by the DaemonSet.
    const revisions = await lab.kubectlOk(['get', 'controllerrevisions', '-l', 'app=hist', '-o', 'jsonpath={range .items[*]}{.revision} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{"\\n"}{end}']);
    assert.deepEqual(revisions.trim().split('\n').sort(), ['1 DaemonSet/hist', '2 DaemonSet/hist', '3 DaemonSet/hist']);
  });

  it('rollout undo: back to the previous revision, --to-revision, "skipped rollback", an unknown revision', async () => {
    // hist: revisions 1 (1.36), 2 (1.37), 3 (1.38, current).
    assert.equal((await lab.kubectlOk(['rollout', 'undo', 'daemonset/hist'])).trim(), 'daemonset.apps/hist rolled back');
    await lab.kubectlOk(['rollout', 'status', 'ds/hist', '--timeout=30s']);
    assert.deepEqual(await images('hist'), ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=busybox:1.37`));
    // The revision rolled back to is renumbered, and keeps its change-cause.
    assert.equal(await history('hist'), 'daemonset.apps/hist \nREVISION  CHANGE-CAUSE\n1         <none>\n3         noted afterwards\n4         busybox 1.37 from the manifest\n\n');

    const skipped = await lab.kubectl(['rollout', 'undo', 'daemonset/hist', '--to-revision=4']);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.equal(skipped.stdout.trim(), 'daemonset.apps/hist skipped rollback (current template already matches revision 4)');

    const generation = await jsonpath('hist', '{.metadata.generation}');
    const unknown = await lab.kubectl(['rollout', 'undo', 'daemonset/hist', '--to-revision=99']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'error: unable to find specified revision 99 in history');
    assert.equal(await jsonpath('hist', '{.metadata.generation}'), generation, 'the DaemonSet is unchanged');

    assert.equal((await lab.kubectlOk(['rollout', 'undo', 'daemonset/hist', '--to-revision=1'])).trim(), 'daemonset.apps/hist rolled back');
    await lab.kubectlOk(['rollout', 'status', 'ds/hist', '--timeout=30s']);
    assert.deepEqual(await images('hist'), ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=busybox:1.36`));
    assert.equal(await history('hist'), 'daemonset.apps/hist \nREVISION  CHANGE-CAUSE\n3         noted afterwards\n4         busybox 1.37 from the manifest\n5         <none>\n\n');
  });

  it('rollout restart: a restartedAt annotation on the template, a new revision, every pod replaced', async () => {
    await create('restart');
    const before = await pods('restart');
    const generation = Number(await jsonpath('restart', '{.metadata.generation}'));
    assert.equal((await lab.kubectlOk(['rollout', 'restart', 'daemonset/restart'])).trim(), 'daemonset.apps/restart restarted');
    const restartedAt = await jsonpath('restart', '{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}');
    assert.match(restartedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    assert.equal(Number(await jsonpath('restart', '{.metadata.generation}')), generation + 1);
    await lab.kubectlOk(['rollout', 'status', 'ds/restart', '--timeout=30s']);
    const after = await pods('restart');
    assert.equal(after.length, 4);
    for (const p of after) {
      assert.ok(p.ready, `${p.name} is Ready`);
      assert.ok(!before.some((b) => b.name === p.name), `${p.name} is a new pod`);
    }
    assert.equal(await history('restart'), 'daemonset.apps/restart \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');

    // A restart within the same second as the previous one changes nothing, and kubectl says so.
    // Back-to-back restarts usually share a second; retried when they happen to straddle one.
    let refused = false;
    for (let attempt = 0; attempt < 6 && !refused; attempt++) {
      const again = await lab.kubectl(['rollout', 'restart', 'daemonset/restart']);
      if (again.code === 0) assert.equal(again.stdout.trim(), 'daemonset.apps/restart restarted');
      else {
        assert.equal(again.stderr.trim(), 'error: failed to create patch for restart: if restart has already been triggered within the past second, please wait before attempting to trigger another');
        refused = true;
      }
    }
    assert.ok(refused, 'a second restart within the same second is refused');
    await lab.kubectlOk(['rollout', 'status', 'ds/restart', '--timeout=30s']);
  });

  it('OnDelete: a new template makes a revision and touches no pod; a pod deleted by hand comes back new; UP-TO-DATE shows the mix', async () => {
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet('manual', { strategy: { type: 'OnDelete' } }) });
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=4', 'ds/manual', '--timeout=30s']);
    const before = await pods('manual');

    const status = await lab.kubectl(['rollout', 'status', 'ds/manual']);
    assert.equal(status.code, 1);
    assert.equal(status.stderr.trim(), 'error: rollout status is only available for RollingUpdate strategy type');

    await lab.kubectlOk(['set', 'image', 'ds/manual', 'c=busybox:1.37']);
    await observed('manual');
    assert.equal(await history('manual'), 'daemonset.apps/manual \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const untouched = await pods('manual');
    assert.deepEqual(untouched.map((p) => [p.name, p.image, p.deleting]), before.map((p) => [p.name, 'busybox:1.36', false]));
    assert.equal(await jsonpath('manual', '{.status.updatedNumberScheduled} {.status.numberAvailable}'), ' 4', 'updatedNumberScheduled is omitted at 0, as upstream');

    const onNode2 = before.find((p) => p.node === 'node-2')!;
    assert.equal((await lab.kubectlOk(['delete', 'pod', onNode2.name])).trim(), `pod "${onNode2.name}" deleted`);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=4', 'ds/manual', '--timeout=30s']);
    await eventually('UP-TO-DATE 1', async () => {
      const row = (await lab.kubectlOk(['get', 'ds', 'manual'])).split('\n')[1]!.split(/\s+/);
      assert.deepEqual(row.slice(0, 6), ['manual', '4', '4', '4', '1', '4']);
    });
    const mixed = await pods('manual');
    assert.deepEqual(mixed.map((p) => `${p.node}=${p.image}`), ['node-1=busybox:1.36', 'node-2=busybox:1.37', 'node-3=busybox:1.36', 'node-4=busybox:1.36']);
    // Two revisions' hashes on the pods: three of the first, one of the second.
    const hashes = (await lab.kubectlOk(['get', 'controllerrevisions', '-l', 'app=manual', '-o', 'jsonpath={range .items[*]}{.revision}={.metadata.labels.controller-revision-hash}{"\\n"}{end}']))
      .trim()
      .split('\n')
      .map((l) => l.split('='));
    const hashOf = Object.fromEntries(hashes.map(([rev, hash]) => [rev, hash]));
    assert.deepEqual(mixed.map((p) => p.hash), [hashOf['1'], hashOf['2'], hashOf['1'], hashOf['1']]);
    for (const p of mixed.filter((m) => m.node !== 'node-2')) assert.ok(before.some((b) => b.name === p.name), `${p.name} kept`);
  });

  it('an image that cannot be pulled breaks one node (maxUnavailable 1); status waits until --timeout; undo heals without restarting the healthy pods', async () => {
    await create('pull');
    const healthy = await pods('pull');
    await lab.kubectlOk(['set', 'image', 'ds/pull', 'c=registry.example/does-not-exist:1.0']);
    await eventually('the bad pod to fail', async () => {
      const now = await pods('pull');
      assert.deepEqual(now.filter((p) => p.image.includes('does-not-exist')).map((p) => [p.ready, p.waiting.match(/^(ErrImagePull|ImagePullBackOff)$/) !== null]), [[false, true]]);
    });

    const started = Date.now();
    const status = await lab.kubectl(['rollout', 'status', 'ds/pull', '--timeout=3s']);
    const waited = Date.now() - started;
    assert.equal(status.code, 1);
    assert.equal(status.stderr.trim(), 'error: timed out waiting for the condition');
    assert.ok(waited >= 2900, `kept waiting (${waited} ms)`);
    assert.deepEqual(squeeze(status.stdout.trimEnd().split('\n')), ['Waiting for daemon set "pull" rollout to finish: 1 out of 4 new pods have been updated...']);

    // Still one broken node: the other three keep their old pods, Ready.
    const now = await pods('pull');
    assert.equal(now.filter((p) => p.image.includes('does-not-exist')).length, 1);
    const old = now.filter((p) => !p.image.includes('does-not-exist'));
    assert.deepEqual(old.map((p) => [p.image, p.ready]), Array(3).fill(['busybox:1.36', true]));
    for (const p of old) assert.ok(healthy.some((h) => h.name === p.name), `${p.name} is one of the pods from before`);

    assert.equal((await lab.kubectlOk(['rollout', 'undo', 'ds/pull'])).trim(), 'daemonset.apps/pull rolled back');
    const healed = await lab.kubectlOk(['rollout', 'status', 'ds/pull', '--timeout=30s']);
    assert.equal(healed.trimEnd().split('\n').at(-1), 'daemon set "pull" successfully rolled out');
    const after = await pods('pull');
    assert.deepEqual(after.map((p) => [p.image, p.ready]), Array(4).fill(['busybox:1.36', true]));
    for (const p of old) assert.ok(after.some((a) => a.name === p.name), `${p.name} was not restarted`);
  });

  it('a crash-looping image breaks at most maxUnavailable (2) nodes; undo heals every node', async () => {
    await create('crash', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
    await lab.kubectlOk(['set', 'image', 'ds/crash', 'c=busybox:1.37-crashloop']);
    await eventually('two pods to crash-loop', async () => {
      const crashing = (await pods('crash')).filter((p) => p.image.includes('crashloop'));
      assert.deepEqual(crashing.map((p) => [p.ready, p.waiting]), [[false, 'CrashLoopBackOff'], [false, 'CrashLoopBackOff']]);
    });
    const status = await lab.kubectl(['rollout', 'status', 'ds/crash', '--timeout=2s']);
    assert.equal(status.code, 1);
    assert.equal(status.stderr.trim(), 'error: timed out waiting for the condition');
    assert.deepEqual(squeeze(status.stdout.trimEnd().split('\n')), ['Waiting for daemon set "crash" rollout to finish: 2 out of 4 new pods have been updated...']);
    const now = await pods('crash');
    assert.equal(now.length, 4);
    assert.deepEqual(now.filter((p) => !p.image.includes('crashloop')).map((p) => [p.image, p.ready]), Array(2).fill(['busybox:1.36', true]));
    assert.equal(await jsonpath('crash', '{.status.numberAvailable} {.status.numberUnavailable}'), '2 2');

    assert.equal((await lab.kubectlOk(['rollout', 'undo', 'ds/crash'])).trim(), 'daemonset.apps/crash rolled back');
    await lab.kubectlOk(['rollout', 'status', 'ds/crash', '--timeout=30s']);
    assert.deepEqual(await images('crash'), ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=busybox:1.36`));
  });

  it('maxSurge 1 (maxUnavailable 0): the new pod starts beside the old one; availability never drops', async () => {
    // On two nodes, with a readiness probe that keeps each surge pod unready for a second.
    const surge: Options = {
      nodeSelector: { pool: 'pair' },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 1 },
    };
    await create('surge', surge);
    const watch = await watchStatus('surge');
    let most = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) most = Math.max(most, (await pods('surge')).filter((p) => !p.deleting).length);
    })();
    await lab.kubectlOk(['set', 'image', 'ds/surge', 'c=busybox:1.37']);
    const status = await lab.kubectlOk(['rollout', 'status', 'ds/surge', '--timeout=30s']);
    polling = false;
    await poll;
    const seen = await watch.stop();
    assert.equal(status.trimEnd().split('\n').at(-1), 'daemon set "surge" successfully rolled out');
    assert.equal(most, 3, 'one surge pod at a time beside the two');
    for (const [, available] of seen) assert.equal(available, 2, JSON.stringify(seen));
    assert.deepEqual(await images('surge'), ['node-1=busybox:1.37', 'node-2=busybox:1.37']);
  });

  it('minReadySeconds and a readiness probe slow the rollout: available lags ready and updated', async () => {
    const slow: Options = { nodeSelector: { pool: 'pair' }, minReadySeconds: 1, readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 1 } };
    await create('slow', slow);
    const watch = await watchStatus('slow');
    const started = Date.now();
    await lab.kubectlOk(['set', 'image', 'ds/slow', 'c=busybox:1.37']);
    const status = await lab.kubectlOk(['rollout', 'status', 'ds/slow', '--timeout=30s']);
    const took = Date.now() - started;
    const seen = await watch.stop();

    const lines = squeeze(status.trimEnd().split('\n'));
    assert.ok(lines.includes('Waiting for daemon set "slow" rollout to finish: 1 of 2 updated pods are available...'), status);
    assert.equal(lines.at(-1), 'daemon set "slow" successfully rolled out');
    // Two waves, each at least the probe's initial delay.
    assert.ok(took >= 2000, `took ${took} ms`);
    // A pod Ready but not yet available (minReadySeconds): ready > available at some point.
    assert.ok(seen.some(([ready, available]) => ready! > available!), JSON.stringify(seen));
    assert.deepEqual(await images('slow'), ['node-1=busybox:1.37', 'node-2=busybox:1.37']);
  });

  it('"Waiting for daemon set spec update to be observed..." while the controller has not seen the new spec', async () => {
    // A DaemonSet being deleted is no longer synced: a finalizer holds it while its spec changes.
    await create('held');
    await lab.kubectlOk(['patch', 'ds', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
    await lab.kubectlOk(['delete', 'ds', 'held', '--wait=false']);
    await lab.kubectlOk(['set', 'image', 'ds/held', 'c=busybox:1.37']);
    const status = await lab.kubectl(['rollout', 'status', 'ds/held', '--timeout=1s']);
    assert.equal(status.code, 1);
    assert.equal(status.stdout, 'Waiting for daemon set spec update to be observed...\n');
    assert.equal(status.stderr.trim(), 'error: timed out waiting for the condition');
    await lab.kubectlOk(['patch', 'ds', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await lab.kubectlOk(['wait', '--for=delete', 'ds/held', '--timeout=20s']);
  });

  it('rollout pause and resume are refused for DaemonSets', async () => {
    const pause = await lab.kubectl(['rollout', 'pause', 'ds/web']);
    assert.equal(pause.code, 1);
    assert.equal(pause.stderr.trim(), 'error: daemonsets.apps "web" pausing is not supported');
    const resume = await lab.kubectl(['rollout', 'resume', 'ds/web']);
    assert.equal(resume.code, 1);
    assert.equal(resume.stderr.trim(), 'error: daemonsets.apps "web" resuming is not supported');
  });
});
