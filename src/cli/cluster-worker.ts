/**
 * Entry point of the lab's cluster thread: runs `startCluster` against the API server of the thread
 * that started it, through a `PortClient`. Messages on parentPort: in `stop`; out `log`, `ready`,
 * `failed`, `stopped`.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { PortClient } from '../client/index.js';
import { reportLoopDelay, startCluster, type ClusterOptions } from './cluster.js';

export interface ClusterWorkerData {
  port: MessagePort;
  options: ClusterOptions;
}

export type ClusterWorkerMessage = { t: 'log'; message: string } | { t: 'ready' } | { t: 'failed'; message: string } | { t: 'stopped' };

const parent = parentPort!;
const { port, options } = workerData as ClusterWorkerData;
const tell = (message: ClusterWorkerMessage) => parent.postMessage(message);
const log = (message: string) => tell({ t: 'log', message });
const client = new PortClient(port);

try {
  const cluster = await startCluster(client, options, log);
  if (process.env.EVERYNODE_LOOP_STATS) reportLoopDelay('cluster thread:', log);
  parent.on('message', (message: { t: 'stop' }) => {
    if (message.t !== 'stop') return;
    cluster.stop().then(
      () => {
        client.close();
        tell({ t: 'stopped' });
      },
      (error: unknown) => tell({ t: 'failed', message: String(error) }),
    );
  });
  tell({ t: 'ready' });
} catch (error) {
  tell({ t: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
