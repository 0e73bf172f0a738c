import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseRenewMs } from './cluster.js';

describe('leaseRenewMs', () => {
  const cases: [number | undefined, number][] = [
    [undefined, 10_000],
    [40_000, 10_000],
    [120_000, 10_000],
    [4_000, 1_000],
    [2_000, 500],
    [100, 100],
  ];
  for (const [grace, want] of cases) it(`grace ${grace ?? 'default'} → renew every ${want} ms`, () => assert.equal(leaseRenewMs(grace), want));
});
