/**
 * The store's failures, as `StatusError`s (one error type from store to wire).
 *
 * Messages are plain and name the key; the API server rewrites them with resource names
 * (`pods "web-1" not found`). `details.name` always carries the key so it can.
 */

import { StatusError, badRequest, expired, internalError } from '../api/errors.js';

/** 404: the key does not exist. */
export function keyNotFound(key: string): StatusError {
  return new StatusError({ code: 404, reason: 'NotFound', message: `key "${key}" not found`, details: { name: key } });
}

/** 409 AlreadyExists: a create found the key present. */
export function keyExists(key: string): StatusError {
  return new StatusError({ code: 409, reason: 'AlreadyExists', message: `key "${key}" already exists`, details: { name: key } });
}

/** 409 Conflict: the key is at another revision than the caller expected. */
export function revisionConflict(key: string, expected: number, actual: number): StatusError {
  return new StatusError({
    code: 409,
    reason: 'Conflict',
    message: `key "${key}" is at revision ${actual}, not the expected ${expected}`,
    details: { name: key },
  });
}

/** 410 Expired: a watch asked for history that compaction has removed. Upstream's wording. */
export function compactedAway(requested: number, compacted: number): StatusError {
  return expired(`too old resource version: ${requested} (${compacted})`);
}

/** 400: compaction asked to forget history that has not been written yet. */
export function futureRevision(requested: number, current: number): StatusError {
  return badRequest(`cannot compact to revision ${requested}: the current revision is ${current}`);
}

/** 503: the store was closed; nothing more can be read or written through it. */
export function storeClosed(): StatusError {
  return new StatusError({ code: 503, reason: 'ServiceUnavailable', message: 'the store is closed' });
}

/** 500: a batch of writes could not be committed; none of them took effect. */
export function commitFailed(writes: number, cause: unknown): StatusError {
  return internalError(`could not commit ${writes} write(s): ${describe(cause)}`, cause);
}

/** 500: the store can no longer tell what is durable and refuses further calls until it is reopened. */
export function storeFailed(cause: unknown): StatusError {
  return internalError(`the store failed and must be reopened: ${describe(cause)}`, cause);
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
