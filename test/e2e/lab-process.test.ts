/**
 * `everynode up` as a process: it prints its kubeconfig and a ready line, serves kubectl, shuts down
 * cleanly on SIGTERM, and after a restart — also after `kill -9` in the middle of a write storm —
 * every acknowledged object is back with the same resourceVersion.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { request } from '../../src/testing/http.js';
import { runKubectl } from '../../src/testing/kubectl.js';
import { startLabProcess } from '../../src/testing/lab-process.js';

describe('everynode up', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'everynode-lab-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the kubeconfig, serves kubectl, stops on SIGTERM and keeps objects across restarts', async () => {
    const dir = tempDir();
    const first = await startLabProcess(dir);
    const kubeconfig = join(dir, 'kubeconfig');
    assert.match(first.stdout, new RegExp(`kubeconfig: ${kubeconfig}`));
    assert.match(first.stdout, new RegExp(`export KUBECONFIG=${kubeconfig}`));
    assert.match(readFileSync(kubeconfig, 'utf8'), new RegExp(`server: ${first.url}`));
    const kubectl = (args: string[]) => runKubectl(['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args]);
    assert.equal((await kubectl(['create', 'namespace', 'monitoring'])).stdout.trim(), 'namespace/monitoring created');
    assert.equal((await kubectl(['create', 'configmap', 'settings', '-n', 'monitoring', '--from-literal=a=1'])).code, 0);
    const before = (await request(first.url, 'GET', '/api/v1/namespaces/monitoring/configmaps/settings')).json;
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);

    const second = await startLabProcess(dir);
    const after = (await request(second.url, 'GET', '/api/v1/namespaces/monitoring/configmaps/settings')).json;
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.metadata.uid, before.metadata.uid);
    assert.deepEqual(after.data, { a: '1' });
    const created = await request(second.url, 'POST', '/api/v1/namespaces/monitoring/configmaps', { metadata: { name: 'later' } });
    assert.ok(Number(created.json.metadata.resourceVersion) > Number(before.metadata.resourceVersion), 'revisions continue after a restart');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('loses no acknowledged write when killed with SIGKILL during a write storm', async () => {
    const dir = tempDir();
    const lab = await startLabProcess(dir);
    const acknowledged = new Map<string, string>();
    let stop = false;
    const writer = async (id: number) => {
      for (let i = 0; !stop; i++) {
        const name = `cm-${id}-${i}`;
        try {
          const response = await request(lab.url, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { i: String(i) } });
          if (response.status === 201) acknowledged.set(name, response.json.metadata.resourceVersion);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 16 }, (_, id) => writer(id));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (acknowledged.size >= 400) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    lab.child.kill('SIGKILL');
    await lab.exited;
    stop = true;
    await Promise.all(writers);

    const restarted = await startLabProcess(dir);
    const list = (await request(restarted.url, 'GET', '/api/v1/namespaces/default/configmaps')).json;
    const stored = new Map<string, string>(list.items.map((item: { metadata: { name: string; resourceVersion: string } }) => [item.metadata.name, item.metadata.resourceVersion]));
    for (const [name, rv] of acknowledged) assert.equal(stored.get(name), rv, `acknowledged ${name} at ${rv} must survive`);
    restarted.child.kill('SIGTERM');
    assert.equal(await restarted.exited, 0);
  });
});
