/**
 * The other core/v1 kinds everynode serves: Namespace, Node, Event, ConfigMap, Secret, ServiceAccount.
 * Pod and Binding live in `pod.ts`.
 */
import { ObjectMeta, kindOf } from './meta.js';
import { LocalObjectReference, ObjectReference, core, resourceList } from './core-refs.js';
import { arrayOf, atomic, bool, bytes, field, int32, int64, keyedBy, mapOf, mergedSet, microTime, obj, str, time, typedStr } from './dsl.js';

const gvk = (kind: string) => ({ group: '', version: 'v1', kind });
const conditionStatus = typedStr('v1.ConditionStatus');

// ---------------------------------------------------------------------------------------------
// Namespace.

export const NamespaceSpec = obj(core('NamespaceSpec'), 'Desired state of a namespace.', {
  finalizers: field(arrayOf(typedStr('v1.FinalizerName')), 'Cleanup steps that must finish before the namespace is removed.', atomic),
});

export const NamespaceCondition = obj(core('NamespaceCondition'), 'One aspect of a namespace\'s state.', {
  lastTransitionTime: field(time, 'When status last changed.'),
  message: field(str, 'Human-readable detail.'),
  reason: field(str, 'Machine-readable CamelCase cause of the last transition.'),
  status: field(conditionStatus, 'True, False or Unknown.', { required: true }),
  type: field(typedStr('v1.NamespaceConditionType'), 'Which aspect this condition describes.', { required: true }),
});

export const NamespaceStatus = obj(core('NamespaceStatus'), 'Observed state of a namespace.', {
  conditions: field(arrayOf(NamespaceCondition), 'Current conditions.', keyedBy('type')),
  phase: field(typedStr('v1.NamespacePhase', ['Active', 'Terminating']), 'Active, or Terminating while its content is deleted.'),
});

export const Namespace = kindOf(gvk('Namespace'), core('Namespace'), 'A scope for names; most objects live in one.', {
  spec: field(NamespaceSpec, 'Desired state.'),
  status: field(NamespaceStatus, 'Observed state; set by the system.'),
});

// ---------------------------------------------------------------------------------------------
// Node.

export const Taint = obj(core('Taint'), 'Marks a node so that pods without a matching toleration are kept off or evicted.', {
  effect: field(
    typedStr('v1.TaintEffect', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']),
    'NoSchedule, PreferNoSchedule, or NoExecute (also evicts running pods).',
    { required: true },
  ),
  key: field(str, 'Taint key.', { required: true }),
  timeAdded: field(time, 'When a NoExecute taint was added.'),
  value: field(str, 'Taint value.'),
});

export const ConfigMapNodeConfigSource = obj(core('ConfigMapNodeConfigSource'), 'A ConfigMap holding kubelet configuration (deprecated).', {
  kubeletConfigKey: field(str, 'Key of the ConfigMap that holds the configuration.', { required: true }),
  name: field(str, 'Name of the ConfigMap.', { required: true }),
  namespace: field(str, 'Namespace of the ConfigMap.', { required: true }),
  resourceVersion: field(str, 'Version of the ConfigMap; set in status only.'),
  uid: field(typedStr('types.UID'), 'UID of the ConfigMap; set in status only.'),
});

export const NodeConfigSource = obj(core('NodeConfigSource'), 'Where a node\'s kubelet configuration comes from (deprecated).', {
  configMap: field(ConfigMapNodeConfigSource, 'A ConfigMap.'),
});

export const NodeSpec = obj(core('NodeSpec'), 'Desired state of a node.', {
  configSource: field(NodeConfigSource, 'Deprecated; no longer used.'),
  externalID: field(str, 'Deprecated; not used.'),
  podCIDR: field(str, 'Pod IP range assigned to the node.'),
  podCIDRs: field(arrayOf(str), 'Pod IP ranges, at most one per family; the first equals podCIDR.', mergedSet),
  providerID: field(str, 'Identifier of the node at the cloud provider, "<provider>://<id>".'),
  taints: field(arrayOf(Taint), 'Taints on the node.', atomic),
  unschedulable: field(bool, 'Keeps new pods off the node (cordon).'),
});

export const NodeAddress = obj(core('NodeAddress'), 'An address of the node.', {
  address: field(str, 'The address.', { required: true }),
  type: field(typedStr('v1.NodeAddressType'), 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', { required: true }),
});

export const NodeCondition = obj(core('NodeCondition'), 'One aspect of a node\'s state, such as Ready or MemoryPressure.', {
  lastHeartbeatTime: field(time, 'When the condition was last reported.'),
  lastTransitionTime: field(time, 'When status last changed.'),
  message: field(str, 'Human-readable detail.'),
  reason: field(str, 'Machine-readable CamelCase cause of the last transition.'),
  status: field(conditionStatus, 'True, False or Unknown.', { required: true }),
  type: field(typedStr('v1.NodeConditionType'), 'Which aspect this condition describes.', { required: true }),
});

export const NodeConfigStatus = obj(core('NodeConfigStatus'), 'Which kubelet configuration a node uses (deprecated).', {
  active: field(NodeConfigSource, 'Configuration the kubelet runs with.'),
  assigned: field(NodeConfigSource, 'Configuration the kubelet is told to use.'),
  error: field(str, 'Problem applying the configuration.'),
  lastKnownGood: field(NodeConfigSource, 'Configuration the kubelet falls back to.'),
});

export const DaemonEndpoint = obj(core('DaemonEndpoint'), 'A port a node daemon listens on.', {
  Port: field(int32, 'Port number.', { required: true }),
});

export const NodeDaemonEndpoints = obj(core('NodeDaemonEndpoints'), 'Ports of daemons running on the node.', {
  kubeletEndpoint: field(DaemonEndpoint, 'Port of the kubelet.'),
});

export const NodeFeatures = obj(core('NodeFeatures'), 'Optional features the node supports.', {
  supplementalGroupsPolicy: field(bool, 'Whether the node honours a pod\'s supplementalGroupsPolicy.'),
});

export const ContainerImage = obj(core('ContainerImage'), 'An image present on the node.', {
  names: field(arrayOf(str), 'Names the image is known by.', atomic),
  sizeBytes: field(int64, 'Size in bytes.'),
});

export const NodeSystemInfo = obj(core('NodeSystemInfo'), 'Facts about the node\'s machine and software.', {
  architecture: field(str, 'CPU architecture.', { required: true }),
  bootID: field(str, 'ID of the current boot.', { required: true }),
  containerRuntimeVersion: field(str, 'Container runtime and version, "<runtime>://<version>".', { required: true }),
  kernelVersion: field(str, 'Kernel version.', { required: true }),
  kubeProxyVersion: field(str, 'Deprecated; not reliable.', { required: true }),
  kubeletVersion: field(str, 'Kubelet version.', { required: true }),
  machineID: field(str, 'Machine ID (/etc/machine-id).', { required: true }),
  operatingSystem: field(str, 'Operating system, such as "linux".', { required: true }),
  osImage: field(str, 'OS image, from /etc/os-release.', { required: true }),
  systemUUID: field(str, 'System UUID reported by the hardware.', { required: true }),
});

export const NodeRuntimeHandlerFeatures = obj(core('NodeRuntimeHandlerFeatures'), 'Features a runtime handler supports.', {
  recursiveReadOnlyMounts: field(bool, 'Supports recursive read-only mounts.'),
  userNamespaces: field(bool, 'Supports user namespaces for pods.'),
});

export const NodeRuntimeHandler = obj(core('NodeRuntimeHandler'), 'A runtime handler available on the node.', {
  features: field(NodeRuntimeHandlerFeatures, 'What the handler supports.'),
  name: field(str, 'Handler name; empty for the default handler.'),
});

export const AttachedVolume = obj(core('AttachedVolume'), 'A volume attached to the node.', {
  devicePath: field(str, 'Where the device is available on the node.', { required: true }),
  name: field(typedStr('v1.UniqueVolumeName'), 'Unique name of the volume.', { required: true }),
});

export const NodeStatus = obj(core('NodeStatus'), 'Observed state of a node.', {
  addresses: field(arrayOf(NodeAddress), 'Addresses of the node.', keyedBy('type')),
  allocatable: field(resourceList, 'Resources available to pods.'),
  capacity: field(resourceList, 'Total resources of the node.'),
  conditions: field(arrayOf(NodeCondition), 'Current conditions.', keyedBy('type')),
  config: field(NodeConfigStatus, 'Kubelet configuration status (deprecated).'),
  daemonEndpoints: field(NodeDaemonEndpoints, 'Ports of node daemons.'),
  features: field(NodeFeatures, 'Optional features the node supports.'),
  images: field(arrayOf(ContainerImage), 'Images present on the node.', atomic),
  nodeInfo: field(NodeSystemInfo, 'Machine and software facts.'),
  phase: field(typedStr('v1.NodePhase', ['Pending', 'Running', 'Terminated']), 'Deprecated lifecycle phase.'),
  runtimeHandlers: field(arrayOf(NodeRuntimeHandler), 'Runtime handlers available.', atomic),
  volumesAttached: field(arrayOf(AttachedVolume), 'Volumes attached to the node.', atomic),
  volumesInUse: field(arrayOf(typedStr('v1.UniqueVolumeName')), 'Volumes in use (mounted) on the node.', atomic),
});

export const Node = kindOf(gvk('Node'), core('Node'), 'A machine that runs pods.', {
  spec: field(NodeSpec, 'Desired state.'),
  status: field(NodeStatus, 'Observed state; reported by the node.'),
});

// ---------------------------------------------------------------------------------------------
// Event.

export const EventSeries = obj(core('EventSeries'), 'A run of repeated occurrences of one event.', {
  count: field(int32, 'Occurrences so far.'),
  lastObservedTime: field(microTime, 'When the last occurrence was seen.'),
});

export const EventSource = obj(core('EventSource'), 'Who reported an event.', {
  component: field(str, 'Reporting component.'),
  host: field(str, 'Node the event was reported from.'),
});

export const Event = kindOf(gvk('Event'), core('Event'), 'A report of something that happened to an object.', {
  metadata: field(ObjectMeta, 'Standard object metadata.', { required: true }),
  action: field(str, 'What was done, or failed, about the object.'),
  count: field(int32, 'Number of times the event occurred.'),
  eventTime: field(microTime, 'When the event first occurred, with microsecond precision.'),
  firstTimestamp: field(time, 'When the event was first recorded.'),
  involvedObject: field(ObjectReference, 'The object the event is about.', { required: true }),
  lastTimestamp: field(time, 'When the event was most recently recorded.'),
  message: field(str, 'Human-readable description.'),
  reason: field(str, 'Short machine-readable CamelCase reason.'),
  related: field(ObjectReference, 'A second object involved, if any.'),
  reportingComponent: field(str, 'Controller that emitted the event, such as "kubernetes.io/kubelet".'),
  reportingInstance: field(str, 'Instance of that controller, such as the node name.'),
  series: field(EventSeries, 'Data about a series of occurrences, when the event repeats.'),
  source: field(EventSource, 'Who reported the event.'),
  type: field(str, '"Normal" or "Warning".'),
});

// ---------------------------------------------------------------------------------------------
// ConfigMap, Secret, ServiceAccount.

export const ConfigMap = kindOf(gvk('ConfigMap'), core('ConfigMap'), 'Non-secret configuration data for pods.', {
  binaryData: field(mapOf(bytes), 'Binary values, base64-encoded; keys may not repeat those of data.'),
  data: field(mapOf(str), 'Text values.'),
  immutable: field(bool, 'When true, the data can no longer change.'),
});

export const Secret = kindOf(gvk('Secret'), core('Secret'), 'Sensitive data, such as passwords or keys, for pods.', {
  data: field(mapOf(bytes), 'Values, base64-encoded.'),
  immutable: field(bool, 'When true, the data can no longer change.'),
  stringData: field(mapOf(str), 'Plain-text values merged into data on write; never returned.'),
  type: field(typedStr('v1.SecretType'), 'Kind of content, which governs validation; "Opaque" by default.'),
});

export const ServiceAccount = kindOf(gvk('ServiceAccount'), core('ServiceAccount'), 'An identity for processes running in pods.', {
  automountServiceAccountToken: field(bool, 'Whether pods using this account get a token mounted; the pod setting wins.'),
  imagePullSecrets: field(arrayOf(LocalObjectReference), 'Registry credentials added to pods using this account.', atomic),
  secrets: field(arrayOf(ObjectReference), 'Deprecated: secrets pods of this account may use.', keyedBy('name')),
});
