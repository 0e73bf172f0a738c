/**
 * Finding the scale of a pod's controller, for budgets that need it (`maxUnavailable`, or `minAvailable`
 * as a percentage).
 *
 * Upstream tries ReplicationControllers, Deployments (through their ReplicaSets), ReplicaSets and
 * StatefulSets from informers, then any kind that implements the `scale` subresource; a controller of a
 * kind without it is an error ("daemonsets.apps does not implement the scale subresource"), which the
 * budget shows as DisruptionAllowed=False/SyncFailed. Pods of DaemonSets are in that case upstream (a
 * proposal to give DaemonSets a scale, KEP-3088, was not merged).
 *
 * everynode serves none of the workload kinds with a scale, so every controller of a served kind gets
 * that error, and a controller of a kind it does not serve gets upstream's REST mapper error.
 * Upstream: finders, getScaleController and verifyGroupKind in pkg/controller/disruption/disruption.go.
 */

import type { OwnerReference } from '../../api/types.js';
import { findResourceKind, resourceName } from '../../client/index.js';
import type { ControllerScale, ScaleFinder } from './budget.js';

/** Splits `group/version` (or `version`) as upstream's ParseGroupVersion; throws on more than one slash. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw new Error(`unexpected GroupVersion string: ${apiVersion}`);
}

/** The scale finder for the kinds everynode serves. See the file comment. */
export const findServedControllerScale: ScaleFinder = (controllerRef: OwnerReference): ControllerScale | undefined => {
  const { group, version } = parseGroupVersion(controllerRef.apiVersion ?? '');
  const mapping = findResourceKind(controllerRef.apiVersion ?? '', controllerRef.kind);
  if (!mapping) {
    const groupVersion = group ? `${group}/${version}` : version;
    throw new Error(`no matches for kind ${JSON.stringify(controllerRef.kind)} in version ${JSON.stringify(groupVersion)}`);
  }
  // None of the served kinds has a scale subresource.
  throw new Error(`${resourceName(mapping.ref)} does not implement the scale subresource`);
};
