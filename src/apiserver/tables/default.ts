/**
 * The printer for resources without one of their own: NAME and CREATED AT.
 *
 * CREATED AT is a `date` column holding the RFC 3339 creation time, not an age, as upstream's default
 * table convertor does.
 *
 * Upstream: `defaultTableConvertor` in staging/src/k8s.io/apiserver/pkg/registry/rest/table.go.
 */

import type { KubeObject } from '../../api/types.js';
import { column, nameColumn, nameOf, type TablePrinter } from './columns.js';
import { formatRFC3339 } from './time.js';

export const defaultPrinter: TablePrinter = {
  columns: [nameColumn(), column('Created At', 'When the object was created.', { type: 'date' })],
  cells(obj: KubeObject): unknown[] {
    return [nameOf(obj), formatRFC3339(obj.metadata?.creationTimestamp)];
  },
};
