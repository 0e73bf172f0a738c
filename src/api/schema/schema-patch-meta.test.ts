import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { patchMetaForKind, type PatchMeta } from './index.js';

/** Follows a path of field names; `[]` steps into list elements or map values. */
function at(meta: PatchMeta | undefined, ...path: string[]): PatchMeta | undefined {
  for (const step of path) meta = step === '[]' ? meta?.elements() : meta?.field(step);
  return meta;
}

const daemonSet = patchMetaForKind({ group: 'apps', version: 'v1', kind: 'DaemonSet' });
const pod = patchMetaForKind({ group: '', version: 'v1', kind: 'Pod' });
const node = patchMetaForKind({ group: '', version: 'v1', kind: 'Node' });
const podSpec = at(daemonSet, 'spec', 'template', 'spec');

describe('patchMetaForKind()', () => {
  const cases: Array<{ name: string; meta: PatchMeta | undefined; strategy?: string; key?: string; type?: string }> = [
    { name: 'containers merge by name', meta: at(podSpec, 'containers'), strategy: 'merge', key: 'name', type: 'array' },
    { name: 'initContainers merge by name', meta: at(podSpec, 'initContainers'), strategy: 'merge', key: 'name', type: 'array' },
    { name: 'volumes merge by name and retain keys', meta: at(podSpec, 'volumes'), strategy: 'merge,retainKeys', key: 'name', type: 'array' },
    { name: 'tolerations have no strategy', meta: at(podSpec, 'tolerations'), type: 'array' },
    { name: 'env merges by name', meta: at(podSpec, 'containers', '[]', 'env'), strategy: 'merge', key: 'name' },
    { name: 'ports merge by containerPort', meta: at(podSpec, 'containers', '[]', 'ports'), strategy: 'merge', key: 'containerPort' },
    { name: 'volumeMounts merge by mountPath', meta: at(podSpec, 'containers', '[]', 'volumeMounts'), strategy: 'merge', key: 'mountPath' },
    { name: 'args have no strategy', meta: at(podSpec, 'containers', '[]', 'args'), type: 'array' },
    { name: 'finalizers merge as a primitive set', meta: at(daemonSet, 'metadata', 'finalizers'), strategy: 'merge', type: 'array' },
    { name: 'ownerReferences merge by uid', meta: at(daemonSet, 'metadata', 'ownerReferences'), strategy: 'merge', key: 'uid' },
    { name: 'node taints have no strategy', meta: at(node, 'spec', 'taints'), type: 'array' },
    { name: 'node podCIDRs merge as a set', meta: at(node, 'spec', 'podCIDRs'), strategy: 'merge' },
    { name: 'pod conditions merge by type', meta: at(pod, 'status', 'conditions'), strategy: 'merge', key: 'type' },
    { name: 'node conditions merge by type', meta: at(node, 'status', 'conditions'), strategy: 'merge', key: 'type' },
    { name: 'daemon set conditions merge by type', meta: at(daemonSet, 'status', 'conditions'), strategy: 'merge', key: 'type' },
    { name: 'labels are a map of strings', meta: at(daemonSet, 'metadata', 'labels'), type: 'map' },
    { name: 'the selector is an object', meta: at(daemonSet, 'spec', 'selector'), type: 'object' },
    { name: 'matchExpressions have no strategy', meta: at(daemonSet, 'spec', 'selector', 'matchExpressions'), type: 'array' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.ok(c.meta, 'path resolves');
      assert.equal(c.meta.patchStrategy, c.strategy);
      assert.equal(c.meta.patchMergeKey, c.key);
      if (c.type) assert.equal(c.meta.type, c.type);
    });
  }

  it('describes list elements and map values', () => {
    assert.equal(at(podSpec, 'containers', '[]')?.type, 'object');
    assert.equal(at(podSpec, 'containers', '[]', 'image')?.type, 'string');
    assert.equal(at(daemonSet, 'metadata', 'labels', '[]')?.type, 'string');
    assert.equal(at(podSpec, 'containers', '[]', 'resources', 'limits', '[]')?.type, undefined, 'a quantity may be a string or a number');
  });

  it('returns undefined for unknown fields and for kinds not served', () => {
    assert.equal(at(podSpec, 'imagee'), undefined);
    assert.equal(at(podSpec, '__proto__'), undefined);
    assert.equal(at(podSpec, 'hostNetwork', 'x'), undefined);
    assert.equal(patchMetaForKind({ group: 'apps', version: 'v1', kind: 'Deployment' }), undefined);
  });

  it('treats free-form values as any', () => {
    const revision = patchMetaForKind({ group: 'apps', version: 'v1', kind: 'ControllerRevision' });
    assert.equal(revision?.field('data')?.type, 'any');
  });
});
