/**
 * The pods the DaemonSet controller creates.
 *
 * Upstream: CreatePodTemplate and GetTemplateGeneration in pkg/controller/daemon/util/daemonset_util.go, the
 * pod building in syncNodes (pkg/controller/daemon/daemon_controller.go), and GetPodFromTemplate in
 * pkg/controller/controller_utils.go.
 */

import type { DaemonSet, OwnerReference, Pod, PodTemplateSpec } from '../../api/types.js';
import { replaceDaemonSetPodNodeNameNodeAffinity } from './pinning.js';
import { addOrUpdateDaemonPodTolerations } from './tolerations.js';

/** Pod (and ControllerRevision) label holding the revision hash of the template a pod was made from. */
export const defaultDaemonSetUniqueLabelKey = 'controller-revision-hash';

/** Legacy pod label holding the DaemonSet template generation a pod was made from. */
export const daemonSetTemplateGenerationKey = 'pod-template-generation';

/** DaemonSet annotation mirroring the template generation (a decimal integer, `"1"` on create). */
export const deprecatedTemplateGeneration = 'deprecated.daemonset.template.generation';

const int64Pattern = /^[+-]?[0-9]+$/;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * The DaemonSet's template generation, read from the `deprecated.daemonset.template.generation` annotation.
 * `undefined` when the annotation is absent or is not a 64-bit decimal integer (the controller then simply
 * leaves the generation out, as upstream's syncNodes does on a parse error).
 */
export function getTemplateGeneration(ds: DaemonSet): bigint | undefined {
  const text = ds.metadata.annotations?.[deprecatedTemplateGeneration];
  if (text === undefined || !int64Pattern.test(text)) return undefined;
  const generation = BigInt(text);
  return generation >= int64Min && generation <= int64Max ? generation : undefined;
}

/** What {@link createPodTemplate} stamps on the template. */
export interface PodTemplateStamp {
  /** The current revision hash; an empty string adds no hash label. */
  hash: string;
  /** The DaemonSet template generation; absent adds no generation label. */
  templateGeneration?: bigint | number;
}

/**
 * Returns a deep copy of `template` with the automatic daemon tolerations merged into its spec and two labels
 * added: `pod-template-generation` (when a generation is given) and `controller-revision-hash` (when the
 * hash is not empty). Both overwrite template labels of the same name. The input is not modified.
 */
export function createPodTemplate(template: PodTemplateSpec, stamp: PodTemplateStamp): PodTemplateSpec {
  const copy = structuredClone(template);
  const labels: Record<string, string> = { ...copy.metadata?.labels };
  if (stamp.templateGeneration !== undefined) labels[daemonSetTemplateGenerationKey] = String(stamp.templateGeneration);
  if (stamp.hash !== '') labels[defaultDaemonSetUniqueLabelKey] = stamp.hash;
  return { ...copy, metadata: { ...copy.metadata, labels }, spec: addOrUpdateDaemonPodTolerations(copy.spec) };
}

/** The controller reference every daemon pod carries: apps/v1 DaemonSet, controller, blocking deletion. */
export function newDaemonSetControllerRef(ds: DaemonSet): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    name: ds.metadata.name ?? '',
    uid: ds.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The pod the controller POSTs to run `ds` on `nodeName`: `generateName` `<ds-name>-` in the DaemonSet's
 * namespace; the template's labels (plus the hash and template-generation labels), annotations and finalizers;
 * one controller owner reference; the template spec with the automatic tolerations and with its required node
 * affinity replaced by a single `metadata.name In [nodeName]` term. `spec.nodeName` stays as the template has
 * it (normally empty: the scheduler binds the pod). The DaemonSet is not modified.
 */
export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const template = createPodTemplate(ds.spec.template, { hash, templateGeneration: getTemplateGeneration(ds) });
  const metadata: Pod['metadata'] = {
    generateName: `${ds.metadata.name ?? ''}-`,
    namespace: ds.metadata.namespace,
    labels: template.metadata?.labels ?? {},
    ownerReferences: [newDaemonSetControllerRef(ds)],
  };
  if (template.metadata?.annotations) metadata.annotations = template.metadata.annotations;
  if (template.metadata?.finalizers) metadata.finalizers = template.metadata.finalizers;
  const spec = { ...template.spec, affinity: replaceDaemonSetPodNodeNameNodeAffinity(template.spec.affinity, nodeName) };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
