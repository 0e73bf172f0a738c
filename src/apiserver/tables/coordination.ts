/**
 * Printer for `coordination.k8s.io` leases.
 *
 * Upstream: `printLease` in pkg/printers/internalversion/printers.go.
 */

import type { KubeObject, Lease } from '../../api/types.js';
import { ageColumn, ageOf, column, nameColumn, nameOf, type TablePrinter } from './columns.js';

/** NAME HOLDER AGE. HOLDER is empty while nobody holds the lease. */
export const leasePrinter: TablePrinter = {
  columns: [nameColumn(), column('Holder', 'Identity of the current holder of the lease.'), ageColumn],
  cells(obj: KubeObject, now: number): unknown[] {
    return [nameOf(obj), (obj as Lease).spec?.holderIdentity ?? '', ageOf(obj, now)];
  },
};
