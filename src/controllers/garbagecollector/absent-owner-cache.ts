/**
 * Owners known not to exist, so that dependents of one deleted owner do not each ask the server.
 * Keyed by full coordinates, not uid alone: a reference with the right uid but a wrong name or kind
 * must not make a correct reference to that uid look absent. Least recently used entries go first.
 * Upstream: `absentOwnerCache` (a `ReferenceCache` of 500 entries).
 */
import { groupOf } from '../shared/index.js';
import type { ObjectIdentity } from './identity.js';

export class AbsentOwnerCache {
  private readonly entries = new Set<string>();

  constructor(private readonly capacity = 500) {}

  add(owner: ObjectIdentity): void {
    const key = cacheKey(owner);
    this.entries.delete(key);
    this.entries.add(key);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.values().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  has(owner: ObjectIdentity): boolean {
    const key = cacheKey(owner);
    if (!this.entries.has(key)) return false;
    // Refresh: a hit makes the entry the most recently used.
    this.entries.delete(key);
    this.entries.add(key);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}

function cacheKey(id: ObjectIdentity): string {
  return [groupOf(id.apiVersion), id.kind, id.namespace ?? '', id.name, id.uid].join('\u0000');
}
