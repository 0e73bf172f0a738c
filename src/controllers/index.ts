/**
 * The controllers room: each controller is a client of the API (never of the store or the server)
 * and is started with `new X({ client, log? })`, `await x.start()`, and stopped with `await x.stop()`.
 */
export { GarbageCollector, type GarbageCollectorConfig } from './garbagecollector/index.js';
export { DaemonSetController } from './daemonset/index.js';
export { DisruptionController, type DisruptionControllerConfig } from './disruption/index.js';
export { NodeLifecycleController } from './nodelifecycle/index.js';
export { PodGCController } from './podgc/index.js';
export { NamespaceController, type NamespaceControllerConfig, kubernetesFinalizer } from './namespace/index.js';
export {
  ExponentialBackoff,
  FakeClock,
  Informer,
  TerminalError,
  WorkQueue,
  realClock,
  runWorkers,
  silentLogger,
  type Clock,
  type ExponentialBackoffConfig,
  type InformerConfig,
  type InformerHandlers,
  type Logger,
  type RateLimiter,
  type SyncFunction,
  type SyncResult,
  type Timer,
  type WorkQueueConfig,
  type Workers,
  type WorkersConfig,
} from './shared/index.js';
