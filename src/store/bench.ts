/**
 * A write-throughput probe for any `Store`, used by benchmarks (it prints nothing and never judges).
 */

import type { Store } from './types.js';

export interface BenchStoreWritesOptions {
  /** Writes kept in flight at once, like that many clients each waiting for its answer. @default 1000 */
  concurrency?: number;
  /** Key prefix; keys must not exist yet. @default '/registry/pods/bench/' */
  prefix?: string;
}

/**
 * Creates `n` pod-like objects of about 3 KB (the size the reference measurements use) with
 * `concurrency` writes in flight, and returns acknowledged writes per second.
 */
export async function benchStoreWrites(store: Store, n: number, options: BenchStoreWritesOptions = {}): Promise<number> {
  const { concurrency = 1000, prefix = '/registry/pods/bench/' } = options;
  let next = 0;
  async function client(): Promise<void> {
    while (next < n) {
      const name = `pod-${next++}`;
      await store.create(prefix + name, benchPod(name));
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, client));
  const seconds = (performance.now() - started) / 1000;
  return n / seconds;
}

const filler = 'x'.repeat(2600);

function benchPod(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bench', labels: { app: 'bench' }, annotations: { filler } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
  };
}
