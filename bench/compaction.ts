/**
 * `everynode bench compaction --nodes N --minutes M`: what the API server's periodic compaction costs the
 * writes around it. A lab of N nodes renews N node Leases every 10 s; between two compactions (every 5
 * minutes) that leaves N × 6 × M superseded rows. This writes them into a SQLite store opened as
 * `everynode up` opens it, then compacts them all while a client writes back to back, and reports how
 * long the compaction took and how long each of those writes waited.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type StorableObject } from '../src/store/index.js';
import { percentile, round } from './lib.js';
import { thousands } from './plot.js';

export interface CompactionBenchOptions {
  nodes: number;
  minutes: number;
  log: (line: string) => void;
}

export interface CompactionBenchResult {
  scenario: 'compaction';
  nodes: number;
  minutes: number;
  /** Rows the compaction removed. */
  superseded: number;
  seconds: number;
  /** Writes committed while it ran, and their latencies. */
  writes: number;
  p50WriteMs: number;
  p99WriteMs: number;
  maxWriteMs: number;
}

/** A node Lease as a simulated kubelet writes it, renewed at `renewal`. */
function lease(node: number, renewal: number): StorableObject {
  const renewTime = new Date(Date.UTC(2026, 10, 25, 6, 0, 0) + renewal * 10_000).toISOString().replace('Z', '000Z');
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: `node-${node}`,
      namespace: 'kube-node-lease',
      uid: `5d0c1e2f-3a4b-4c5d-8e7f-${node.toString(16).padStart(12, '0')}`,
      creationTimestamp: '2026-11-25T06:00:00Z',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: `node-${node}`, uid: `6e1d2f3a-4b5c-4d6e-9f8a-${node.toString(16).padStart(12, '0')}` }],
    },
    spec: { holderIdentity: `node-${node}`, leaseDurationSeconds: 40, renewTime },
  } as StorableObject;
}

const leaseKey = (node: number) => `/registry/leases/kube-node-lease/node-${node}`;

export async function benchCompaction(options: CompactionBenchOptions): Promise<CompactionBenchResult> {
  const { nodes, minutes, log } = options;
  const renewals = minutes * 6;
  const dir = mkdtempSync(join(tmpdir(), 'everynode-compaction-'));
  const store = SqliteStore.open({ path: join(dir, 'everynode.db') });
  try {
    const revisions = await Promise.all(Array.from({ length: nodes }, (_, i) => store.create(leaseKey(i), lease(i, 0)).then((stored) => stored.revision)));
    for (let renewal = 1; renewal <= renewals; renewal++) {
      await Promise.all(revisions.map(async (revision, i) => (revisions[i] = (await store.update(leaseKey(i), lease(i, renewal), revision)).revision)));
    }
    const superseded = nodes * renewals;
    log(`${thousands(superseded)} superseded Lease rows written (${thousands(nodes)} nodes, ${minutes} min of renewals)`);

    const started = performance.now();
    let compacted = false;
    const compaction = store.compact(store.currentRevision()).then(() => (compacted = true));
    const waits: number[] = [];
    for (let i = 0; !compacted; i = (i + 1) % nodes) {
      const sent = performance.now();
      revisions[i] = (await store.update(leaseKey(i), lease(i, renewals + 1), revisions[i])).revision;
      waits.push(performance.now() - sent);
    }
    await compaction;
    const seconds = round((performance.now() - started) / 1000, 3);
    const result: CompactionBenchResult = {
      scenario: 'compaction',
      nodes,
      minutes,
      superseded,
      seconds,
      writes: waits.length,
      p50WriteMs: percentile(waits, 50),
      p99WriteMs: percentile(waits, 99),
      maxWriteMs: round(Math.max(...waits)),
    };
    log(`compacted in ${seconds} s; ${result.writes} writes meanwhile: p50/p99/max ${result.p50WriteMs}/${result.p99WriteMs}/${result.maxWriteMs} ms`);
    return result;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
