import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { Namespace } from '../types.js';
import { namespaceRules, validateNamespace, validateNamespaceStatusUpdate } from './namespace.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

function newNamespace(edit?: (ns: Namespace) => void): Namespace {
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } };
  edit?.(ns);
  return ns;
}

describe('namespace defaults', () => {
  const cases: { name: string; edit?: (ns: Namespace) => void; create: boolean; expected: Partial<Namespace> }[] = [
    {
      name: 'labels the namespace with its name and makes it Active',
      create: false,
      expected: { metadata: { name: 'monitoring', labels: { 'kubernetes.io/metadata.name': 'monitoring' } }, status: { phase: 'Active' } },
    },
    {
      name: 'overwrites a wrong name label',
      edit: (ns) => (ns.metadata.labels = { team: 'obs', 'kubernetes.io/metadata.name': 'other' }),
      create: false,
      expected: {
        metadata: { name: 'monitoring', labels: { team: 'obs', 'kubernetes.io/metadata.name': 'monitoring' } },
        status: { phase: 'Active' },
      },
    },
    {
      name: 'adds the kubernetes finalizer on create',
      create: true,
      expected: {
        metadata: { name: 'monitoring', labels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
    },
    {
      name: 'keeps other finalizers on create',
      edit: (ns) => (ns.spec = { finalizers: ['example.com/cleanup'] }),
      create: true,
      expected: {
        metadata: { name: 'monitoring', labels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        spec: { finalizers: ['example.com/cleanup', 'kubernetes'] },
        status: { phase: 'Active' },
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ns = newNamespace(c.edit);
      namespaceRules.applyDefaults(ns);
      if (c.create) namespaceRules.prepareForCreate?.(ns);
      assert.deepEqual({ ...ns, apiVersion: undefined, kind: undefined }, { apiVersion: undefined, kind: undefined, ...c.expected });
    });
  }
});

describe('validateNamespace()', () => {
  const cases: { name: string; edit?: (ns: Namespace) => void; want: string[] }[] = [
    { name: 'accepts a plain namespace', want: [] },
    {
      name: 'requires a DNS label name',
      edit: (ns) => (ns.metadata.name = 'my.ns'),
      want: ['metadata.name: Invalid value: "my.ns": must not contain dots'],
    },
    {
      name: 'rejects an unqualified spec finalizer',
      edit: (ns) => (ns.spec = { finalizers: ['custom'] }),
      want: ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
    },
    {
      name: 'rejects a namespace on a namespace',
      edit: (ns) => (ns.metadata.namespace = 'default'),
      want: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateNamespace(newNamespace(c.edit))), c.want));
  }
});

describe('validateNamespaceStatusUpdate()', () => {
  const cases: { name: string; edit: (ns: Namespace) => void; want: string[] }[] = [
    { name: 'accepts Active', edit: (ns) => (ns.status = { phase: 'Active' }), want: [] },
    {
      name: 'rejects Terminating before deletion',
      edit: (ns) => (ns.status = { phase: 'Terminating' }),
      want: ["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"],
    },
    {
      name: 'rejects Active during deletion',
      edit: (ns) => {
        ns.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
        ns.status = { phase: 'Active' };
      },
      want: ["status.Phase: Invalid value: \"Active\": may only be 'Terminating' if `deletionTimestamp` is not empty"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateNamespaceStatusUpdate(newNamespace(c.edit))), c.want));
  }
});
