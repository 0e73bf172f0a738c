/**
 * Server-side printing: the Tables `kubectl get` renders.
 *
 * `printerFor(resource)` picks the columns and cell logic for a resource; `toTable` applies a printer to
 * the objects of a GET or LIST. Column sets, cell values and ages follow upstream's printers exactly,
 * because kubectl prints what the server sends without recomputing anything.
 *
 * @example
 * const table = toTable(printerFor('daemonsets'), items, {
 *   now: clock.now(), resourceVersion: list.metadata.resourceVersion!, includeObject: 'Metadata',
 * });
 */

import { controllerRevisionPrinter, daemonSetPrinter } from './apps.js';
import type { TablePrinter } from './columns.js';
import { configMapPrinter, namespacePrinter, secretPrinter, serviceAccountPrinter } from './core.js';
import { leasePrinter } from './coordination.js';
import { defaultPrinter } from './default.js';
import { eventPrinter } from './events.js';
import { nodePrinter } from './nodes.js';
import { podPrinter } from './pods.js';
import { podDisruptionBudgetPrinter } from './policy.js';
import { priorityClassPrinter } from './scheduling.js';

export type { TablePrinter } from './columns.js';
export { toTable, type IncludeObject, type ToTableOptions } from './table.js';
export { humanDuration, translateTimestampSince } from './time.js';

/** Printers by plural resource name. `events` serves both core and `events.k8s.io` events. */
const printers: ReadonlyMap<string, TablePrinter> = new Map([
  ['pods', podPrinter],
  ['nodes', nodePrinter],
  ['namespaces', namespacePrinter],
  ['events', eventPrinter],
  ['configmaps', configMapPrinter],
  ['secrets', secretPrinter],
  ['serviceaccounts', serviceAccountPrinter],
  ['daemonsets', daemonSetPrinter],
  ['controllerrevisions', controllerRevisionPrinter],
  ['leases', leasePrinter],
  ['priorityclasses', priorityClassPrinter],
  ['poddisruptionbudgets', podDisruptionBudgetPrinter],
]);

/**
 * The printer for a plural resource name such as `daemonsets`; resources without a printer of their own
 * get the default one (NAME, CREATED AT).
 */
export function printerFor(resource: string): TablePrinter {
  return printers.get(resource) ?? defaultPrinter;
}
