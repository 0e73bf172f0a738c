/**
 * A child process for the kill -9 durability test (`sqlite.test.ts`): opens a SqliteStore at the path
 * given as argument and writes until killed, many writers at once. Each line `<key> <revision>` is
 * printed only after that write's promise resolved, i.e. after the store acknowledged it as durable.
 *
 * Usage: node --import tsx src/store/testdata/write-storm.ts <database path>
 */

import { SqliteStore } from '../sqlite.js';

const writers = 64;
const updatesPerKey = 3;

const path = process.argv[2];
if (!path) throw new Error('usage: write-storm.ts <database path>');
const store = SqliteStore.open({ path });

function pod(key: string, generation: number) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: key.slice(key.lastIndexOf('/') + 1) }, spec: { generation } };
}

function acknowledge(key: string, revision: number): void {
  process.stdout.write(`${key} ${revision}\n`);
}

/** Creates a key, updates it a few times with the revision it got back, and moves on to the next key. */
async function writer(id: number): Promise<never> {
  for (let round = 0; ; round++) {
    const key = `/registry/pods/storm/w${id}-${round}`;
    let written = await store.create(key, pod(key, 0));
    acknowledge(key, written.revision);
    for (let generation = 1; generation <= updatesPerKey; generation++) {
      written = await store.update(key, pod(key, generation), written.revision);
      acknowledge(key, written.revision);
    }
  }
}

for (let id = 0; id < writers; id++) {
  writer(id).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
