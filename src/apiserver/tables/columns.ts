/**
 * The printer contract and the column building blocks every printer shares.
 *
 * A printer is the server half of `kubectl get`: column definitions plus a function from one object to
 * one row of cells. kubectl prints the cells as they are, so each printer must reproduce upstream's column
 * names, order, types, formats, priorities and cell values exactly (descriptions are our own).
 *
 * Upstream: `AddHandlers` in pkg/printers/internalversion/printers.go.
 */

import type { Container, KubeObject, TableColumnDefinition } from '../../api/types.js';
import { translateTimestampSince } from './time.js';

/**
 * Turns objects of one resource into Table rows.
 *
 * `cells` returns one value per entry of `columns`, in order, including the wide-only (priority 1)
 * columns: the server always fills them and kubectl hides them unless asked for `-o wide`. It never
 * mutates the object and never throws on a partially filled one (missing status, spec or timestamps).
 */
export interface TablePrinter {
  columns: TableColumnDefinition[];
  /**
   * @param obj the object to describe.
   * @param now the current time in epoch milliseconds, for ages.
   */
  cells(obj: KubeObject, now: number): unknown[];
}

interface ColumnOptions {
  type?: TableColumnDefinition['type'];
  format?: string;
  /** 0: always shown; 1: shown only with `-o wide`. */
  priority?: 0 | 1;
}

/** A column definition; a plain string column shown by default unless the options say otherwise. */
export function column(name: string, description: string, options: ColumnOptions = {}): TableColumnDefinition {
  return Object.freeze({
    name,
    type: options.type ?? 'string',
    format: options.format ?? '',
    description,
    priority: options.priority ?? 0,
  });
}

/**
 * The Name column. `format: "name"` is what lets kubectl prefix rows with the resource
 * (`daemonset.apps/fluentd`) in `get ds,pods` and with `--show-kind`.
 */
export function nameColumn(options: Pick<ColumnOptions, 'priority'> = {}): TableColumnDefinition {
  return column('Name', 'The name of the object, unique within its namespace.', { ...options, format: 'name' });
}

/** The Age column: how long ago the object was created. */
export const ageColumn: TableColumnDefinition = column('Age', 'Time since the object was created.');

/** The wide-only Containers and Images columns of workload printers. */
export const containerColumns: readonly TableColumnDefinition[] = [
  column('Containers', 'Names of the containers in the pod template.', { priority: 1 }),
  column('Images', 'Images of the containers in the pod template.', { priority: 1 }),
];

/** The object's name, or an empty string. */
export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** The object's age, or `<unknown>` without a creation timestamp. */
export function ageOf(obj: KubeObject, now: number): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}

/** Container names and images, each joined by commas in declaration order. */
export function containerCells(containers: Container[] | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((container) => container.name).join(','), list.map((container) => container.image ?? '').join(',')];
}

/** The number of keys of a map-valued field, 0 when it is absent. */
export function countKeys(map: unknown): number {
  return map && typeof map === 'object' ? Object.keys(map).length : 0;
}
