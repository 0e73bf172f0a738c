/**
 * Defaulting for pods, pod templates and the pod specs inside them, as the API server applies it on
 * every write (so that `kubectl get -o yaml` shows what a real cluster shows).
 *
 * Two levels, as upstream: `setDefaultsPodSpec` runs for every embedded pod spec (DaemonSet templates
 * included); `setDefaultsPod` adds the defaults that only real Pods get (service links, requests copied
 * from limits, host ports under host networking), because upstream keeps those out of templates.
 *
 * Upstream: pkg/apis/core/v1/defaults.go and the generated SetObjectDefaults_* functions.
 */

import type { Container, ContainerPort, Pod, PodSpec, PodTemplateSpec, Probe } from '../types.js';
import { asArray, isObject } from './common.js';
import { canonicalizeResourceList, canonicalQuantity } from './resources.js';

/** `terminationMessagePath` every container gets. */
export const terminationMessagePathDefault = '/dev/termination-log';
/** Grace period given to a pod spec without one, in seconds. */
export const defaultTerminationGracePeriodSeconds = 30;
/** Scheduler that binds pods which do not name one. */
export const defaultSchedulerName = 'default-scheduler';
/** File mode for configMap, secret, downwardAPI and projected volumes (0644). */
export const defaultVolumeFileMode = 0o644;

type JsonObject = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Images.

const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const imageReference = new RegExp(
  `^(?:(${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?)/)?` +
    `(${pathComponent}(?:/${pathComponent})*)` +
    '(?::([\\w][\\w.-]{0,127}))?' +
    '(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$',
);

/**
 * The tag a container image resolves to: its explicit tag, `latest` when it has neither tag nor digest,
 * `''` for a digest-only reference, undefined when the reference does not parse.
 */
export function imageTag(image: string): string | undefined {
  const match = imageReference.exec(image);
  if (!match) return undefined;
  const [, , , tag, digest] = match;
  if (tag) return tag;
  return digest ? '' : 'latest';
}

/** `Always` for `:latest` (explicit or implied), `IfNotPresent` otherwise, unparsable images included. */
export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

// ---------------------------------------------------------------------------------------------
// Containers.

function setDefaultsProbe(probe: Probe | undefined): void {
  if (!isObject(probe)) return;
  // Zero counts as unset here, as in upstream (the fields are plain ints there).
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  setDefaultsHandler(probe);
  if (isObject(probe.grpc) && probe.grpc.service === undefined) probe.grpc.service = '';
}

/** httpGet actions (probes and lifecycle hooks) get path `/` and scheme `HTTP`. */
function setDefaultsHandler(handler: JsonObject | undefined): void {
  const httpGet = handler?.httpGet;
  if (!isObject(httpGet)) return;
  if (!httpGet.path) httpGet.path = '/';
  if (!httpGet.scheme) httpGet.scheme = 'HTTP';
}

function setDefaultsFieldRef(fieldRef: unknown): void {
  if (isObject(fieldRef) && !fieldRef.apiVersion) fieldRef.apiVersion = 'v1';
}

/**
 * Container defaults: pull policy from the image tag, termination message path and policy, TCP ports,
 * probe and hook defaults, `resources: {}` when absent, quantities in canonical form.
 */
function setDefaultsContainer(container: Container): void {
  if (!isObject(container)) return;
  if (!container.imagePullPolicy) container.imagePullPolicy = defaultImagePullPolicy(container.image);
  if (!container.terminationMessagePath) container.terminationMessagePath = terminationMessagePathDefault;
  if (!container.terminationMessagePolicy) container.terminationMessagePolicy = 'File';
  for (const port of asArray<ContainerPort>(container.ports)) {
    if (isObject(port) && !port.protocol) port.protocol = 'TCP';
  }
  for (const env of asArray<JsonObject>(container.env)) {
    if (isObject(env) && isObject(env.valueFrom)) setDefaultsFieldRef(env.valueFrom.fieldRef);
  }
  // `resources` is a plain struct upstream, so it always reads back, as `{}` when empty.
  if (!isObject(container.resources)) container.resources = {};
  canonicalizeResourceList(container.resources.limits);
  canonicalizeResourceList(container.resources.requests);
  setDefaultsProbe(container.livenessProbe);
  setDefaultsProbe(container.readinessProbe);
  setDefaultsProbe(container.startupProbe);
  if (isObject(container.lifecycle)) {
    setDefaultsHandler(container.lifecycle.postStart as JsonObject | undefined);
    setDefaultsHandler(container.lifecycle.preStop as JsonObject | undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Volumes.

/** Every volume source field upstream knows; a volume naming none of them becomes an emptyDir. */
const volumeSourceFields = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;

/** The volume source fields set on a volume, in upstream's field order. */
export function volumeSourceFieldsOf(volume: JsonObject): string[] {
  return volumeSourceFields.filter((name) => volume[name] !== undefined && volume[name] !== null);
}

function setDefaultMode(source: unknown): void {
  if (isObject(source) && source.defaultMode === undefined) source.defaultMode = defaultVolumeFileMode;
}

function setDefaultsDownwardAPIItems(source: unknown): void {
  if (!isObject(source)) return;
  for (const item of asArray<JsonObject>(source.items)) if (isObject(item)) setDefaultsFieldRef(item.fieldRef);
}

function setDefaultsVolume(volume: JsonObject): void {
  if (!isObject(volume)) return;
  if (volumeSourceFieldsOf(volume).length === 0) volume.emptyDir = {};
  if (isObject(volume.emptyDir) && volume.emptyDir.sizeLimit !== undefined) volume.emptyDir.sizeLimit = canonicalQuantity(volume.emptyDir.sizeLimit);
  if (isObject(volume.hostPath) && volume.hostPath.type === undefined) volume.hostPath.type = '';
  setDefaultMode(volume.secret);
  setDefaultMode(volume.configMap);
  if (isObject(volume.downwardAPI)) {
    setDefaultMode(volume.downwardAPI);
    setDefaultsDownwardAPIItems(volume.downwardAPI);
  }
  if (isObject(volume.projected)) {
    setDefaultMode(volume.projected);
    for (const source of asArray<JsonObject>(volume.projected.sources)) {
      if (!isObject(source)) continue;
      setDefaultsDownwardAPIItems(source.downwardAPI);
      const token = source.serviceAccountToken;
      if (isObject(token) && token.expirationSeconds === undefined) token.expirationSeconds = 3600;
    }
  }
  const claimSpec = isObject(volume.ephemeral) && isObject(volume.ephemeral.volumeClaimTemplate) ? volume.ephemeral.volumeClaimTemplate.spec : undefined;
  if (isObject(claimSpec) && claimSpec.volumeMode === undefined) claimSpec.volumeMode = 'Filesystem';
}

// ---------------------------------------------------------------------------------------------
// Pod specs.

/**
 * Defaults for any pod spec, embedded or not: restartPolicy `Always`, dnsPolicy `ClusterFirst`,
 * schedulerName `default-scheduler`, a 30 s grace period, an empty security context, and the
 * container, probe and volume defaults. Resource quantities are rounded up to milli-units and put in
 * canonical form, as upstream stores them (`cpu: 0.5` reads back as `500m`). Also mirrors
 * `serviceAccountName` into the deprecated `serviceAccount` field, as the v1 conversion does.
 */
export function setDefaultsPodSpec(spec: PodSpec): void {
  if (!isObject(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = defaultTerminationGracePeriodSeconds;
  }
  if (!spec.schedulerName) spec.schedulerName = defaultSchedulerName;
  // The v1 API carries the service account twice; the deprecated field fills a missing new one and
  // is always written back equal to it.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const volume of asArray<JsonObject>(spec.volumes)) setDefaultsVolume(volume);
  for (const container of asArray<Container>(spec.initContainers)) setDefaultsContainer(container);
  for (const container of asArray<Container>(spec.containers)) setDefaultsContainer(container);
  for (const container of asArray<Container>(spec.ephemeralContainers)) setDefaultsContainer(container);
  canonicalizeResourceList(spec.overhead);
}

/** Defaults for a pod template: only its spec is defaulted (labels and annotations are left alone). */
export function setDefaultsPodTemplateSpec(template: PodTemplateSpec): void {
  if (!isObject(template)) return;
  // A missing spec is a zero value upstream, and zero values get defaulted too.
  if (!isObject(template.spec)) template.spec = {} as PodSpec;
  setDefaultsPodSpec(template.spec);
}

/** Requests copied from limits for every resource that has a limit but no request. */
function defaultRequestsFromLimits(container: Container): void {
  const resources = container.resources;
  if (!isObject(resources) || !isObject(resources.limits)) return;
  const requests = isObject(resources.requests) ? resources.requests : (resources.requests = {});
  for (const [name, limit] of Object.entries(resources.limits)) {
    if (requests[name] === undefined) requests[name] = limit;
  }
}

/** Under host networking every container port is also a host port. */
function defaultHostNetworkPorts(containers: unknown): void {
  for (const container of asArray<Container>(containers)) {
    for (const port of asArray<ContainerPort>(container?.ports)) {
      if (isObject(port) && !port.hostPort) port.hostPort = port.containerPort;
    }
  }
}

/**
 * Defaults for a Pod object: the pod-spec defaults plus `enableServiceLinks: true`, requests copied
 * from limits, and host ports equal to container ports when `hostNetwork` is set. Templates never get
 * these three (upstream moved them out of `SetDefaults_PodSpec` so templates stay stable).
 */
export function setDefaultsPod(pod: Pod): void {
  if (!isObject(pod.spec)) pod.spec = {} as PodSpec;
  const spec = pod.spec;
  for (const container of asArray<Container>(spec.containers)) if (isObject(container)) defaultRequestsFromLimits(container);
  for (const container of asArray<Container>(spec.initContainers)) if (isObject(container)) defaultRequestsFromLimits(container);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork) {
    defaultHostNetworkPorts(spec.containers);
    defaultHostNetworkPorts(spec.initContainers);
  }
  setDefaultsPodSpec(spec);
  setDefaultsPodStatus(pod);
}

/**
 * What upstream's Go types print for status fields that are unset: a condition's probe and transition
 * times are `null` (a zero metav1.Time), a container status's `state` and `lastState` are `{}` (structs,
 * never omitted). `kubectl get pod -o yaml` shows them so on a real cluster.
 */
export function setDefaultsPodStatus(pod: Pod): void {
  const status = pod.status;
  if (!isObject(status)) return;
  for (const condition of asArray<JsonObject>(status.conditions)) {
    if (!isObject(condition)) continue;
    condition.lastProbeTime ??= null;
    condition.lastTransitionTime ??= null;
  }
  for (const list of [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses]) {
    for (const containerStatus of asArray<JsonObject>(list)) {
      if (!isObject(containerStatus)) continue;
      containerStatus.state ??= {};
      containerStatus.lastState ??= {};
    }
  }
}
