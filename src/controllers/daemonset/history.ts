/**
 * DaemonSet history: the revision hash, ControllerRevision snapshots of the template, and finding (or
 * creating) the revision that matches the current template on every sync.
 *
 * Upstream: constructHistory, controlledHistories, getPatch and snapshot in pkg/controller/daemon/update.go;
 * ComputeHash in pkg/controller/controller_utils.go. Upstream hashes a Go-specific dump of the template; we
 * hash a canonical JSON form instead, so hash values differ from upstream's while keeping its properties
 * (stable for equal templates, different for different ones, collisionCount absent and 0 differ).
 */

import { isAlreadyExists } from '../../api/errors.js';
import type { ControllerRevision, DaemonSet, PodTemplateSpec } from '../../api/types.js';
import { refs, type Client } from '../../client/index.js';
import { defaultDaemonSetUniqueLabelKey, newDaemonSetControllerRef } from './pod-template.js';

/** The characters hashes are rendered with (upstream's SafeEncodeString alphabet: no vowels, no 0/1/3). */
export const safeEncodeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps every character of `text` to the safe alphabet by its char code, as upstream's SafeEncodeString. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += safeEncodeAlphabet[text.charCodeAt(i) % safeEncodeAlphabet.length];
  return out;
}

/** JSON text with object keys sorted at every depth and no whitespace; `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

const fnvOffsetBasis = 0x811c9dc5;
const fnvPrime = 0x01000193;

/** FNV-1a, 32 bit, over `bytes`, continuing from `hash`. */
export function fnv1a32(bytes: Uint8Array, hash = fnvOffsetBasis): number {
  let h = hash >>> 0;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, fnvPrime) >>> 0;
  }
  return h >>> 0;
}

/**
 * The revision hash of a template: FNV-1a (32 bit) over its canonical JSON; when `collisionCount` is given,
 * 8 more bytes are mixed in (the count as a little-endian uint32, then four zero bytes). The decimal value is
 * rendered with {@link safeEncodeString}.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(extra, hash);
  }
  return safeEncodeString(String(hash));
}

/**
 * The revision `data` for a DaemonSet, as canonical JSON text: a strategic-merge patch replacing the whole
 * template, `{"spec":{"template":{...,"$patch":"replace"}}}`, with the template's `metadata.creationTimestamp`
 * written as `null` (as upstream's marshalling does).
 */
export function revisionDataJson(ds: DaemonSet): string {
  const template = ds.spec.template;
  const metadata = { ...template.metadata, creationTimestamp: null };
  return canonicalJson({ spec: { template: { ...template, metadata, $patch: 'replace' } } });
}

/** Whether a stored revision's data equals `dataJson` (the canonical form of both is compared). */
export function revisionMatches(revision: ControllerRevision, dataJson: string): boolean {
  const data = typeof revision.data === 'string' ? safeParse(revision.data) : revision.data;
  return canonicalJson(data) === dataJson;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The ControllerRevision snapshot of `ds`'s template: named `<ds>-<hash>`, labelled with the template labels
 * plus `controller-revision-hash`, annotated with a copy of the DaemonSet's annotations, controlled by `ds`.
 */
export function newControllerRevision(ds: DaemonSet, hash: string, revision: number): ControllerRevision {
  const metadata: ControllerRevision['metadata'] = {
    name: `${ds.metadata.name ?? ''}-${hash}`,
    namespace: ds.metadata.namespace,
    labels: { ...ds.spec.template.metadata?.labels, [defaultDaemonSetUniqueLabelKey]: hash },
    ownerReferences: [newDaemonSetControllerRef(ds)],
  };
  if (ds.metadata.annotations) metadata.annotations = { ...ds.metadata.annotations };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata, data: JSON.parse(revisionDataJson(ds)), revision };
}

/** The ControllerRevisions controlled by `ds` (by controller reference UID) among `revisions`. */
export function controlledHistories(ds: DaemonSet, revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return revisions.filter(
    (revision) =>
      revision.metadata.namespace === ds.metadata.namespace &&
      revision.metadata.ownerReferences?.some((ref) => ref.controller && ref.uid === ds.metadata.uid),
  );
}

/** What {@link constructHistory} found or made. */
export interface History {
  current: ControllerRevision;
  old: ControllerRevision[];
  /** The current hash: the current revision's `controller-revision-hash` label. */
  hash: string;
}

/** Raised when a revision name is taken by a different template; the sync is retried. */
export class HashCollisionError extends Error {
  override readonly name = 'HashCollisionError';
}

/**
 * Finds the revision matching the current template among `revisions` (the DaemonSet's controlled ones) or
 * creates it with `revision = max(old) + 1`; a matching revision with a lower number is renumbered. When the
 * name is taken by a revision with other data, `status.collisionCount` is increased and an error is thrown so
 * the next pass hashes with the new count.
 */
export async function constructHistory(client: Client, ds: DaemonSet, revisions: readonly ControllerRevision[]): Promise<History> {
  const namespace = ds.metadata.namespace;
  const dataJson = revisionDataJson(ds);
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (const revision of revisions) (revisionMatches(revision, dataJson) ? current : old).push(revision);
  const next = old.reduce((max, revision) => Math.max(max, revision.revision), 0) + 1;

  let kept: ControllerRevision | undefined;
  for (const revision of current) if (!kept || revision.revision >= kept.revision) kept = revision;
  if (kept) {
    if (kept.revision < next) {
      kept = await client.patch<ControllerRevision>(refs.controllerrevisions, namespace, kept.metadata.name!, 'merge', { revision: next });
    }
    return { current: kept, old, hash: kept.metadata.labels?.[defaultDaemonSetUniqueLabelKey] ?? kept.metadata.name! };
  }

  const collisionCount = ds.status?.collisionCount;
  const hash = computeHash(ds.spec.template, collisionCount);
  const snapshot = newControllerRevision(ds, hash, next);
  try {
    const created = await client.create<ControllerRevision>(refs.controllerrevisions, namespace, snapshot);
    return { current: created, old, hash };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const existing = await client.get<ControllerRevision>(refs.controllerrevisions, namespace, snapshot.metadata.name!);
  if (revisionMatches(existing, dataJson)) {
    return { current: existing, old, hash: existing.metadata.labels?.[defaultDaemonSetUniqueLabelKey] ?? hash };
  }
  const fresh = await client.get<DaemonSet>(refs.daemonsets, namespace, ds.metadata.name!);
  if (fresh.status?.collisionCount !== collisionCount) {
    throw new HashCollisionError(`collisionCount of daemon set ${namespace}/${ds.metadata.name} changed; retrying`);
  }
  const status = { ...fresh.status!, collisionCount: (collisionCount ?? 0) + 1 };
  await client.update<DaemonSet>(refs.daemonsets, namespace, { ...fresh, status }, { subresource: 'status' });
  throw new HashCollisionError(`found a hash collision for daemon set ${namespace}/${ds.metadata.name}; bumped collisionCount to ${status.collisionCount}`);
}
