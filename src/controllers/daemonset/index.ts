/**
 * The DaemonSet controller's room: the pure pieces of the algorithm (placement, automatic tolerations,
 * pinning, pod construction, status counters, per-node planning, claims), history and expectations, and the
 * controller itself (`DaemonSetController`, `syncDaemonSet`). See README.md.
 */

export * from './node-affinity.js';
export * from './pinning.js';
export * from './placement.js';
export * from './pod-template.js';
export * from './status.js';
export * from './tolerations.js';
export * from './controller.js';
export * from './expectations.js';
export * from './history.js';
export * from './sync.js';
export * from './backoff.js';
export * from './claim.js';
export * from './rolling-update.js';
