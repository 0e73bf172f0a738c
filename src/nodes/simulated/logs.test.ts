import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/errors.js';
import type { ContainerLogRequest } from '../../api/logs.js';
import type { Container, ContainerStatus, Node, Pod } from '../../api/types.js';
import { containerInstance, goDuration, heartbeatMs, maxLogLines, simulatedContainerLog, simulatedPodLogs } from './logs.js';

const started = '2026-11-24T19:23:07Z';
const t0 = Date.parse(started);

const node: Node = { metadata: { name: 'node-1', annotations: { 'everynode.dev/simulated': 'true' } } };

function pod(containers: Container[], statuses: ContainerStatus[], extra: Partial<Pod['metadata']> = {}, init?: { spec: Container[]; status: ContainerStatus[] }): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', ...extra },
    spec: { nodeName: 'node-1', containers, initContainers: init?.spec },
    status: { phase: 'Running', podIP: '10.244.0.2', startTime: started, containerStatuses: statuses, initContainerStatuses: init?.status },
  };
}

const running = (name: string, restartCount = 0): ContainerStatus => ({ name, image: '', imageID: '', ready: true, restartCount, containerID: `containerd://${name}`, state: { running: { startedAt: started } } });
const waiting = (name: string, reason: string): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason } } });
const crashLooping = (name: string, at: string): ContainerStatus => ({
  name,
  image: 'app:crashloop',
  imageID: '',
  ready: false,
  restartCount: 2,
  state: { waiting: { reason: 'CrashLoopBackOff' } },
  lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at } },
});

const request = (p: Pod, container: string, now: number, more: Partial<ContainerLogRequest> = {}): ContainerLogRequest => ({ pod: p, node, container, previous: false, now, ...more });
const texts = (p: Pod, container: string, now: number, more: Partial<ContainerLogRequest> = {}) =>
  simulatedContainerLog(request(p, container, now, more)).lines.map((l) => l.text.replace(/^ts=\S+ /, ''));

describe('containerInstance(): which run a request reads, with the kubelet messages', () => {
  const cases: { name: string; pod: Pod; container: string; previous?: boolean; error?: string; start?: string }[] = [
    { name: 'the running one', pod: pod([{ name: 'c' }], [running('c')]), container: 'c', start: started },
    { name: 'no status yet', pod: pod([{ name: 'c' }], []), container: 'c', error: 'container "c" in pod "web" is not available' },
    { name: 'ContainerCreating', pod: pod([{ name: 'c' }], [waiting('c', 'ContainerCreating')]), container: 'c', error: 'container "c" in pod "web" is waiting to start: ContainerCreating' },
    { name: 'ErrImagePull', pod: pod([{ name: 'c' }], [waiting('c', 'ErrImagePull')]), container: 'c', error: `container "c" in pod "web" is waiting to start: image can't be pulled` },
    { name: 'ImagePullBackOff', pod: pod([{ name: 'c' }], [waiting('c', 'ImagePullBackOff')]), container: 'c', error: 'container "c" in pod "web" is waiting to start: trying and failing to pull image' },
    { name: 'no state at all', pod: pod([{ name: 'c' }], [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0 }]), container: 'c', error: 'container "c" in pod "web" is waiting to start - no logs yet' },
    { name: 'previous without one', pod: pod([{ name: 'c' }], [running('c')]), container: 'c', previous: true, error: 'previous terminated container "c" in pod "web" not found' },
    { name: 'crash-looping: the last run, with or without previous', pod: pod([{ name: 'c' }], [crashLooping('c', '2026-11-24T19:24:00Z')]), container: 'c', start: '2026-11-24T19:24:00Z' },
    { name: 'crash-looping, previous', pod: pod([{ name: 'c' }], [crashLooping('c', '2026-11-24T19:24:00Z')]), container: 'c', previous: true, start: '2026-11-24T19:24:00Z' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(() => containerInstance(c.pod, c.container, c.previous ?? false), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === c.error);
      } else {
        assert.equal(containerInstance(c.pod, c.container, c.previous ?? false).start, Date.parse(c.start!));
      }
    });
  }
});

describe('simulatedContainerLog()', () => {
  const web = pod([{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }], [running('web')]);

  it('a generic container: startup lines with image, node and pod, then one line every 10 s', () => {
    assert.deepEqual(texts(web, 'web', t0 + 25_000), [
      'level=info msg="starting container" container=web image=nginx:1.25',
      'level=info msg="running on node" node=node-1 pod=default/web podIP=10.244.0.2',
      'level=info msg=listening port=80 protocol=TCP',
      'level=info msg=ready',
      'level=info msg="still running" uptime=10s',
      'level=info msg="still running" uptime=20s',
    ]);
  });

  it('is deterministic, and each line carries its own time in ts=', () => {
    const a = simulatedContainerLog(request(web, 'web', t0 + 60_000));
    assert.deepEqual(simulatedContainerLog(request(web, 'web', t0 + 60_000)), a);
    for (const l of a.lines) assert.equal(l.text.slice(3, 27), new Date(l.time).toISOString());
    assert.ok(a.lines.every((l, i) => i === 0 || l.time > a.lines[i - 1]!.time), 'times strictly increase');
  });

  it('after and nextLineAt let a follower read only what is new, when it is due', () => {
    const first = simulatedContainerLog(request(web, 'web', t0 + 5_000));
    assert.equal(first.lines.length, 4);
    assert.ok(first.nextLineAt! >= t0 + heartbeatMs && first.nextLineAt! < t0 + heartbeatMs + 100);
    assert.deepEqual(texts(web, 'web', t0 + 15_000, { after: t0 + 5_000 }), ['level=info msg="still running" uptime=10s']);
    assert.deepEqual(texts(web, 'web', t0 + 5_000, { after: t0 + 5_000 }), []);
  });

  it('a shell loop prints what it echoes, at its pace', () => {
    const loop = pod([{ name: 'c', image: 'busybox', command: ['sh', '-c'], args: ['while true; do echo hello from $HOSTNAME; sleep 5; done'] }], [running('c')]);
    assert.deepEqual(texts(loop, 'c', t0 + 12_000), ['hello from web', 'hello from web', 'hello from web']);
  });

  it('keeps only the newest lines, as log rotation does, without computing the older ones', () => {
    const year = 365 * 24 * 3600_000;
    const log = simulatedContainerLog(request(web, 'web', t0 + year + 1000));
    assert.equal(log.lines.length, maxLogLines);
    assert.equal(log.lines.at(-1)!.text.replace(/^ts=\S+ /, ''), `level=info msg="still running" uptime=${goDuration(Math.floor(year / heartbeatMs) * heartbeatMs)}`);
  });

  it('a crash-looping container logs an error before each exit; previous reads that run', () => {
    const at = '2026-11-24T19:24:00Z';
    const crash = pod([{ name: 'app', image: 'app:crashloop' }], [crashLooping('app', at)]);
    for (const previous of [false, true]) {
      const log = simulatedContainerLog(request(crash, 'app', Date.parse(at) + 5_000, { previous }));
      assert.equal(log.finished, true);
      assert.equal(log.nextLineAt, undefined);
      assert.equal(log.lines.length, 4);
      assert.match(log.lines.at(-1)!.text, /level=error msg="exiting after a fatal error" error="simulated crash: the image tag contains \\"crashloop\\"" exitCode=1$/);
      assert.ok(log.lines.every((l) => l.time <= Date.parse(at)), 'nothing after the exit');
    }
  });

  it('a crash from a node fault (any image) also ends with the error', () => {
    const at = '2026-11-24T19:24:00Z';
    const faulty = pod([{ name: 'app', image: 'nginx:1.25' }], [{ ...crashLooping('app', at), image: 'nginx:1.25' }]);
    assert.match(texts(faulty, 'app', Date.parse(at) + 1000).at(-1)!, /error="simulated crash: a crash-loop fault matches this image on this node" exitCode=1$/);
  });

  it('a completed init container: what it printed, however short its recorded run', () => {
    const init = {
      spec: [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo preparing; echo done'] }],
      status: [{ name: 'setup', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started } } }],
    };
    const p = pod([{ name: 'web', image: 'nginx' }], [running('web')], {}, init);
    assert.deepEqual(texts(p, 'setup', t0 + 60_000), ['preparing', 'done']);
  });

  it('a pod being deleted: the generic container says goodbye at SIGTERM and writes no more', () => {
    const deleting = { ...web, metadata: { ...web.metadata, deletionTimestamp: '2026-11-24T19:24:05Z', deletionGracePeriodSeconds: 30 } };
    const soon = simulatedContainerLog(request(deleting, 'web', Date.parse('2026-11-24T19:23:35.500Z')));
    assert.deepEqual([soon.finished, soon.nextLineAt], [false, Date.parse('2026-11-24T19:23:36Z')]);
    const log = simulatedContainerLog(request(deleting, 'web', t0 + 120_000));
    assert.equal(log.finished, true);
    assert.equal(log.nextLineAt, undefined);
    assert.deepEqual(log.lines.slice(-2).map((l) => l.text.replace(/^ts=\S+ /, '')), ['level=info msg="still running" uptime=20s', 'level=info msg="received SIGTERM, shutting down"']);
    assert.equal(log.lines.at(-1)!.time, Date.parse('2026-11-24T19:23:36Z'));
  });

  it('a restart is a new instance', () => {
    const before = simulatedContainerLog(request(web, 'web', t0 + 1000)).instance;
    const after = simulatedContainerLog(request(pod([{ name: 'web' }], [running('web', 1)]), 'web', t0 + 1000)).instance;
    assert.notEqual(before, after);
  });
});

describe('simulatedPodLogs', () => {
  const p = pod([{ name: 'c', image: 'nginx' }], [running('c')]);
  it('answers for simulated nodes only, and not for stopped ones', () => {
    assert.ok(simulatedPodLogs.containerLog(request(p, 'c', t0 + 1000)));
    assert.equal(simulatedPodLogs.containerLog({ ...request(p, 'c', t0), node: { metadata: { name: 'node-1' } } }), undefined);
    const stopped = { metadata: { name: 'node-1', annotations: { 'everynode.dev/simulated': 'true', 'everynode.dev/stopped': 'true' } } };
    assert.equal(simulatedPodLogs.containerLog({ ...request(p, 'c', t0), node: stopped }), undefined);
  });
});
