import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { PriorityClass } from '../types.js';
import { priorityClassRules, validatePriorityClass, validatePriorityClassUpdate } from './priorityclass.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

function newPriorityClass(fields: Partial<PriorityClass> = {}): PriorityClass {
  const pc: PriorityClass = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, ...fields };
  priorityClassRules.applyDefaults(pc);
  return pc;
}

describe('PriorityClass defaults', () => {
  it('defaults preemptionPolicy to PreemptLowerPriority', () => {
    assert.equal(newPriorityClass().preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(newPriorityClass({ preemptionPolicy: 'Never' }).preemptionPolicy, 'Never');
  });
});

describe('validatePriorityClass()', () => {
  const reserved = "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: ";
  const cases: { name: string; pc: PriorityClass; want: string[] }[] = [
    { name: 'accepts a user class', pc: newPriorityClass(), want: [] },
    { name: 'accepts the largest user value', pc: newPriorityClass({ value: 1_000_000_000 }), want: [] },
    {
      name: 'rejects a user value above 1e9',
      pc: newPriorityClass({ value: 2_000_000_000 }),
      want: ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
    },
    {
      name: 'reserves the system- prefix',
      pc: newPriorityClass({ metadata: { name: 'system-foo' } }),
      want: [`${reserved}system-foo is not a known system priority class`],
    },
    { name: 'accepts a built-in class as defined', pc: newPriorityClass({ metadata: { name: 'system-node-critical' }, value: 2_000_001_000 }), want: [] },
    {
      name: 'rejects a built-in class with another value',
      pc: newPriorityClass({ metadata: { name: 'system-cluster-critical' }, value: 5 }),
      want: [`${reserved}value of system-cluster-critical PriorityClass must be 2000000000`],
    },
    {
      name: 'rejects an unknown preemption policy',
      pc: newPriorityClass({ preemptionPolicy: 'Sometimes' }),
      want: ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"'],
    },
    {
      name: 'rejects a namespace',
      pc: newPriorityClass({ metadata: { name: 'high', namespace: 'default' } }),
      want: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validatePriorityClass(c.pc)), c.want));
  }
});

describe('validatePriorityClassUpdate()', () => {
  const cases: { name: string; change: Partial<PriorityClass>; want: string[] }[] = [
    { name: 'accepts a new description', change: { description: 'important' }, want: [] },
    { name: 'keeps the value', change: { value: 2000 }, want: ['value: Forbidden: may not be changed in an update.'] },
    { name: 'keeps the preemption policy', change: { preemptionPolicy: 'Never' }, want: ['preemptionPolicy: Invalid value: "Never": field is immutable'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validatePriorityClassUpdate(newPriorityClass(c.change), newPriorityClass())), c.want));
  }
});
