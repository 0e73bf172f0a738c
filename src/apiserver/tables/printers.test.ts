import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { KubeObject } from '../../api/types.js';
import { printerFor } from './index.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const CREATED = '2024-06-01T11:58:00Z';

/** Column definitions as `name type format priority`, the parts kubectl acts on. */
function columnShapes(resource: string): string[] {
  return printerFor(resource).columns.map((c) => `${c.name} ${c.type} ${c.format || '-'} ${c.priority}`);
}

describe('printerFor() columns', () => {
  // Upstream's AddHandlers, pkg/printers/internalversion/printers.go.
  const cases: { name: string; resource: string; want: string[] }[] = [
    {
      name: 'daemonsets',
      resource: 'daemonsets',
      want: [
        'Name string name 0',
        'Desired integer - 0',
        'Current integer - 0',
        'Ready integer - 0',
        'Up-to-date integer - 0',
        'Available integer - 0',
        'Node Selector string - 0',
        'Age string - 0',
        'Containers string - 1',
        'Images string - 1',
        'Selector string - 1',
      ],
    },
    {
      name: 'pods',
      resource: 'pods',
      want: [
        'Name string name 0',
        'Ready string - 0',
        'Status string - 0',
        'Restarts string - 0',
        'Age string - 0',
        'IP string - 1',
        'Node string - 1',
        'Nominated Node string - 1',
        'Readiness Gates string - 1',
      ],
    },
    {
      name: 'nodes',
      resource: 'nodes',
      want: [
        'Name string name 0',
        'Status string - 0',
        'Roles string - 0',
        'Age string - 0',
        'Version string - 0',
        'Internal-IP string - 1',
        'External-IP string - 1',
        'OS-Image string - 1',
        'Kernel-Version string - 1',
        'Container-Runtime string - 1',
      ],
    },
    {
      name: 'events, wide columns interleaved',
      resource: 'events',
      want: [
        'Last Seen string - 0',
        'Type string - 0',
        'Reason string - 0',
        'Object string - 0',
        'Subobject string - 1',
        'Source string - 1',
        'Message string - 0',
        'First Seen string - 1',
        'Count string - 1',
        'Name string name 1',
      ],
    },
    { name: 'namespaces', resource: 'namespaces', want: ['Name string name 0', 'Status string - 0', 'Age string - 0'] },
    { name: 'configmaps', resource: 'configmaps', want: ['Name string name 0', 'Data string - 0', 'Age string - 0'] },
    { name: 'secrets', resource: 'secrets', want: ['Name string name 0', 'Type string - 0', 'Data string - 0', 'Age string - 0'] },
    { name: 'serviceaccounts', resource: 'serviceaccounts', want: ['Name string name 0', 'Secrets string - 0', 'Age string - 0'] },
    {
      name: 'controllerrevisions',
      resource: 'controllerrevisions',
      want: ['Name string name 0', 'Controller string - 0', 'Revision string - 0', 'Age string - 0'],
    },
    { name: 'leases', resource: 'leases', want: ['Name string name 0', 'Holder string - 0', 'Age string - 0'] },
    {
      name: 'priorityclasses',
      resource: 'priorityclasses',
      want: ['Name string name 0', 'Value integer - 0', 'Global-Default boolean - 0', 'Age string - 0', 'PreemptionPolicy string - 0'],
    },
    {
      name: 'poddisruptionbudgets',
      resource: 'poddisruptionbudgets',
      want: [
        'Name string name 0',
        'Min Available string - 0',
        'Max Unavailable string - 0',
        'Allowed Disruptions integer - 0',
        'Age string - 0',
      ],
    },
    { name: 'an unknown resource gets the default', resource: 'widgets', want: ['Name string name 0', 'Created At date - 0'] },
  ];
  for (const { name, resource, want } of cases) {
    it(`printerFor() ${name}`, () => assert.deepEqual(columnShapes(resource), want));
  }

  it('printerFor() gives every column a description', () => {
    const resources = cases.map((c) => c.resource);
    const missing = resources.flatMap((r) => printerFor(r).columns.filter((c) => !c.description).map((c) => `${r}/${c.name}`));
    assert.deepEqual(missing, []);
  });
});

describe('printerFor() cells', () => {
  const cases: { name: string; resource: string; obj: KubeObject; want: unknown[] }[] = [
    {
      name: 'daemonsets: a rolled-out daemonset',
      resource: 'daemonsets',
      obj: {
        metadata: { name: 'fluentd', namespace: 'monitoring', creationTimestamp: CREATED },
        spec: {
          selector: { matchLabels: { app: 'fluentd' } },
          template: { spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } },
        },
        status: {
          desiredNumberScheduled: 3,
          currentNumberScheduled: 3,
          numberReady: 2,
          updatedNumberScheduled: 3,
          numberAvailable: 2,
          numberMisscheduled: 0,
        },
      },
      want: ['fluentd', 3, 3, 2, 3, 2, '<none>', '2m', 'fluentd', 'fluentd:v1', 'app=fluentd'],
    },
    {
      name: 'daemonsets: a new daemonset with a node selector, two containers and expressions',
      resource: 'daemonsets',
      obj: {
        metadata: { name: 'agent', creationTimestamp: CREATED },
        spec: {
          selector: { matchLabels: { app: 'agent' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
          template: {
            spec: {
              nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' },
              containers: [
                { name: 'agent', image: 'agent:2' },
                { name: 'exporter', image: 'exporter:1' },
              ],
            },
          },
        },
      },
      want: ['agent', 0, 0, 0, 0, 0, 'disk=ssd,kubernetes.io/os=linux', '2m', 'agent,exporter', 'agent:2,exporter:1', 'app=agent,tier in (a,b)'],
    },
    {
      name: 'controllerrevisions: owned by a daemonset',
      resource: 'controllerrevisions',
      obj: {
        metadata: {
          name: 'fluentd-5d4f8b',
          creationTimestamp: CREATED,
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: 'unrelated', uid: 'u1' },
            { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u2', controller: true },
          ],
        },
        revision: 2,
      },
      want: ['fluentd-5d4f8b', 'daemonset.apps/fluentd', 2, '2m'],
    },
    {
      name: 'controllerrevisions: owned by a core kind has no group',
      resource: 'controllerrevisions',
      obj: {
        metadata: { name: 'r', creationTimestamp: CREATED, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }] },
        revision: 1,
      },
      want: ['r', 'pod/p', 1, '2m'],
    },
    {
      name: 'controllerrevisions: without a controller',
      resource: 'controllerrevisions',
      obj: { metadata: { name: 'orphan', creationTimestamp: CREATED, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'x', uid: 'u' }] }, revision: 3 },
      want: ['orphan', '<none>', 3, '2m'],
    },
    {
      name: 'namespaces',
      resource: 'namespaces',
      obj: { metadata: { name: 'monitoring', creationTimestamp: CREATED }, status: { phase: 'Terminating' } },
      want: ['monitoring', 'Terminating', '2m'],
    },
    {
      name: 'configmaps: data and binaryData keys together',
      resource: 'configmaps',
      obj: { metadata: { name: 'cfg', creationTimestamp: CREATED }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } },
      want: ['cfg', 3, '2m'],
    },
    {
      name: 'configmaps: empty',
      resource: 'configmaps',
      obj: { metadata: { name: 'empty', creationTimestamp: CREATED } },
      want: ['empty', 0, '2m'],
    },
    {
      name: 'secrets: type and keys, stringData keys counted once',
      resource: 'secrets',
      obj: { metadata: { name: 'creds', creationTimestamp: CREATED }, type: 'Opaque', data: { user: 'YQ==', pass: 'Yg==' }, stringData: { pass: 'b', token: 't' } },
      want: ['creds', 'Opaque', 3, '2m'],
    },
    {
      name: 'serviceaccounts',
      resource: 'serviceaccounts',
      obj: { metadata: { name: 'default', creationTimestamp: CREATED }, secrets: [{ name: 'default-token' }] },
      want: ['default', 1, '2m'],
    },
    {
      name: 'serviceaccounts: without secrets',
      resource: 'serviceaccounts',
      obj: { metadata: { name: 'default', creationTimestamp: CREATED } },
      want: ['default', 0, '2m'],
    },
    {
      name: 'leases: held',
      resource: 'leases',
      obj: { metadata: { name: 'node-1', creationTimestamp: CREATED }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } },
      want: ['node-1', 'node-1', '2m'],
    },
    {
      name: 'leases: not held',
      resource: 'leases',
      obj: { metadata: { name: 'free', creationTimestamp: CREATED }, spec: {} },
      want: ['free', '', '2m'],
    },
    {
      name: 'priorityclasses',
      resource: 'priorityclasses',
      obj: { metadata: { name: 'system-node-critical', creationTimestamp: CREATED }, value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' },
      want: ['system-node-critical', 2000001000, false, '2m', 'PreemptLowerPriority'],
    },
    {
      name: 'priorityclasses: the global default',
      resource: 'priorityclasses',
      obj: { metadata: { name: 'normal', creationTimestamp: CREATED }, value: 0, globalDefault: true },
      want: ['normal', 0, true, '2m', ''],
    },
    {
      name: 'poddisruptionbudgets: min available as a percentage',
      resource: 'poddisruptionbudgets',
      obj: { metadata: { name: 'web', creationTimestamp: CREATED }, spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } },
      want: ['web', '50%', 'N/A', 1, '2m'],
    },
    {
      name: 'poddisruptionbudgets: max unavailable as a number, no status yet',
      resource: 'poddisruptionbudgets',
      obj: { metadata: { name: 'db', creationTimestamp: CREATED }, spec: { maxUnavailable: 1 } },
      want: ['db', 'N/A', '1', 0, '2m'],
    },
    {
      name: 'the default printer shows the creation time, not an age',
      resource: 'widgets',
      obj: { metadata: { name: 'w', creationTimestamp: CREATED } },
      want: ['w', '2024-06-01T11:58:00Z'],
    },
  ];
  for (const { name, resource, obj, want } of cases) {
    it(`printerFor().cells() ${name}`, () => assert.deepEqual(printerFor(resource).cells(obj, NOW), want));
  }

  it('printerFor().cells() fills one cell per column for a bare object', () => {
    const bare: KubeObject = { metadata: {} };
    const resources = ['pods', 'nodes', 'namespaces', 'events', 'configmaps', 'secrets', 'serviceaccounts', 'daemonsets',
      'controllerrevisions', 'leases', 'priorityclasses', 'poddisruptionbudgets', 'widgets'];
    const mismatched = resources.filter((r) => printerFor(r).cells(bare, NOW).length !== printerFor(r).columns.length);
    assert.deepEqual(mismatched, []);
  });
});
