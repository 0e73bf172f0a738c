import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { Lease } from '../types.js';
import { leaseRules, validateLease } from './lease.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

const newLease = (spec: Record<string, unknown>): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'node-1', namespace: 'kube-node-lease' },
  spec,
});

describe('validateLease()', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'accepts a node heartbeat', spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' }, want: [] },
    { name: 'rejects a zero duration', spec: { leaseDurationSeconds: 0 }, want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'] },
    { name: 'rejects negative transitions', spec: { leaseTransitions: -1 }, want: ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'requires a strategy for a preferred holder',
      spec: { preferredHolder: 'node-2' },
      want: ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'],
    },
    {
      name: 'rejects an unknown built-in strategy',
      spec: { strategy: 'Newest' },
      want: ['spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateLease(newLease(c.spec))), c.want));
  }

  it('checks updates like creates and has no defaults', () => {
    const lease = newLease({ leaseDurationSeconds: 0 });
    const before = structuredClone(lease);
    leaseRules.applyDefaults(lease);
    assert.deepEqual(lease, before);
    assert.deepEqual(messages(leaseRules.validateUpdate(lease, before)), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
  });
});
