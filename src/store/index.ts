/**
 * The store room: the `Store` contract and its backends. The contract suite (`contract.ts`) is imported
 * directly by each backend's tests, not from here.
 */

export type { ListResult, Store, StorableObject, StoreEvent, StoredObject, WatchHandle } from './types.js';
export type { StoreStats } from './group-commit.js';
export { MemoryStore } from './memory.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
