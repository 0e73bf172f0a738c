/**
 * The store room: the `Store` contract and its backends. The contract suite (`contract.ts`) is imported
 * directly by each backend's tests, not from here.
 */

export type { ListResult, Store, StoreEvent, StoredObject, WatchHandle } from './types.js';
export type { StorableObject, StoreStats } from './group-commit.js';
export { MemoryStore } from './memory.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
