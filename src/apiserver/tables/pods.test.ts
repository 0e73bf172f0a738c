import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Condition, Container, ContainerState, ContainerStatus, Pod, PodStatus } from '../../api/types.js';
import { podPrinter } from './pods.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

/** An RFC 3339 timestamp `seconds` before NOW. */
function ago(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function newPod(options: {
  containers?: Container[];
  initContainers?: Container[];
  status?: PodStatus;
  deletionTimestamp?: string;
}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'fluentd-abcde', namespace: 'monitoring', creationTimestamp: ago(3600), deletionTimestamp: options.deletionTimestamp },
    spec: { containers: options.containers ?? [{ name: 'app' }], initContainers: options.initContainers },
    status: options.status,
  };
}

function containerStatus(name: string, state: ContainerState, extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, image: 'img', imageID: '', ready: false, restartCount: 0, state, ...extra };
}

const running: ContainerState = { running: { startedAt: ago(600) } };
const readyCondition: Condition = { type: 'Ready', status: 'True' };

/** READY, STATUS and RESTARTS of a pod. */
function summaryCells(pod: Pod): unknown[] {
  return podPrinter.cells(pod, NOW).slice(1, 4);
}

describe('podPrinter.cells() STATUS, READY and RESTARTS', () => {
  const cases: { name: string; pod: Pod; want: [string, string, string] }[] = [
    {
      name: 'a running ready pod',
      pod: newPod({ status: { phase: 'Running', containerStatuses: [containerStatus('app', running, { ready: true })] } }),
      want: ['1/1', 'Running', '0'],
    },
    {
      name: 'a pending pod shows the waiting reason',
      pod: newPod({ status: { phase: 'Pending', containerStatuses: [containerStatus('app', { waiting: { reason: 'ContainerCreating' } })] } }),
      want: ['0/1', 'ContainerCreating', '0'],
    },
    {
      name: 'a crash-looping pod shows restarts and when the last one was',
      pod: newPod({
        status: {
          phase: 'Running',
          containerStatuses: [
            containerStatus('app', { waiting: { reason: 'CrashLoopBackOff' } }, {
              restartCount: 3,
              lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } },
            }),
          ],
        },
      }),
      want: ['0/1', 'CrashLoopBackOff', '3 (5m ago)'],
    },
    {
      name: 'restarts without a known termination time show only the count',
      pod: newPod({ status: { phase: 'Running', containerStatuses: [containerStatus('app', running, { ready: true, restartCount: 2 })] } }),
      want: ['1/1', 'Running', '2'],
    },
    {
      name: 'the latest termination among containers is shown',
      pod: newPod({
        containers: [{ name: 'a' }, { name: 'b' }],
        status: {
          phase: 'Running',
          containerStatuses: [
            containerStatus('a', running, { ready: true, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(7200) } } }),
            containerStatus('b', running, { ready: true, restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } }),
          ],
        },
      }),
      want: ['2/2', 'Running', '5 (90s ago)'],
    },
    {
      name: 'a container killed by a signal without a reason',
      pod: newPod({ status: { phase: 'Failed', containerStatuses: [containerStatus('app', { terminated: { exitCode: 137, signal: 9 } })] } }),
      want: ['0/1', 'Signal:9', '0'],
    },
    {
      name: 'a container that exited without a reason',
      pod: newPod({ status: { phase: 'Failed', containerStatuses: [containerStatus('app', { terminated: { exitCode: 2 } })] } }),
      want: ['0/1', 'ExitCode:2', '0'],
    },
    {
      name: 'a completed pod',
      pod: newPod({ status: { phase: 'Succeeded', containerStatuses: [containerStatus('app', { terminated: { exitCode: 0, reason: 'Completed' } })] } }),
      want: ['0/1', 'Completed', '0'],
    },
    {
      name: 'the first container in the list decides among several reasons',
      pod: newPod({
        containers: [{ name: 'a' }, { name: 'b' }],
        status: {
          phase: 'Running',
          containerStatuses: [
            containerStatus('a', { waiting: { reason: 'ImagePullBackOff' } }),
            containerStatus('b', { waiting: { reason: 'ContainerCreating' } }),
          ],
        },
      }),
      want: ['0/2', 'ImagePullBackOff', '0'],
    },
    {
      name: 'Completed with another container running and the pod ready is Running',
      pod: newPod({
        containers: [{ name: 'a' }, { name: 'b' }],
        status: {
          phase: 'Running',
          conditions: [readyCondition],
          containerStatuses: [
            containerStatus('a', running, { ready: true }),
            containerStatus('b', { terminated: { exitCode: 0, reason: 'Completed' } }),
          ],
        },
      }),
      want: ['1/2', 'Running', '0'],
    },
    {
      name: 'Completed with another container running and the pod not ready is NotReady',
      pod: newPod({
        containers: [{ name: 'a' }, { name: 'b' }],
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            containerStatus('a', running, { ready: true }),
            containerStatus('b', { terminated: { exitCode: 0, reason: 'Completed' } }),
          ],
        },
      }),
      want: ['1/2', 'NotReady', '0'],
    },
    {
      name: 'the status reason replaces the phase',
      pod: newPod({ status: { phase: 'Failed', reason: 'Evicted' } }),
      want: ['0/1', 'Evicted', '0'],
    },
    {
      name: 'a pod held by scheduling gates',
      pod: newPod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }),
      want: ['0/1', 'SchedulingGated', '0'],
    },
    {
      name: 'a pod without a status shows an empty status',
      pod: newPod({}),
      want: ['0/1', '', '0'],
    },
    {
      name: 'a running pod being deleted is Terminating',
      pod: newPod({ deletionTimestamp: ago(10), status: { phase: 'Running', containerStatuses: [containerStatus('app', running, { ready: true })] } }),
      want: ['1/1', 'Terminating', '0'],
    },
    {
      name: 'a finished pod being deleted keeps its status',
      pod: newPod({
        deletionTimestamp: ago(10),
        status: { phase: 'Succeeded', containerStatuses: [containerStatus('app', { terminated: { exitCode: 0, reason: 'Completed' } })] },
      }),
      want: ['0/1', 'Completed', '0'],
    },
    {
      name: 'a pod on a lost node being deleted is Unknown',
      pod: newPod({ deletionTimestamp: ago(10), status: { phase: 'Running', reason: 'NodeLost' } }),
      want: ['0/1', 'Unknown', '0'],
    },
    {
      name: 'a running init container shows progress',
      pod: newPod({
        initContainers: [{ name: 'init-a' }, { name: 'init-b' }],
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            containerStatus('init-a', { terminated: { exitCode: 0, reason: 'Completed' } }),
            containerStatus('init-b', running),
          ],
          containerStatuses: [containerStatus('app', { waiting: { reason: 'PodInitializing' } })],
        },
      }),
      want: ['0/1', 'Init:1/2', '0'],
    },
    {
      name: 'an init container waiting on PodInitializing shows progress',
      pod: newPod({
        initContainers: [{ name: 'init' }],
        status: { phase: 'Pending', initContainerStatuses: [containerStatus('init', { waiting: { reason: 'PodInitializing' } })] },
      }),
      want: ['0/1', 'Init:0/1', '0'],
    },
    {
      name: 'an init container waiting with a reason',
      pod: newPod({
        initContainers: [{ name: 'init' }],
        status: { phase: 'Pending', initContainerStatuses: [containerStatus('init', { waiting: { reason: 'ImagePullBackOff' } })] },
      }),
      want: ['0/1', 'Init:ImagePullBackOff', '0'],
    },
    {
      name: 'a failed init container with a reason, counting its restarts',
      pod: newPod({
        initContainers: [{ name: 'init' }],
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            containerStatus('init', { terminated: { exitCode: 1, reason: 'Error' } }, {
              restartCount: 2,
              lastState: { terminated: { exitCode: 1, finishedAt: ago(60) } },
            }),
          ],
        },
      }),
      want: ['0/1', 'Init:Error', '2 (60s ago)'],
    },
    {
      name: 'a failed init container without a reason',
      pod: newPod({
        initContainers: [{ name: 'init' }],
        status: { phase: 'Pending', initContainerStatuses: [containerStatus('init', { terminated: { exitCode: 3 } })] },
      }),
      want: ['0/1', 'Init:ExitCode:3', '0'],
    },
    {
      name: 'an init container killed by a signal',
      pod: newPod({
        initContainers: [{ name: 'init' }],
        status: { phase: 'Pending', initContainerStatuses: [containerStatus('init', { terminated: { exitCode: 143, signal: 15 } })] },
      }),
      want: ['0/1', 'Init:Signal:15', '0'],
    },
    {
      name: 'a started sidecar counts as a ready container and its restarts count',
      pod: newPod({
        initContainers: [{ name: 'proxy', restartPolicy: 'Always' }],
        status: {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }, readyCondition],
          initContainerStatuses: [
            containerStatus('proxy', running, {
              started: true,
              ready: true,
              restartCount: 1,
              lastState: { terminated: { exitCode: 1, finishedAt: ago(1200) } },
            }),
          ],
          containerStatuses: [containerStatus('app', running, { ready: true })],
        },
      }),
      want: ['2/2', 'Running', '1 (20m ago)'],
    },
    {
      name: 'a sidecar that has not started holds init back',
      pod: newPod({
        initContainers: [{ name: 'proxy', restartPolicy: 'Always' }],
        status: {
          phase: 'Pending',
          initContainerStatuses: [containerStatus('proxy', running, { started: false })],
          containerStatuses: [containerStatus('app', { waiting: { reason: 'PodInitializing' } })],
        },
      }),
      want: ['0/2', 'Init:0/1', '0'],
    },
    {
      name: 'finished init containers do not count toward ready or restarts once initialized',
      pod: newPod({
        initContainers: [{ name: 'init' }],
        status: {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [containerStatus('init', { terminated: { exitCode: 0, reason: 'Completed' } }, { restartCount: 4 })],
          containerStatuses: [containerStatus('app', running, { ready: true })],
        },
      }),
      want: ['1/1', 'Running', '0'],
    },
  ];
  for (const { name, pod, want } of cases) {
    it(`podPrinter.cells() ${name}`, () => assert.deepEqual(summaryCells(pod), want));
  }
});

describe('podPrinter.cells() whole rows', () => {
  const cases: { name: string; pod: Pod; want: unknown[] }[] = [
    {
      name: 'a pending daemon pod shows <none> for the wide columns',
      pod: newPod({ status: { phase: 'Pending' } }),
      want: ['fluentd-abcde', '0/1', 'Pending', '0', '60m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'a scheduled pod with IPs and readiness gates',
      pod: {
        ...newPod({
          status: {
            phase: 'Running',
            podIPs: [{ ip: '10.0.0.7' }, { ip: 'fd00::7' }],
            nominatedNodeName: 'node-b',
            conditions: [readyCondition, { type: 'example.com/gate-a', status: 'True' }, { type: 'example.com/gate-b', status: 'False' }],
            containerStatuses: [containerStatus('app', running, { ready: true })],
          },
        }),
        spec: { containers: [{ name: 'app' }], nodeName: 'node-a', readinessGates: [{ conditionType: 'example.com/gate-a' }, { conditionType: 'example.com/gate-b' }] },
      },
      want: ['fluentd-abcde', '1/1', 'Running', '0', '60m', '10.0.0.7', 'node-a', 'node-b', '1/2'],
    },
    {
      name: 'the legacy podIP field is used when podIPs is empty',
      pod: newPod({ status: { phase: 'Running', podIP: '10.0.0.9' } }),
      want: ['fluentd-abcde', '0/1', 'Running', '0', '60m', '10.0.0.9', '<none>', '<none>', '<none>'],
    },
  ];
  for (const { name, pod, want } of cases) {
    it(`podPrinter.cells() ${name}`, () => assert.deepEqual(podPrinter.cells(pod, NOW), want));
  }
});
