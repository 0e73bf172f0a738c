/**
 * `everynode bench limit --pods N`: the floor under a converge — the writes a DaemonSet converge of N
 * pods causes, pushed straight through the SQLite store and JSON, in this process: no API server, no
 * controllers, no HTTP, no watchers.
 *
 * Counted from a converge (a watch on every kind while a 300-node lab converged): per pod, the store
 * takes a create (the DaemonSet controller's pod), an update (the scheduler's binding: `spec.nodeName`
 * and the PodScheduled condition), an update (the simulated kubelet's status: Running and Ready), and
 * the create of the scheduler's `Scheduled` Event. The rest (DaemonSet status, a ControllerRevision,
 * the controller's 25 correlated events) is a few dozen writes whatever the size, left out.
 *
 * Per write the JSON work the server does for a write is done here too: the object is serialized (the
 * request), parsed (decoding, or the registry's deep copy), and the store stamps and serializes it once
 * more. The store is opened on a temporary file exactly as `everynode up` opens it (synchronous=FULL,
 * group commit, commits in the writer thread), and writes are issued as fast as it accepts them: every
 * pod's chain of writes runs at once, each write waiting only for the previous write to the same pod.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type StorableObject } from '../src/store/index.js';
import { daemonPod, round } from './lib.js';

export interface LimitBenchOptions {
  pods: number;
  log: (line: string) => void;
}

export interface LimitBenchResult {
  scenario: 'limit';
  pods: number;
  /** Store writes in all (`writesPerPod` per pod). */
  writes: number;
  writesPerPod: number;
  /** Transactions the store committed them in. */
  transactions: number;
  /** From the first write issued to the last one acknowledged. */
  seconds: number;
  writesPerSecond: number;
}

/** Store writes per pod in a converge: pod create, binding, status, Scheduled event. */
export const writesPerPod = 4;

const ownerUid = '6f1e0d2c-3b4a-4c5d-8e7f-9a0b1c2d3e4f';
const timestamp = '2026-11-24T23:57:18Z';

/** The pod as the API server stores it at create: daemonPod plus server-set metadata and defaults. */
export function createdPod(i: number): StorableObject {
  const name = `limit-${i.toString(36).padStart(5, '0')}`;
  const pod = daemonPod(name, `node-${i + 1}`, ownerUid) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  pod.metadata = { ...pod.metadata, generateName: 'limit-', namespace: 'default', uid: fakeUid(i, 1), creationTimestamp: timestamp };
  const containers = (pod.spec.containers as Record<string, unknown>[]).map((c) => ({ ...c, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }));
  pod.spec = {
    ...pod.spec,
    containers,
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    enableServiceLinks: true,
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  return { ...pod, status: { phase: 'Pending', qosClass: 'Burstable' } } as StorableObject;
}

/** After the binding: the node set and the PodScheduled condition. */
function boundPod(pod: StorableObject, node: string): StorableObject {
  const spec = pod.spec as Record<string, unknown>;
  const status = pod.status as Record<string, unknown>;
  return { ...pod, spec: { ...spec, nodeName: node }, status: { ...status, conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp }] } };
}

/** After the kubelet's status update: Running and Ready, with IPs and the container's status. */
function runningPod(pod: StorableObject, i: number): StorableObject {
  const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: timestamp });
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return {
    ...pod,
    status: {
      phase: 'Running',
      qosClass: 'Burstable',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
      hostIP: ip,
      hostIPs: [{ ip }],
      startTime: timestamp,
      containerStatuses: [
        {
          name: 'agent',
          image: 'registry.example.com/agent:1.0',
          imageID: 'registry.example.com/agent@sha256:9e520990c545ff655fcbac30af191685a1ef6fd0e306ad25d36416705b9bf645',
          ready: true,
          restartCount: 0,
          started: true,
          containerID: `containerd://${fakeUid(i, 2).replace(/-/g, '')}${fakeUid(i, 3).replace(/-/g, '')}`,
          state: { running: { startedAt: timestamp } },
        },
      ],
      podIP: ip,
      podIPs: [{ ip }],
    },
  };
}

/** The scheduler's Event for a binding. */
function scheduledEvent(pod: StorableObject, i: number, node: string): StorableObject {
  const metadata = pod.metadata as { name: string; uid: string };
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${metadata.name}.${(0x6610e786d0541 + i).toString(16)}`, namespace: 'default', uid: fakeUid(i, 4), creationTimestamp: timestamp },
    involvedObject: { kind: 'Pod', namespace: 'default', name: metadata.name, uid: metadata.uid, apiVersion: 'v1', resourceVersion: '1' },
    reason: 'Scheduled',
    message: `Successfully assigned default/${metadata.name} to ${node}`,
    type: 'Normal',
    source: { component: 'default-scheduler' },
    reportingComponent: 'default-scheduler',
    reportingInstance: '',
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    count: 1,
  };
}

function fakeUid(i: number, salt: number): string {
  const hex = ((i * 2654435761 + salt * 40503) >>> 0).toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(4, 7)}-${hex}${hex.slice(0, 4)}`;
}

/** What the server does with a written object before the store stamps it: encode (the request) and decode. */
function throughJson(object: StorableObject): StorableObject {
  return JSON.parse(JSON.stringify(object)) as StorableObject;
}

export async function benchLimit(options: LimitBenchOptions): Promise<LimitBenchResult> {
  const { pods, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'everynode-limit-'));
  try {
    const store = SqliteStore.open({ path: join(dir, 'everynode.db') });
    try {
      const chain = async (i: number) => {
        const node = `node-${i + 1}`;
        const created = createdPod(i);
        const key = `/registry/pods/default/${(created.metadata as { name: string }).name}`;
        const first = await store.create(key, throughJson(created));
        const bound = boundPod(created, node);
        const second = await store.update(key, throughJson(bound), first.revision);
        const event = scheduledEvent(created, i, node);
        await Promise.all([
          store.update(key, throughJson(runningPod(bound, i)), second.revision),
          store.create(`/registry/events/default/${(event.metadata as { name: string }).name}`, throughJson(event)),
        ]);
      };
      const before = store.stats();
      const started = performance.now();
      await Promise.all(Array.from({ length: pods }, (_, i) => chain(i)));
      const seconds = (performance.now() - started) / 1000;
      const after = store.stats();
      const writes = after.writes - before.writes;
      const result: LimitBenchResult = {
        scenario: 'limit',
        pods,
        writes,
        writesPerPod,
        transactions: after.transactions - before.transactions,
        seconds: round(seconds, 3),
        writesPerSecond: Math.round(writes / seconds),
      };
      log(`limit: ${pods} pods' writes (${writes} writes: create, binding, status, Scheduled event) through SQLite and JSON in ${result.seconds} s = ${result.writesPerSecond} writes/s, ${result.transactions} transactions`);
      return result;
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
