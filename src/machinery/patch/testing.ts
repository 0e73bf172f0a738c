/**
 * Test helpers for code that applies patches: a `PatchMeta` built from a literal description instead
 * of the OpenAPI schema, and checks for untouched inputs, leftover directives and expected errors.
 * Only tests import this file.
 */

import { StatusError } from '../../api/errors.js';
import type { PatchMeta } from '../../api/schema/patch-meta.js';

/** A literal description of a type's patch metadata; nested `fields` and `elements` describe children. */
export interface PatchMetaTable {
  type?: PatchMeta['type'];
  patchStrategy?: string;
  patchMergeKey?: string;
  /** For objects: each known field. A field not listed is unknown (`field()` returns undefined). */
  fields?: Record<string, PatchMetaTable>;
  /** For lists: one element. For maps (`type: 'map'`): one value. */
  elements?: PatchMetaTable;
}

/**
 * A `PatchMeta` answering from `table`.
 *
 * @example
 * const meta = patchMetaFromTable({ fields: { finalizers: { type: 'array', patchStrategy: 'merge' } } });
 */
export function patchMetaFromTable(table: PatchMetaTable): PatchMeta {
  return {
    type: table.type,
    patchStrategy: table.patchStrategy,
    patchMergeKey: table.patchMergeKey,
    field(name: string): PatchMeta | undefined {
      const child = table.fields && Object.prototype.hasOwnProperty.call(table.fields, name) ? table.fields[name] : undefined;
      return child ? patchMetaFromTable(child) : undefined;
    },
    elements(): PatchMeta | undefined {
      return table.elements ? patchMetaFromTable(table.elements) : undefined;
    },
  };
}

/** Freezes `value` and everything inside it, so any attempt to modify it throws (modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The objects and arrays inside `result` that are also inside any of `inputs` (by identity). */
export function sharedContainers(result: unknown, ...inputs: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const collect = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    seen.add(value);
    for (const child of Object.values(value)) collect(child);
  };
  inputs.forEach(collect);
  const shared: unknown[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (seen.has(value)) shared.push(value);
    for (const child of Object.values(value)) visit(child);
  };
  visit(result);
  return shared;
}

/** Object keys starting with `$` anywhere inside `value`, as dotted paths. */
export function directiveKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => directiveKeys(item, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key.startsWith('$') ? [`${path}.${key}`] : []),
    ...directiveKeys(child, `${path}.${key}`),
  ]);
}

/** What a failing patch must throw: a `StatusError` with this code, reason, message and (optionally) cause text. */
export interface ExpectedStatus {
  code: number;
  /** Omit for upstream's reason-less 500s. */
  reason?: string;
  message: string | RegExp;
  /** The text of the error's `cause`, for 422s whose wire message is generic. */
  cause?: string | RegExp;
}

/**
 * A validation function for `assert.throws` that accepts exactly the expected `StatusError` and
 * otherwise throws an error describing the difference.
 */
export function statusError(expected: ExpectedStatus): (error: unknown) => true {
  return (error: unknown) => {
    if (!(error instanceof StatusError)) throw new Error(`expected a StatusError, got ${String(error)}`, { cause: error });
    const { code, reason, message } = error.status;
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    const problems = [
      code !== expected.code && `code ${code}, want ${expected.code}`,
      reason !== expected.reason && `reason ${String(reason)}, want ${String(expected.reason)}`,
      !matches(message, expected.message) && `message ${JSON.stringify(message)}, want ${String(expected.message)}`,
      expected.cause !== undefined && !matches(cause, expected.cause) && `cause ${JSON.stringify(cause)}, want ${String(expected.cause)}`,
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`unexpected StatusError: ${problems.join('; ')}`, { cause: error });
    return true;
  };
}

function matches(actual: string | undefined, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? actual === expected : actual !== undefined && expected.test(actual);
}
