import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { ControllerRevision } from '../types.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from './controllerrevision.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

function newRevision(fields: Partial<ControllerRevision> = {}): ControllerRevision {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: 'agent-5d8f7b9c6d', namespace: 'default', labels: { 'controller-revision-hash': '5d8f7b9c6d' } },
    data: { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'agent', image: 'agent:1' }] } } } },
    revision: 1,
    ...fields,
  };
}

describe('validateControllerRevision()', () => {
  const cases: { name: string; revision: ControllerRevision; want: string[] }[] = [
    { name: 'accepts a revision', revision: newRevision(), want: [] },
    { name: 'requires data', revision: newRevision({ data: undefined }), want: ['data: Required value: data is mandatory'] },
    { name: 'rejects a negative revision', revision: newRevision({ revision: -1 }), want: ['revision: Invalid value: -1: must be greater than or equal to 0'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateControllerRevision(c.revision)), c.want));
  }
});

describe('validateControllerRevisionUpdate()', () => {
  it('allows metadata changes', () => {
    const next = newRevision();
    next.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u-1', controller: true }];
    assert.deepEqual(validateControllerRevisionUpdate(next, newRevision()), []);
  });

  it('keeps data immutable', () => {
    const next = newRevision({ data: { spec: {} } });
    assert.deepEqual(messages(validateControllerRevisionUpdate(next, newRevision())), ['data: Invalid value: {"spec":{}}: field is immutable']);
  });
});
