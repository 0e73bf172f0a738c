export { GarbageCollector, type GarbageCollectorConfig } from './garbage-collector.js';
