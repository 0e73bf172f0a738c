export type { Client, ResourceRef, ListQuery, WatchQuery, WriteQuery, PatchKind, ClientWatch } from './types.js';
export { refs } from './types.js';
export { EventRecorder, type EventSource, type RecordedEvent } from './events.js';
