/**
 * Printer for `scheduling.k8s.io` priorityclasses.
 *
 * Upstream: `printPriorityClass` in pkg/printers/internalversion/printers.go.
 */

import type { KubeObject, PriorityClass } from '../../api/types.js';
import { ageColumn, ageOf, column, nameColumn, nameOf, type TablePrinter } from './columns.js';

/**
 * NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY. Upstream gives PREEMPTIONPOLICY priority 0, so plain
 * `kubectl get priorityclasses` shows it too.
 */
export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Value', 'The priority pods of this class receive.', { type: 'integer' }),
    column('Global-Default', 'Whether pods without a class get this one.', { type: 'boolean' }),
    ageColumn,
    column('PreemptionPolicy', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    const priorityClass = obj as PriorityClass;
    return [
      nameOf(priorityClass),
      priorityClass.value ?? 0,
      priorityClass.globalDefault ?? false,
      ageOf(priorityClass, now),
      priorityClass.preemptionPolicy ?? '',
    ];
  },
};
