/**
 * The events printer: LAST SEEN, TYPE, REASON, OBJECT, SUBOBJECT*, SOURCE*, MESSAGE, FIRST SEEN*, COUNT*,
 * NAME* (* = wide only). The wide columns sit between the others because kubectl keeps the server's order.
 *
 * Events come in two shapes: core `v1` and `events.k8s.io/v1`, which renames most fields. Upstream prints
 * both through the core shape; `coreEventView` does the same mapping.
 *
 * Upstream: `printEvent` in pkg/printers/internalversion/printers.go.
 */

import type { Event, KubeObject, ObjectReference } from '../../api/types.js';
import { column, nameColumn, nameOf, type TablePrinter } from './columns.js';
import { parseTimestamp, translateTimestampSince } from './time.js';

/** The fields of an event the printer reads, whichever API group the event came from. */
interface EventView {
  involvedObject: ObjectReference;
  type: string;
  reason: string;
  message: string;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: string | null | undefined;
  lastTimestamp: string | null | undefined;
  eventTime: string | null | undefined;
  count: number;
  series: { count?: number; lastObservedTime?: string } | undefined;
}

/** Reads an event in either shape (core `v1` or `events.k8s.io/v1`) as the core fields. */
export function coreEventView(obj: KubeObject): EventView {
  const event = obj as Event;
  const fields = obj as Record<string, unknown>;
  const newShape = obj.apiVersion?.startsWith('events.k8s.io/') === true;
  const source = (newShape ? fields['deprecatedSource'] : event.source) as Event['source'];
  return {
    involvedObject: ((newShape ? fields['regarding'] : event.involvedObject) ?? {}) as ObjectReference,
    type: event.type ?? '',
    reason: event.reason ?? '',
    message: ((newShape ? fields['note'] : event.message) ?? '') as string,
    sourceComponent: source?.component ?? '',
    sourceHost: source?.host ?? '',
    // Core v1 spells the reporting controller `reportingComponent` on the wire.
    reportingController: ((newShape ? fields['reportingController'] : event.reportingComponent) ?? '') as string,
    reportingInstance: (fields['reportingInstance'] ?? '') as string,
    firstTimestamp: (newShape ? fields['deprecatedFirstTimestamp'] : event.firstTimestamp) as string | undefined,
    lastTimestamp: (newShape ? fields['deprecatedLastTimestamp'] : event.lastTimestamp) as string | undefined,
    eventTime: event.eventTime,
    count: ((newShape ? fields['deprecatedCount'] : event.count) ?? 0) as number,
    series: fields['series'] as EventView['series'],
  };
}

/** The OBJECT cell: `<lowercase kind>/<name>`, or just the kind when the event names no object. */
export function involvedObjectCell(ref: ObjectReference): string {
  const kind = (ref.kind ?? '').toLowerCase();
  return ref.name ? `${kind}/${ref.name}` : kind;
}

/** The SOURCE cell: `component, host`, falling back to the reporting controller and instance. */
function sourceCell(view: EventView): string {
  const component = view.sourceComponent || view.reportingController;
  const host = view.sourceHost || view.reportingInstance;
  return host ? `${component}, ${host}` : component;
}

/**
 * The LAST SEEN, FIRST SEEN and COUNT cells.
 *
 * Events written through the newer API may carry only `eventTime` (a singleton) or a `series` (a repeated
 * event); older ones carry first/last timestamps and a count. A singleton without a count counts as 1.
 */
function occurrenceCells(view: EventView, now: number): { lastSeen: string; firstSeen: string; count: number } {
  const firstSeen =
    parseTimestamp(view.firstTimestamp) === undefined
      ? translateTimestampSince(view.eventTime, now)
      : translateTimestampSince(view.firstTimestamp, now);
  if (view.series) {
    return {
      lastSeen: translateTimestampSince(view.series.lastObservedTime, now),
      firstSeen,
      count: view.series.count ?? 0,
    };
  }
  const lastSeen =
    parseTimestamp(view.lastTimestamp) === undefined ? firstSeen : translateTimestampSince(view.lastTimestamp, now);
  return { lastSeen, firstSeen, count: view.count === 0 ? 1 : view.count };
}

export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'Time since the event was last observed.'),
    column('Type', 'Normal or Warning.'),
    column('Reason', 'A short machine-readable cause of the event.'),
    column('Object', 'The object the event is about, as kind/name.'),
    column('Subobject', 'The part of the object the event is about, such as a container.', { priority: 1 }),
    column('Source', 'The component, and host, that reported the event.', { priority: 1 }),
    column('Message', 'A human-readable description of the event.'),
    column('First Seen', 'Time since the event was first observed.', { priority: 1 }),
    column('Count', 'How many times the event has occurred.', { priority: 1 }),
    nameColumn({ priority: 1 }),
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    const view = coreEventView(obj);
    const { lastSeen, firstSeen, count } = occurrenceCells(view, now);
    return [
      lastSeen,
      view.type,
      view.reason,
      involvedObjectCell(view.involvedObject),
      view.involvedObject.fieldPath ?? '',
      sourceCell(view),
      view.message.trim(),
      firstSeen,
      count,
      nameOf(obj),
    ];
  },
};
