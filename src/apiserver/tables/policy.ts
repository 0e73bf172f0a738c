/**
 * Printer for `policy` poddisruptionbudgets.
 *
 * Upstream: `printPodDisruptionBudget` in pkg/printers/internalversion/printers.go.
 */

import type { IntOrString, KubeObject, PodDisruptionBudget } from '../../api/types.js';
import { ageColumn, ageOf, column, nameColumn, nameOf, type TablePrinter } from './columns.js';

/** A budget bound as written (`2`, `50%`), or `N/A` when the budget does not set it. */
function boundCell(bound: IntOrString | undefined): string {
  return bound === undefined || bound === null ? 'N/A' : String(bound);
}

/** NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. A budget sets exactly one of the two bounds. */
export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Min Available', 'Pods that must stay available, as a number or a percentage.'),
    column('Max Unavailable', 'Pods that may be unavailable, as a number or a percentage.'),
    column('Allowed Disruptions', 'Pods that may be evicted right now.', { type: 'integer' }),
    ageColumn,
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    const pdb = obj as PodDisruptionBudget;
    return [
      nameOf(pdb),
      boundCell(pdb.spec?.minAvailable),
      boundCell(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      ageOf(pdb, now),
    ];
  },
};
