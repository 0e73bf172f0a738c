import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Event, KubeObject } from '../../api/types.js';
import { eventPrinter } from './events.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

function ago(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function newEvent(fields: Partial<Event> = {}): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'fluentd.17d1', namespace: 'monitoring', creationTimestamp: ago(600) },
    involvedObject: { kind: 'DaemonSet', name: 'fluentd', namespace: 'monitoring', apiVersion: 'apps/v1' },
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: 'Created pod: fluentd-abcde',
    source: { component: 'daemonset-controller' },
    firstTimestamp: ago(600),
    lastTimestamp: ago(600),
    count: 1,
    ...fields,
  };
}

describe('eventPrinter.cells() OBJECT', () => {
  const cases: { name: string; event: Event; want: string }[] = [
    { name: 'lowercase kind and name', event: newEvent(), want: 'daemonset/fluentd' },
    { name: 'a pod', event: newEvent({ involvedObject: { kind: 'Pod', name: 'fluentd-abcde' } }), want: 'pod/fluentd-abcde' },
    { name: 'only the kind when the name is empty', event: newEvent({ involvedObject: { kind: 'Node' } }), want: 'node' },
    { name: 'empty without kind or name', event: newEvent({ involvedObject: {} }), want: '' },
  ];
  for (const { name, event, want } of cases) {
    it(`eventPrinter.cells() ${name}`, () => assert.equal(eventPrinter.cells(event, NOW)[3], want));
  }
});

describe('eventPrinter.cells() whole rows', () => {
  const cases: { name: string; event: KubeObject; want: unknown[] }[] = [
    {
      name: 'a single event',
      event: newEvent(),
      want: ['10m', 'Normal', 'SuccessfulCreate', 'daemonset/fluentd', '', 'daemonset-controller', 'Created pod: fluentd-abcde', '10m', 1, 'fluentd.17d1'],
    },
    {
      name: 'a repeated event with a subobject, a host and a padded message',
      event: newEvent({
        involvedObject: { kind: 'Pod', name: 'fluentd-abcde', fieldPath: 'spec.containers{fluentd}' },
        type: 'Warning',
        reason: 'BackOff',
        message: '  Back-off restarting failed container\n',
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: ago(3600),
        lastTimestamp: ago(30),
        count: 12,
      }),
      want: [
        '30s',
        'Warning',
        'BackOff',
        'pod/fluentd-abcde',
        'spec.containers{fluentd}',
        'kubelet, node-1',
        'Back-off restarting failed container',
        '60m',
        12,
        'fluentd.17d1',
      ],
    },
    {
      name: 'an event with only eventTime counts once and is first and last seen then',
      event: newEvent({
        firstTimestamp: null,
        lastTimestamp: null,
        count: undefined,
        eventTime: '2024-06-01T11:58:00.000000Z',
        source: undefined,
        reportingComponent: 'daemonset-controller',
        reportingInstance: 'controller-0',
      }),
      want: ['2m', 'Normal', 'SuccessfulCreate', 'daemonset/fluentd', '', 'daemonset-controller, controller-0', 'Created pod: fluentd-abcde', '2m', 1, 'fluentd.17d1'],
    },
    {
      name: 'a series gives the last seen time and the count',
      event: newEvent({
        firstTimestamp: null,
        lastTimestamp: null,
        count: undefined,
        eventTime: '2024-06-01T11:00:00.000000Z',
        series: { count: 7, lastObservedTime: '2024-06-01T11:59:15.000000Z' },
      }),
      want: ['45s', 'Normal', 'SuccessfulCreate', 'daemonset/fluentd', '', 'daemonset-controller', 'Created pod: fluentd-abcde', '60m', 7, 'fluentd.17d1'],
    },
    {
      name: 'an event without any time shows <unknown>',
      event: newEvent({ firstTimestamp: null, lastTimestamp: null }),
      want: ['<unknown>', 'Normal', 'SuccessfulCreate', 'daemonset/fluentd', '', 'daemonset-controller', 'Created pod: fluentd-abcde', '<unknown>', 1, 'fluentd.17d1'],
    },
    {
      name: 'an events.k8s.io event is read through its renamed fields',
      event: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'fluentd.17d2', namespace: 'monitoring' },
        regarding: { kind: 'DaemonSet', name: 'fluentd' },
        note: 'Deleted pod: fluentd-xyz',
        type: 'Normal',
        reason: 'SuccessfulDelete',
        reportingController: 'daemonset-controller',
        reportingInstance: '',
        eventTime: '2024-06-01T11:59:00.000000Z',
        deprecatedCount: 2,
        deprecatedFirstTimestamp: ago(300),
        deprecatedLastTimestamp: ago(60),
      },
      want: ['60s', 'Normal', 'SuccessfulDelete', 'daemonset/fluentd', '', 'daemonset-controller', 'Deleted pod: fluentd-xyz', '5m', 2, 'fluentd.17d2'],
    },
  ];
  for (const { name, event, want } of cases) {
    it(`eventPrinter.cells() ${name}`, () => assert.deepEqual(eventPrinter.cells(event, NOW), want));
  }
});
