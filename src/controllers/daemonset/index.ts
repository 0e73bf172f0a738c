/**
 * The DaemonSet controller's room. So far: the pure pieces of the algorithm (placement, automatic
 * tolerations, pinning, pod construction, status counters).
 */

export * from './node-affinity.js';
export * from './pinning.js';
export * from './placement.js';
export * from './pod-template.js';
export * from './status.js';
export * from './tolerations.js';
