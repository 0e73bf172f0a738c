import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { PodDisruptionBudget } from '../types.js';
import {
  validatePodDisruptionBudgetCreate,
  validatePodDisruptionBudgetStatusUpdate,
  validatePodDisruptionBudgetUpdate,
} from './poddisruptionbudget.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

function newPdb(spec: PodDisruptionBudget['spec'], name = 'agent'): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec };
}

const selector = { matchLabels: { app: 'agent' } };

describe('validatePodDisruptionBudgetCreate()', () => {
  const cases: { name: string; pdb: PodDisruptionBudget; want: string[] }[] = [
    { name: 'accepts minAvailable', pdb: newPdb({ minAvailable: 2, selector }), want: [] },
    { name: 'accepts a maxUnavailable percentage', pdb: newPdb({ maxUnavailable: '30%', selector }), want: [] },
    { name: 'accepts neither bound', pdb: newPdb({ selector }), want: [] },
    {
      name: 'rejects both bounds',
      pdb: newPdb({ minAvailable: 1, maxUnavailable: 1, selector }),
      want: [
        'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
      ],
    },
    {
      name: 'rejects a percentage above 100%',
      pdb: newPdb({ minAvailable: '150%', selector }),
      want: ['spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%'],
    },
    {
      name: 'rejects a negative bound',
      pdb: newPdb({ maxUnavailable: -1, selector }),
      want: ['spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'rejects an invalid selector',
      pdb: newPdb({ minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }),
      want: ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    },
    {
      name: 'rejects an unknown eviction policy',
      pdb: newPdb({ minAvailable: 1, selector, unhealthyPodEvictionPolicy: 'Never' }),
      want: ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'],
    },
    {
      name: 'checks the name only once the spec is valid',
      pdb: newPdb({ minAvailable: 1, selector }, 'a/b'),
      want: ["metadata.name: Invalid value: \"a/b\": may not contain '/'"],
    },
    {
      name: 'reports spec errors before name errors',
      pdb: newPdb({ minAvailable: -1, selector }, 'a/b'),
      want: ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validatePodDisruptionBudgetCreate(c.pdb)), c.want));
  }

  it('lets an update change the bounds', () => {
    assert.deepEqual(validatePodDisruptionBudgetUpdate(newPdb({ maxUnavailable: 1, selector })), []);
  });
});

describe('validatePodDisruptionBudgetStatusUpdate()', () => {
  const status = { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 };
  const cases: { name: string; status: Record<string, unknown>; want: string[] }[] = [
    { name: 'accepts counters', status, want: [] },
    { name: 'rejects negative counters', status: { ...status, expectedPods: -1 }, want: ['status.expectedPods: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'checks conditions',
      status: { ...status, conditions: [{ type: 'DisruptionAllowed', status: 'Maybe', reason: 'Sufficient Pods', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
      want: [
        'status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
        "status.conditions[0].reason: Invalid value: \"Sufficient Pods\": a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')",
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pdb = { ...newPdb({ minAvailable: 1, selector }), status: c.status } as PodDisruptionBudget;
      assert.deepEqual(messages(validatePodDisruptionBudgetStatusUpdate(pdb)), c.want);
    });
  }
});
