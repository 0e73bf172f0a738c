import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { KubeObject } from '../../api/types.js';
import { printerFor, toTable, type ToTableOptions } from './index.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default', labels: { app: 'x' }, resourceVersion: '41', creationTimestamp: '2024-06-01T11:59:00Z' },
  data: { a: '1' },
};

function tableOf(objects: KubeObject[], opts: Partial<ToTableOptions> = {}) {
  return toTable(printerFor('configmaps'), objects, { now: NOW, resourceVersion: '42', includeObject: 'Metadata', ...opts });
}

describe('toTable()', () => {
  it('toTable() builds a meta.k8s.io/v1 Table with the list resourceVersion and the printer columns', () => {
    const table = tableOf([configMap]);
    assert.deepEqual(
      { kind: table.kind, apiVersion: table.apiVersion, metadata: table.metadata, columns: table.columnDefinitions.map((c) => c.name), cells: table.rows.map((r) => r.cells) },
      { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '42' }, columns: ['Name', 'Data', 'Age'], cells: [['cfg', 1, '60s']] },
    );
  });

  it('toTable() carries the continue token of a paginated list', () => {
    assert.deepEqual(tableOf([configMap], { continueToken: 'abc' }).metadata, { resourceVersion: '42', continue: 'abc' });
  });

  it('toTable() returns no rows for no objects', () => {
    assert.deepEqual(tableOf([]).rows, []);
  });

  it('toTable() keeps the order of the objects', () => {
    const other = { ...configMap, metadata: { ...configMap.metadata, name: 'another' } };
    assert.deepEqual(tableOf([configMap, other]).rows.map((r) => r.cells[0]), ['cfg', 'another']);
  });

  const rowObjectCases: { name: string; opts: Partial<ToTableOptions>; obj: KubeObject; want: unknown }[] = [
    {
      name: 'Metadata gives a PartialObjectMetadata',
      opts: { includeObject: 'Metadata' },
      obj: configMap,
      want: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: configMap.metadata },
    },
    { name: 'Object gives the whole object', opts: { includeObject: 'Object' }, obj: configMap, want: configMap },
    {
      name: 'Object fills in missing type information',
      opts: { includeObject: 'Object', typeMeta: { apiVersion: 'v1', kind: 'ConfigMap' } },
      obj: { metadata: { name: 'bare' } },
      want: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bare' } },
    },
    { name: 'None gives no object', opts: { includeObject: 'None' }, obj: configMap, want: undefined },
  ];
  for (const { name, opts, obj, want } of rowObjectCases) {
    it(`toTable() includeObject ${name}`, () => assert.deepEqual(tableOf([obj], opts).rows[0]!.object, want));
  }

  it('toTable() includeObject None leaves the object field out of the row', () => {
    assert.equal('object' in tableOf([configMap], { includeObject: 'None' }).rows[0]!, false);
  });

  it('toTable() shares objects instead of copying them', () => {
    const metadataRow = tableOf([configMap]).rows[0]!.object as KubeObject;
    const objectRow = tableOf([configMap], { includeObject: 'Object', typeMeta: { apiVersion: 'v1', kind: 'ConfigMap' } }).rows[0]!.object;
    assert.deepEqual([metadataRow.metadata === configMap.metadata, objectRow === configMap], [true, true]);
  });

  it('toTable() hands out column definitions callers cannot corrupt', () => {
    const table = tableOf([configMap]);
    table.columnDefinitions.pop();
    assert.equal(tableOf([configMap]).columnDefinitions.length, 3);
  });
});
