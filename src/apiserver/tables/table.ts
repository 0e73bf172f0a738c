/**
 * Builds the `meta.k8s.io/v1` Table that `kubectl get` asks for with
 * `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`.
 *
 * Upstream: `transformResponseObject`/`asTable` in staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go.
 */

import type { KubeObject, Table, TableRow } from '../../api/types.js';
import type { TablePrinter } from './columns.js';

/**
 * What each row carries besides its cells (the `includeObject` query parameter):
 * - `None`: nothing;
 * - `Metadata` (the default): a `PartialObjectMetadata`, from which kubectl takes the namespace for `-A`
 *   and the labels for `--show-labels` and `-L`;
 * - `Object`: the whole object, which `--sort-by` needs to sort on fields outside metadata.
 */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface ToTableOptions {
  /** The current time in epoch milliseconds, for ages. */
  now: number;
  /** The list's (or the single object's) resourceVersion; `kubectl get -w` watches from it. */
  resourceVersion: string;
  includeObject: IncludeObject;
  /** The continue token of a paginated list, when more items follow. */
  continueToken?: string;
  /**
   * Type information for `includeObject: 'Object'` rows whose objects lack `apiVersion` or `kind`;
   * kubectl cannot decode a row object without both. Objects that carry them are passed through untouched.
   */
  typeMeta?: { apiVersion: string; kind: string };
}

/**
 * Renders objects as a Table with the printer's columns, one row per object, in the given order.
 *
 * Cheap by design, since it runs over whole LISTs (thousands of pods): objects are never copied.
 * Row objects share the input's `metadata` (or the input object itself), so callers must not mutate the
 * objects while the Table is in use.
 */
export function toTable(printer: TablePrinter, objects: KubeObject[], opts: ToTableOptions): Table {
  const rows: TableRow[] = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const obj = objects[i]!;
    const row: TableRow = { cells: printer.cells(obj, opts.now) };
    const rowObject = objectForRow(obj, opts);
    if (rowObject !== undefined) row.object = rowObject;
    rows[i] = row;
  }
  const metadata: Table['metadata'] = { resourceVersion: opts.resourceVersion };
  if (opts.continueToken) metadata.continue = opts.continueToken;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns.slice(),
    rows,
  };
}

function objectForRow(obj: KubeObject, opts: ToTableOptions): unknown {
  switch (opts.includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      return withTypeMeta(obj, opts.typeMeta);
    case 'Metadata':
    default:
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  }
}

function withTypeMeta(obj: KubeObject, typeMeta: ToTableOptions['typeMeta']): KubeObject {
  if (!typeMeta || (obj.apiVersion && obj.kind)) return obj;
  // A shallow copy: only the two top-level fields change.
  return { ...obj, apiVersion: obj.apiVersion || typeMeta.apiVersion, kind: obj.kind || typeMeta.kind };
}
