/**
 * The contract every kind's rules fulfil. Kept apart from `index.ts` so kind files can import the type
 * without importing the table that imports them.
 */

import type { FieldError } from '../errors.js';
import type { KubeObject } from '../types.js';

/**
 * Per-kind defaulting and validation, as pure functions over plain JSON objects.
 *
 * The API server calls, on create: `applyDefaults`, `prepareForCreate` (if any), then
 * `validateCreate`; on update through the main resource: `applyDefaults` on the new object, then
 * `validateUpdate(new, old)`; on update through `/status`: `applyStatusDefaults`, then
 * `validateStatusUpdate`. Metadata rules common to all kinds (immutable name, namespace, uid,
 * creationTimestamp) are the server's business, not these functions'.
 */
export interface KindRules<T extends KubeObject = KubeObject> {
  /** Mutates obj: upstream defaulting (what `kubectl get -o yaml` shows on a real cluster). */
  applyDefaults(obj: T): void;
  /**
   * Mutates obj: what upstream's registry does to new objects of this kind beyond defaulting, when
   * that is specific to the kind (a namespace gets the `kubernetes` finalizer). Optional.
   */
  prepareForCreate?(obj: T): void;
  /**
   * Mutates obj on an update through `/status`: the part of defaulting that concerns status (upstream
   * defaults every decoded object; the rest of obj comes from the stored, already defaulted version).
   * Optional.
   */
  applyStatusDefaults?(obj: T): void;
  /** Errors for a new object, in upstream's order. Empty when it is valid. */
  validateCreate(obj: T): FieldError[];
  /** Errors for an update of the main resource, immutable fields included. */
  validateUpdate(obj: T, old: T): FieldError[];
  /** Errors for an update through `/status`, for kinds that have that subresource. */
  validateStatusUpdate?(obj: T, old: T): FieldError[];
}
