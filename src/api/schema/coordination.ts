/**
 * coordination.k8s.io/v1 Lease: node heartbeats and leader election.
 */
import { kindOf } from './meta.js';
import { field, int32, microTime, obj, str, typedStr } from './dsl.js';

export const LeaseSpec = obj('io.k8s.api.coordination.v1.LeaseSpec', 'Who holds a lease and until when.', {
  acquireTime: field(microTime, 'When the current holder acquired the lease.'),
  holderIdentity: field(str, 'Identity of the current holder.'),
  leaseDurationSeconds: field(int32, 'Seconds others must wait after the last renewal before taking the lease.'),
  leaseTransitions: field(int32, 'Number of times the lease changed hands.'),
  preferredHolder: field(str, 'Holder the lease should pass to; only for coordinated leader election.'),
  renewTime: field(microTime, 'When the holder last renewed the lease.'),
  strategy: field(typedStr('v1.CoordinatedLeaseStrategy'), 'How a holder is chosen under coordinated leader election.'),
});

export const Lease = kindOf(
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
  'io.k8s.api.coordination.v1.Lease',
  'A time-limited claim, used for node heartbeats and leader election.',
  { spec: field(LeaseSpec, 'Holder and timing of the lease.') },
);
