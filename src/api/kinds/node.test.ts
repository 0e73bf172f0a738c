import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { Node } from '../types.js';
import { nodeRules, setDefaultsNode, validateNode, validateNodeUpdate, validateNodeUpdateRules } from './node.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

function newNode(): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: {} };
}

function node(edit?: (n: Node) => void): Node {
  const n = newNode();
  edit?.(n);
  setDefaultsNode(n);
  return n;
}

describe('setDefaultsNode()', () => {
  const cases: { name: string; edit: (n: Node) => void; want: (n: Node) => unknown; expected: unknown }[] = [
    {
      name: 'copies capacity into a missing allocatable',
      edit: (n) => (n.status = { capacity: { cpu: '4', pods: '110' } }),
      want: (n) => n.status?.allocatable,
      expected: { cpu: '4', pods: '110' },
    },
    {
      name: 'keeps an explicit allocatable',
      edit: (n) => (n.status = { capacity: { cpu: '4' }, allocatable: { cpu: '3800m' } }),
      want: (n) => n.status?.allocatable,
      expected: { cpu: '3800m' },
    },
    {
      name: 'prints capacity in canonical form',
      edit: (n) => (n.status = { capacity: { cpu: 4, memory: '8192Mi' } as unknown as Record<string, string> }),
      want: (n) => n.status?.capacity,
      expected: { cpu: '4', memory: '8Gi' },
    },
    {
      name: 'fills podCIDRs from podCIDR',
      edit: (n) => (n.spec = { podCIDR: '10.244.1.0/24' }),
      want: (n) => n.spec,
      expected: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    },
    {
      name: 'fills podCIDR from podCIDRs',
      edit: (n) => (n.spec = { podCIDRs: ['10.244.1.0/24', 'fd00:1::/64'] }),
      want: (n) => n.spec,
      expected: { podCIDRs: ['10.244.1.0/24', 'fd00:1::/64'], podCIDR: '10.244.1.0/24' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(c.want(node(c.edit)), c.expected));
  }
});

describe('validateNode()', () => {
  const cases: { name: string; edit?: (n: Node) => void; want: string[] }[] = [
    { name: 'accepts a plain node', want: [] },
    {
      name: 'accepts the same key with different effects',
      edit: (n) => (n.spec = { taints: [{ key: 'dedicated', value: 'a', effect: 'NoSchedule' }, { key: 'dedicated', value: 'a', effect: 'NoExecute' }] }),
      want: [],
    },
    {
      name: 'rejects an unknown taint effect (under metadata.taints, as upstream)',
      edit: (n) => (n.spec = { taints: [{ key: 'k', effect: 'NoRun' as 'NoSchedule' }] }),
      want: ['metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    },
    {
      name: 'requires a taint effect',
      edit: (n) => (n.spec = { taints: [{ key: 'k' } as never] }),
      want: ['metadata.taints[0].effect: Required value'],
    },
    {
      name: 'requires a qualified taint key',
      edit: (n) => (n.spec = { taints: [{ key: '', effect: 'NoSchedule' }] }),
      want: [
        "metadata.taints[0].key: Invalid value: \"\": name part must be non-empty",
        "metadata.taints[0].key: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    },
    {
      name: 'rejects taints repeated by key and effect',
      edit: (n) => (n.spec = { taints: [{ key: 'dedicated', value: 'a', effect: 'NoSchedule' }, { key: 'dedicated', value: 'b', effect: 'NoSchedule' }] }),
      want: [
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"dedicated", Value:"b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      ],
    },
    {
      name: 'rejects a namespace',
      edit: (n) => (n.metadata.namespace = 'default'),
      want: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
    {
      name: 'rejects an invalid pod CIDR',
      edit: (n) => (n.spec = { podCIDRs: ['10.0.0.0/33'] }),
      want: ['spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
    },
    {
      name: 'rejects two pod CIDRs of one family',
      edit: (n) => (n.spec = { podCIDRs: ['10.0.0.0/24', '10.1.0.0/24'] }),
      want: ['spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.1.0.0/24"}: may specify no more than one CIDR for each IP family'],
    },
    {
      name: 'rejects a negative capacity',
      edit: (n) => (n.status = { capacity: { cpu: '-1' } }),
      want: ['status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0', 'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0'],
    },
    {
      name: 'requires whole pod counts',
      edit: (n) => (n.status = { capacity: { pods: '1.5' }, allocatable: { pods: '1' } }),
      want: ['status.capacity.pods: Invalid value: "1500m": must be an integer'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateNode(node(c.edit))), c.want));
  }
});

describe('validateNodeUpdate()', () => {
  const cases: { name: string; old?: (n: Node) => void; change: (n: Node) => void; want: string[] }[] = [
    { name: 'accepts cordoning', change: (n) => (n.spec = { ...n.spec, unschedulable: true }), want: [] },
    { name: 'accepts a first pod CIDR', change: (n) => (n.spec = { podCIDR: '10.0.0.0/24' }), want: [] },
    {
      name: 'rejects a changed pod CIDR',
      old: (n) => (n.spec = { podCIDR: '10.0.0.0/24' }),
      change: (n) => (n.spec = { podCIDR: '10.9.0.0/24', podCIDRs: ['10.9.0.0/24'] }),
      want: ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'],
    },
    {
      name: 'rejects a changed provider ID',
      old: (n) => (n.spec = { providerID: 'kind://a' }),
      change: (n) => (n.spec = { providerID: 'kind://b' }),
      want: ['spec.providerID: Forbidden: node updates may not change providerID except from "" to valid'],
    },
    {
      name: 'reports taint errors twice, as upstream does',
      change: (n) => (n.spec = { taints: [{ key: 'k', effect: 'NoRun' as 'NoSchedule' }] }),
      want: [
        'metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        'metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = node(c.old);
      const next = structuredClone(old);
      c.change(next);
      setDefaultsNode(next);
      assert.deepEqual(messages(validateNodeUpdate(next, old)), c.want);
    });
  }

  it('rejects duplicate addresses in a status update', () => {
    const old = node();
    const next = node((n) => {
      n.status = { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'InternalIP', address: '10.0.0.1' }] };
    });
    assert.equal(nodeRules.validateStatusUpdate, validateNodeUpdateRules);
    assert.deepEqual(messages(validateNodeUpdateRules(next, old)), [
      'status.addresses[1]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"10.0.0.1"}',
    ]);
  });
});
