/**
 * apps/v1 kinds: DaemonSet and ControllerRevision.
 */
import { LabelSelector, kindOf } from './meta.js';
import { PodTemplateSpec } from './pod.js';
import { arrayOf, field, int32, int64, intOrString, keyedBy, obj, rawExtension, str, time, typedStr } from './dsl.js';

const apps = (type: string): string => `io.k8s.api.apps.v1.${type}`;
const gvk = (kind: string) => ({ group: 'apps', version: 'v1', kind });

export const RollingUpdateDaemonSet = obj(apps('RollingUpdateDaemonSet'), 'Pace of a rolling update of daemon pods.', {
  maxSurge: field(
    intOrString,
    'How many nodes (number or percentage of desired nodes, rounded up) may run an old and a new pod at once during the update. Defaults to 0; must be 0 when maxUnavailable is not.',
  ),
  maxUnavailable: field(
    intOrString,
    'How many nodes (number or percentage of desired nodes, rounded up) may be without an available daemon pod during the update. Defaults to 1; must be 0 only when maxSurge is not.',
  ),
});

export const DaemonSetUpdateStrategy = obj(apps('DaemonSetUpdateStrategy'), 'How daemon pods are replaced when the template changes.', {
  rollingUpdate: field(RollingUpdateDaemonSet, 'Pace of the update; only for type RollingUpdate.'),
  type: field(
    typedStr('v1.DaemonSetUpdateStrategyType', ['OnDelete', 'RollingUpdate']),
    'RollingUpdate (default) replaces pods automatically; OnDelete waits until each old pod is deleted by hand.',
  ),
});

export const DaemonSetSpec = obj(apps('DaemonSetSpec'), 'What a daemon set runs on each eligible node, and how it rolls out changes.', {
  minReadySeconds: field(int32, 'Seconds a new pod must be ready, with no container crashing, before it counts as available. Defaults to 0.'),
  revisionHistoryLimit: field(int32, 'How many old ControllerRevisions to keep for rollback. Defaults to 10.'),
  selector: field(LabelSelector, 'Label query over the pods this daemon set manages; must match the template labels.', { required: true }),
  template: field(
    PodTemplateSpec,
    'The pod created on every node that matches its node selector and affinity (every node when none is given). restartPolicy must be Always.',
    { required: true },
  ),
  updateStrategy: field(DaemonSetUpdateStrategy, 'How existing pods are replaced by new ones.'),
});

export const DaemonSetCondition = obj(apps('DaemonSetCondition'), 'One aspect of a daemon set\'s state.', {
  lastTransitionTime: field(time, 'When status last changed.'),
  message: field(str, 'Human-readable detail.'),
  reason: field(str, 'Machine-readable CamelCase cause of the last transition.'),
  status: field(typedStr('v1.ConditionStatus'), 'True, False or Unknown.', { required: true }),
  type: field(typedStr('v1.DaemonSetConditionType'), 'Which aspect this condition describes.', { required: true }),
});

export const DaemonSetStatus = obj(apps('DaemonSetStatus'), 'Observed state of a daemon set. May lag behind.', {
  collisionCount: field(int32, 'Count of name-hash collisions, used to give a new ControllerRevision a distinct name.'),
  conditions: field(arrayOf(DaemonSetCondition), 'Current conditions.', keyedBy('type')),
  currentNumberScheduled: field(int32, 'Nodes that run at least one daemon pod and should.', { required: true }),
  desiredNumberScheduled: field(int32, 'Nodes that should run the daemon pod.', { required: true }),
  numberAvailable: field(int32, 'Nodes that should run the daemon pod and have one available (ready for minReadySeconds).'),
  numberMisscheduled: field(int32, 'Nodes that run a daemon pod but should not.', { required: true }),
  numberReady: field(int32, 'Nodes that should run the daemon pod and have one Ready.', { required: true }),
  numberUnavailable: field(int32, 'Nodes that should run the daemon pod and have none available.'),
  observedGeneration: field(int64, 'Latest metadata.generation the controller has acted on.'),
  updatedNumberScheduled: field(int32, 'Nodes that run a pod of the current template.'),
});

export const DaemonSet = kindOf(gvk('DaemonSet'), apps('DaemonSet'), 'Runs one copy of a pod on every eligible node.', {
  spec: field(DaemonSetSpec, 'Desired behaviour.'),
  status: field(DaemonSetStatus, 'Observed state; set by the controller.'),
});

export const ControllerRevision = kindOf(
  gvk('ControllerRevision'),
  apps('ControllerRevision'),
  'An immutable snapshot of a controller\'s template, kept for rollout history and rollback.',
  {
    data: field(rawExtension, 'The snapshot, in a form chosen by the owning controller.'),
    revision: field(int64, 'Revision number of the snapshot.', { required: true }),
  },
);
