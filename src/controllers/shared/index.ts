/** Machinery every controller shares: clock, work queue, worker loop, informer, metadata writes. */
export { realClock, FakeClock, type Clock, type Timer } from './clock.js';
export { ExponentialBackoff, type ExponentialBackoffConfig, type RateLimiter } from './rate-limiter.js';
export { WorkQueue, type WorkQueueConfig } from './work-queue.js';
export { runWorkers, TerminalError, type SyncFunction, type SyncResult, type Workers, type WorkersConfig } from './workers.js';
export { Informer, type InformerConfig, type InformerHandlers } from './informer.js';
export { silentLogger, errorText, type Logger } from './logger.js';
export { patchMetadata, retryOnConflict, withoutFinalizer, type MetadataPatch, type PatchMetadataConfig, type PatchOutcome } from './metadata-patch.js';
export { foregroundDeletionFinalizer, hasFinalizer, isBeingDeleted, objectKey, orphanFinalizer, splitObjectKey } from './object-meta.js';
export { apiVersionOf, findResourceKind, namespacedResourceKinds, resourceKinds, type ResourceKind } from './resources.js';
