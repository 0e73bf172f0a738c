/**
 * Optimistic-concurrency writes of object metadata (ownerReferences, finalizers) that never clobber
 * a concurrent writer: each patch carries the resourceVersion it was computed from, so the server
 * refuses it with 409 if anything changed meanwhile, and the change is recomputed from a fresh read.
 */
import { isConflict, isNotFound } from '../api/errors.js';
import type { KubeObject, ObjectMeta } from '../api/types.js';
import type { Client, ResourceRef } from './types.js';

/** Metadata fields to set; `null` removes a field (JSON merge patch). */
export type MetadataPatch = { [K in keyof ObjectMeta]?: ObjectMeta[K] | null };

/** How many times a write is computed and sent before a 409 is given up to the caller. */
export const conflictAttempts = 5;

/**
 * Runs `attempt` until it does not fail with 409 Conflict, at most `attempts` times; `attempt` must
 * read what it needs afresh each time. Upstream: `retry.RetryOnConflict` in client-go.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = conflictAttempts): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error) || i >= attempts) throw error;
    }
  }
}

export interface PatchMetadataConfig {
  client: Client;
  resource: ResourceRef;
  namespace?: string;
  name: string;
  /** When set, an object with another uid counts as gone: the one meant was deleted and replaced. */
  uid?: string;
  /** The metadata to change in `latest`, or `undefined` when `latest` needs nothing. */
  change: (latest: KubeObject) => MetadataPatch | undefined;
}

export type PatchOutcome = 'patched' | 'unchanged' | 'gone';

/**
 * Reads the live object, asks `change` what to write, and sends it as a merge patch with
 * `metadata.resourceVersion` as the precondition; on 409 starts over from a new read.
 *
 * Resolves `'gone'` when the object (with that uid) no longer exists, `'unchanged'` when `change`
 * had nothing to do, `'patched'` otherwise. Throws other errors, and the 409 after the last attempt.
 */
export async function patchMetadata(config: PatchMetadataConfig): Promise<PatchOutcome> {
  const { client, resource, namespace, name, uid, change } = config;
  return retryOnConflict(async () => {
    let latest: KubeObject;
    try {
      latest = await client.get(resource, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return 'gone';
      throw error;
    }
    if (uid && latest.metadata.uid !== uid) return 'gone';
    const metadata = change(latest);
    if (!metadata) return 'unchanged';
    try {
      await client.patch(resource, namespace, name, 'merge', { metadata: { ...metadata, resourceVersion: latest.metadata.resourceVersion } });
    } catch (error) {
      if (isNotFound(error)) return 'gone';
      throw error;
    }
    return 'patched';
  });
}

/** The patch that takes `finalizer` off `obj`, or `undefined` if it does not carry it. */
export function withoutFinalizer(obj: KubeObject, finalizer: string): MetadataPatch | undefined {
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return undefined;
  const rest = finalizers.filter((f) => f !== finalizer);
  return { finalizers: rest.length ? rest : null };
}
