import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OwnerReference } from '../../api/types.js';
import { decideForDependent, type ClassifiedReferences, type DependentDecision, type DependentFacts } from './attempt-to-delete.js';

const ref = (uid: string): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: `ds-${uid}`, uid });

interface Case {
  name: string;
  refs: Partial<Record<keyof ClassifiedReferences, string[]>>;
  facts?: Partial<DependentFacts>;
  decision: DependentDecision;
}

const cases: Case[] = [
  { name: 'a solid owner alone keeps the object', refs: { solid: ['a'] }, decision: { action: 'keep' } },
  { name: 'a solid owner keeps it but the dangling reference goes', refs: { solid: ['a'], dangling: ['b'] }, decision: { action: 'removeReferences', ownerUids: ['b'] } },
  {
    name: 'a solid owner keeps it but a reference to an owner waiting in the foreground goes too',
    refs: { solid: ['a'], dangling: ['b'], waitingForDependentsDeletion: ['c'] },
    decision: { action: 'removeReferences', ownerUids: ['b', 'c'] },
  },
  { name: 'only dangling owners: deleted in the background', refs: { dangling: ['a', 'b'] }, decision: { action: 'delete', policy: 'Background', unblockOwnersFirst: false } },
  {
    name: 'only dangling owners and an orphan finalizer: deleted with Orphan',
    refs: { dangling: ['a'] },
    facts: { finalizers: ['orphan'] },
    decision: { action: 'delete', policy: 'Orphan', unblockOwnersFirst: false },
  },
  {
    name: 'only dangling owners and a foregroundDeletion finalizer: deleted in the foreground',
    refs: { dangling: ['a'] },
    facts: { finalizers: ['example.com/x', 'foregroundDeletion'] },
    decision: { action: 'delete', policy: 'Foreground', unblockOwnersFirst: false },
  },
  {
    name: 'an owner waiting in the foreground and no dependents: deleted in the background',
    refs: { waitingForDependentsDeletion: ['a'] },
    decision: { action: 'delete', policy: 'Background', unblockOwnersFirst: false },
  },
  {
    name: 'an owner waiting in the foreground and dependents: deleted in the foreground',
    refs: { waitingForDependentsDeletion: ['a'], dangling: ['b'] },
    facts: { hasDependents: true },
    decision: { action: 'delete', policy: 'Foreground', unblockOwnersFirst: false },
  },
  {
    name: 'a possible cycle: owners are unblocked before the foreground deletion',
    refs: { waitingForDependentsDeletion: ['a'] },
    facts: { hasDependents: true, aDependentIsDeletingDependents: true },
    decision: { action: 'delete', policy: 'Foreground', unblockOwnersFirst: true },
  },
];

describe('decideForDependent', () => {
  for (const c of cases) {
    it(c.name, () => {
      const refs: ClassifiedReferences = {
        solid: (c.refs.solid ?? []).map(ref),
        dangling: (c.refs.dangling ?? []).map(ref),
        waitingForDependentsDeletion: (c.refs.waitingForDependentsDeletion ?? []).map(ref),
      };
      const facts: DependentFacts = { hasDependents: false, aDependentIsDeletingDependents: false, finalizers: [], ...c.facts };
      assert.deepEqual(decideForDependent(refs, facts), c.decision);
    });
  }
});
