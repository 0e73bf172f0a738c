/**
 * Printers for the `apps` group: daemonsets and controllerrevisions.
 *
 * Upstream: `printDaemonSet` and `printControllerRevision` in pkg/printers/internalversion/printers.go.
 */

import type { ControllerRevision, DaemonSet, KubeObject, OwnerReference } from '../../api/types.js';
import {
  ageColumn,
  ageOf,
  column,
  containerCells,
  containerColumns,
  nameColumn,
  nameOf,
  type TablePrinter,
} from './columns.js';
import { formatLabels, formatLabelSelector } from './selectors.js';

/** NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS IMAGES SELECTOR. */
export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'Nodes that should run a daemon pod.', { type: 'integer' }),
    column('Current', 'Nodes that run at least one daemon pod and should.', { type: 'integer' }),
    column('Ready', 'Nodes whose daemon pod is ready.', { type: 'integer' }),
    column('Up-to-date', 'Nodes whose daemon pod runs the current template.', { type: 'integer' }),
    column('Available', 'Nodes whose daemon pod has been ready for minReadySeconds.', { type: 'integer' }),
    column('Node Selector', 'The nodeSelector of the pod template.'),
    ageColumn,
    ...containerColumns,
    column('Selector', 'The label selector that picks the daemon pods.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    const ds = obj as DaemonSet;
    const status = ds.status;
    const [containers, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      nameOf(ds),
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(ds, now),
      containers,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/**
 * The CONTROLLER cell: the managing owner as `<kind>.<group>/<name>` in lower case
 * (`daemonset.apps/fluentd`; no group for core kinds), or `<none>` without a controller reference.
 */
export function controllerCell(owners: OwnerReference[] | undefined): string {
  const controller = owners?.find((owner) => owner.controller === true);
  if (!controller) return '<none>';
  const group = apiGroupOf(controller.apiVersion);
  const kind = controller.kind ?? '';
  if (!kind && !group) return controller.name;
  const groupKind = group ? `${kind}.${group}` : kind;
  return `${groupKind.toLowerCase()}/${controller.name}`;
}

/** The group of an `apiVersion` (`apps/v1` → `apps`; `v1` → the empty core group). */
function apiGroupOf(apiVersion: string | undefined): string {
  const slash = apiVersion?.indexOf('/') ?? -1;
  return slash === -1 ? '' : apiVersion!.slice(0, slash);
}

/** NAME CONTROLLER REVISION AGE. */
export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Controller', 'The object that owns this revision.'),
    // Upstream declares the column a string although the cell is a number; kubectl prints either.
    column('Revision', 'The revision number, increasing with each template change.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    const revision = obj as ControllerRevision;
    return [nameOf(revision), controllerCell(revision.metadata?.ownerReferences), revision.revision ?? 0, ageOf(revision, now)];
  },
};
