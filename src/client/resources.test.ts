import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findResource } from '../apiserver/resources.js';
import { refs } from './types.js';
import { findResourceKind, groupOf, resourceKinds } from './resources.js';

describe('resourceKinds', () => {
  it('covers every resource in refs', () => {
    assert.deepEqual(resourceKinds.map((r) => r.ref), Object.values(refs));
  });

  // The controllers restate these facts because they may not import the API server; this keeps
  // the two tables from drifting apart.
  for (const r of resourceKinds) {
    it(`agrees with the API server on ${r.ref.resource}`, () => {
      const served = findResource(r.ref.group, r.ref.version, r.ref.resource);
      assert.ok(served, 'served by the API server');
      assert.equal(r.kind, served.kind);
      assert.equal(r.namespaced, served.namespaced);
    });
  }
});

describe('findResourceKind', () => {
  const table: { apiVersion: string; kind: string; resource?: string }[] = [
    { apiVersion: 'apps/v1', kind: 'DaemonSet', resource: 'daemonsets' },
    { apiVersion: 'apps/v1beta2', kind: 'DaemonSet', resource: 'daemonsets' },
    { apiVersion: 'v1', kind: 'Pod', resource: 'pods' },
    { apiVersion: 'v1', kind: 'DaemonSet' },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  ];
  for (const { apiVersion, kind, resource } of table) {
    it(`resolves ${kind} in ${apiVersion} to ${resource ?? 'nothing'}`, () => {
      assert.equal(findResourceKind(apiVersion, kind)?.ref.resource, resource);
    });
  }

  it('groupOf() reads the group of an apiVersion', () => {
    assert.equal(groupOf('apps/v1'), 'apps');
    assert.equal(groupOf('v1'), '');
  });
});
