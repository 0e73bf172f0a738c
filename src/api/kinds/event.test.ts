import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { Event } from '../types.js';
import { setDefaultsEvent, validateEventCreate, validateEventUpdate } from './event.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

function newEvent(fields: Partial<Event> = {}, namespace = 'monitoring'): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'node-exporter.17b1c2d3e4f5a6b7', namespace },
    involvedObject: { kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter' },
    reason: 'SuccessfulCreate',
    message: 'Created pod: node-exporter-abcde',
    type: 'Normal',
    ...fields,
  };
}

describe('validateEventCreate()', () => {
  const cases: { name: string; event: Event; want: string[] }[] = [
    { name: 'accepts a controller event', event: newEvent(), want: [] },
    {
      name: 'accepts a cluster-scoped object in default',
      event: newEvent({ involvedObject: { kind: 'Node', name: 'node-1' } }, 'default'),
      want: [],
    },
    {
      name: 'requires the event in its object\'s namespace',
      event: newEvent({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } }),
      want: ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
    },
    {
      name: 'requires reporting fields on events with eventTime',
      event: newEvent({ eventTime: '2024-01-01T00:00:00.000000Z', reason: '' }),
      // Upstream also runs the qualified-name check on the empty controller, hence three errors for it.
      want: [
        'reportingController: Required value',
        'reportingController: Invalid value: "": name part must be non-empty',
        "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        'reportingInstance: Required value',
        'action: Required value',
        'reason: Required value',
      ],
    },
    {
      name: 'accepts generated names with dots',
      event: newEvent({ metadata: { name: 'x.y.z', namespace: 'monitoring' } }),
      want: [],
    },
    {
      name: 'rejects names that cannot be a path segment',
      event: newEvent({ metadata: { name: 'a/b', namespace: 'monitoring' } }),
      want: ["metadata.name: Invalid value: \"a/b\": may not contain '/'"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateEventCreate(c.event)), c.want));
  }

  it('checks metadata first on update', () => {
    const event = newEvent({ metadata: { name: '..', namespace: 'monitoring' }, involvedObject: { kind: 'Pod', namespace: 'x', name: 'p' } });
    assert.deepEqual(messages(validateEventUpdate(event)), [
      "metadata.name: Invalid value: \"..\": may not be '..'",
      'involvedObject.namespace: Invalid value: "x": does not match event.namespace',
    ]);
  });
});

describe('setDefaultsEvent()', () => {
  it('prints unset times as null, the source as {} and the reporter as empty strings, as upstream', () => {
    const event = newEvent({ source: undefined });
    setDefaultsEvent(event);
    const { firstTimestamp, lastTimestamp, eventTime, source, reportingComponent, reportingInstance } = event as unknown as Record<string, unknown>;
    assert.deepEqual({ firstTimestamp, lastTimestamp, eventTime, source, reportingComponent, reportingInstance }, {
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      source: {},
      reportingComponent: '',
      reportingInstance: '',
    });
    assert.deepEqual(validateEventCreate(event), [], 'a null eventTime is an unset one');
  });

  it('keeps what is set', () => {
    const set = { firstTimestamp: '2026-01-01T00:00:00Z', source: { component: 'daemonset-controller' }, reportingComponent: 'daemonset-controller' };
    const event = newEvent(set as Partial<Event>);
    setDefaultsEvent(event);
    assert.equal(event.firstTimestamp, set.firstTimestamp);
    assert.deepEqual(event.source, set.source);
    assert.equal(event.reportingComponent, 'daemonset-controller');
  });
});
