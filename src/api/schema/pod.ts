/**
 * core/v1 Pod: containers, scheduling, security, the full PodSpec and PodStatus of Kubernetes 1.32,
 * plus Binding (the pods/binding body). Strict decoding rejects unknown fields, so every field
 * upstream has must be here.
 */
import { LabelSelector, ObjectMeta, kindOf } from './meta.js';
import {
  ConfigMapKeySelector,
  LocalObjectReference,
  ObjectFieldSelector,
  ObjectReference,
  ResourceFieldSelector,
  SecretKeySelector,
  core,
  resourceList,
} from './core-refs.js';
import { Volume } from './volumes.js';
import {
  arrayOf,
  atomic,
  bool,
  field,
  int32,
  int64,
  intOrString,
  keyedBy,
  mapOf,
  obj,
  str,
  time,
  typedStr,
  type Field,
} from './dsl.js';

const pullPolicy = typedStr('v1.PullPolicy', ['Always', 'IfNotPresent', 'Never']);
const taintEffect = typedStr('v1.TaintEffect', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']);
const conditionStatus = typedStr('v1.ConditionStatus');
const profileType = (go: string) => typedStr(go, ['Localhost', 'RuntimeDefault', 'Unconfined']);
const inclusionPolicy = typedStr('v1.NodeInclusionPolicy', ['Honor', 'Ignore']);

// ---------------------------------------------------------------------------------------------
// Environment.

export const EnvVarSource = obj(core('EnvVarSource'), 'Where an environment variable\'s value comes from; set exactly one field.', {
  configMapKeyRef: field(ConfigMapKeySelector, 'A key of a ConfigMap.'),
  fieldRef: field(ObjectFieldSelector, 'A field of the pod: metadata.name, metadata.namespace, metadata.uid, a label or annotation, spec.nodeName, spec.serviceAccountName, status.hostIP(s) or status.podIP(s).'),
  resourceFieldRef: field(ResourceFieldSelector, 'A resource limit or request of the container.'),
  secretKeyRef: field(SecretKeySelector, 'A key of a Secret.'),
});

export const EnvVar = obj(core('EnvVar'), 'One environment variable of a container.', {
  name: field(str, 'Variable name.', { required: true }),
  value: field(str, 'Literal value; $(OTHER) references earlier variables, $$(OTHER) escapes one.'),
  valueFrom: field(EnvVarSource, 'Reads the value from elsewhere; cannot be used together with value.'),
});

export const ConfigMapEnvSource = obj(core('ConfigMapEnvSource'), 'A ConfigMap whose keys all become environment variables.', {
  name: field(str, 'Name of the ConfigMap.'),
  optional: field(bool, 'When true, a missing ConfigMap is not an error.'),
});

export const SecretEnvSource = obj(core('SecretEnvSource'), 'A Secret whose keys all become environment variables.', {
  name: field(str, 'Name of the Secret.'),
  optional: field(bool, 'When true, a missing Secret is not an error.'),
});

export const EnvFromSource = obj(core('EnvFromSource'), 'A set of environment variables taken from a ConfigMap or Secret.', {
  configMapRef: field(ConfigMapEnvSource, 'The ConfigMap to read.'),
  prefix: field(str, 'Text prepended to every key.'),
  secretRef: field(SecretEnvSource, 'The Secret to read.'),
});

// ---------------------------------------------------------------------------------------------
// Ports, probes and lifecycle hooks.

export const ContainerPort = obj(core('ContainerPort'), 'A network port the container listens on.', {
  containerPort: field(int32, 'Port number inside the pod, 1-65535.', { required: true }),
  hostIP: field(str, 'Node IP address to bind the host port to.'),
  hostPort: field(int32, 'Port on the node to expose the container port on; mostly unnecessary.'),
  name: field(str, 'IANA service name for the port, unique within the pod; services can refer to it.'),
  protocol: field(typedStr('v1.Protocol', ['SCTP', 'TCP', 'UDP']), 'UDP, TCP or SCTP; defaults to TCP.'),
});

export const ExecAction = obj(core('ExecAction'), 'Runs a command inside the container.', {
  command: field(arrayOf(str), 'Command and arguments, run directly (not in a shell); exit status 0 means success.', atomic),
});

export const HTTPHeader = obj(core('HTTPHeader'), 'A header sent with an HTTP probe.', {
  name: field(str, 'Header name.', { required: true }),
  value: field(str, 'Header value.', { required: true }),
});

export const HTTPGetAction = obj(core('HTTPGetAction'), 'Sends an HTTP GET; a status from 200 to 399 means success.', {
  host: field(str, 'Host to connect to; defaults to the pod IP.'),
  httpHeaders: field(arrayOf(HTTPHeader), 'Extra request headers.', atomic),
  path: field(str, 'Request path.'),
  port: field(intOrString, 'Port number or name to connect to.', { required: true }),
  scheme: field(typedStr('v1.URIScheme', ['HTTP', 'HTTPS']), 'HTTP or HTTPS; defaults to HTTP.'),
});

export const TCPSocketAction = obj(core('TCPSocketAction'), 'Opens a TCP connection; connecting means success.', {
  host: field(str, 'Host to connect to; defaults to the pod IP.'),
  port: field(intOrString, 'Port number or name to connect to.', { required: true }),
});

export const GRPCAction = obj(core('GRPCAction'), 'Calls the standard gRPC health check.', {
  port: field(int32, 'Port of the gRPC service.', { required: true }),
  service: field(str, 'Service name sent in the health check request; empty means the server as a whole.'),
});

export const SleepAction = obj(core('SleepAction'), 'Waits for a while.', {
  seconds: field(int64, 'Seconds to sleep.', { required: true }),
});

export const Probe = obj(core('Probe'), 'A periodic check of a container\'s health. Set exactly one action.', {
  exec: field(ExecAction, 'Run a command.'),
  failureThreshold: field(int32, 'Consecutive failures after which the probe counts as failed; defaults to 3.'),
  grpc: field(GRPCAction, 'Call a gRPC health check.'),
  httpGet: field(HTTPGetAction, 'Send an HTTP GET.'),
  initialDelaySeconds: field(int32, 'Seconds after the container starts before the first probe.'),
  periodSeconds: field(int32, 'Seconds between probes; defaults to 10.'),
  successThreshold: field(int32, 'Consecutive successes after a failure that count as success; must be 1 for liveness and startup.'),
  tcpSocket: field(TCPSocketAction, 'Open a TCP connection.'),
  terminationGracePeriodSeconds: field(int64, 'Grace period used when the probe fails and the container is killed; overrides the pod\'s.'),
  timeoutSeconds: field(int32, 'Seconds before a probe attempt times out; defaults to 1.'),
});

export const LifecycleHandler = obj(core('LifecycleHandler'), 'An action run at a lifecycle hook. Set exactly one field.', {
  exec: field(ExecAction, 'Run a command.'),
  httpGet: field(HTTPGetAction, 'Send an HTTP GET.'),
  sleep: field(SleepAction, 'Sleep for a while.'),
  tcpSocket: field(TCPSocketAction, 'Deprecated; kept for compatibility and not run.'),
});

export const Lifecycle = obj(core('Lifecycle'), 'Actions the kubelet runs when a container starts and before it stops.', {
  postStart: field(LifecycleHandler, 'Runs right after the container is created; failure restarts the container.'),
  preStop: field(LifecycleHandler, 'Runs before the container is stopped, within the termination grace period.'),
});

// ---------------------------------------------------------------------------------------------
// Resources.

export const ResourceClaim = obj(core('ResourceClaim'), 'Makes one of the pod\'s resource claims available to a container.', {
  name: field(str, 'Name of an entry in the pod\'s spec.resourceClaims.', { required: true }),
  request: field(str, 'Only this request of the claim, when set.'),
});

export const ResourceRequirements = obj(core('ResourceRequirements'), 'Compute resources requested and allowed.', {
  claims: field(arrayOf(ResourceClaim), 'Dynamically allocated resources (from spec.resourceClaims) this container uses.', {
    listType: 'map',
    listMapKeys: ['name'],
  }),
  limits: field(resourceList, 'Most of each resource that may be used.'),
  requests: field(resourceList, 'Least of each resource that is needed; defaults to the limits.'),
});

export const ContainerResizePolicy = obj(core('ContainerResizePolicy'), 'How a container reacts when one of its resources is resized.', {
  resourceName: field(typedStr('v1.ResourceName'), 'The resource: cpu or memory.', { required: true }),
  restartPolicy: field(typedStr('v1.ResourceResizeRestartPolicy'), 'NotRequired (resize in place) or RestartContainer.', { required: true }),
});

// ---------------------------------------------------------------------------------------------
// Security.

export const Capabilities = obj(core('Capabilities'), 'Linux capabilities to add to or drop from the runtime\'s default set.', {
  add: field(arrayOf(typedStr('v1.Capability')), 'Capabilities to add.', atomic),
  drop: field(arrayOf(typedStr('v1.Capability')), 'Capabilities to remove.', atomic),
});

export const SELinuxOptions = obj(core('SELinuxOptions'), 'SELinux labels to apply.', {
  level: field(str, 'SELinux level.'),
  role: field(str, 'SELinux role.'),
  type: field(str, 'SELinux type.'),
  user: field(str, 'SELinux user.'),
});

export const WindowsSecurityContextOptions = obj(core('WindowsSecurityContextOptions'), 'Windows-specific security settings.', {
  gmsaCredentialSpec: field(str, 'Content of the GMSA credential spec to use.'),
  gmsaCredentialSpecName: field(str, 'Name of the GMSA credential spec to use.'),
  hostProcess: field(bool, 'Run as a Windows HostProcess container.'),
  runAsUserName: field(str, 'Windows user to run the entrypoint as.'),
});

export const SeccompProfile = obj(core('SeccompProfile'), 'Which seccomp profile to apply.', {
  localhostProfile: field(str, 'Profile file on the node, relative to the kubelet\'s seccomp directory; only for type Localhost.'),
  type: field(profileType('v1.SeccompProfileType'), 'Localhost (a file on the node), RuntimeDefault or Unconfined.', { required: true }),
});

export const AppArmorProfile = obj(core('AppArmorProfile'), 'Which AppArmor profile to apply.', {
  localhostProfile: field(str, 'Name of a profile loaded on the node; only for type Localhost.'),
  type: field(profileType('v1.AppArmorProfileType'), 'Localhost (a profile loaded on the node), RuntimeDefault or Unconfined.', { required: true }),
});

export const SecurityContext = obj(core('SecurityContext'), 'Security settings of one container; they override the pod\'s where both are set.', {
  allowPrivilegeEscalation: field(bool, 'Whether a process may gain more privileges than its parent (no_new_privs is cleared).'),
  appArmorProfile: field(AppArmorProfile, 'AppArmor profile for this container.'),
  capabilities: field(Capabilities, 'Capabilities to add or drop.'),
  privileged: field(bool, 'Run with the privileges of a root process on the node.'),
  procMount: field(typedStr('v1.ProcMountType', ['Default', 'Unmasked']), 'How /proc is mounted: Default (masked paths) or Unmasked.'),
  readOnlyRootFilesystem: field(bool, 'Mount the root filesystem read-only.'),
  runAsGroup: field(int64, 'Primary GID of the entrypoint process.'),
  runAsNonRoot: field(bool, 'Refuse to start the container if it would run as UID 0.'),
  runAsUser: field(int64, 'UID of the entrypoint process.'),
  seLinuxOptions: field(SELinuxOptions, 'SELinux context of the container.'),
  seccompProfile: field(SeccompProfile, 'Seccomp profile of the container.'),
  windowsOptions: field(WindowsSecurityContextOptions, 'Windows-specific settings.'),
});

export const Sysctl = obj(core('Sysctl'), 'A kernel parameter to set for the pod.', {
  name: field(str, 'Parameter name.', { required: true }),
  value: field(str, 'Parameter value.', { required: true }),
});

export const PodSecurityContext = obj(core('PodSecurityContext'), 'Security settings for all containers of the pod.', {
  appArmorProfile: field(AppArmorProfile, 'AppArmor profile for the containers.'),
  fsGroup: field(int64, 'Extra group added to every container; volumes that support it are owned by this GID.'),
  fsGroupChangePolicy: field(
    typedStr('v1.PodFSGroupChangePolicy', ['Always', 'OnRootMismatch']),
    'When volume ownership is changed: Always, or OnRootMismatch (only if the root directory differs).',
  ),
  runAsGroup: field(int64, 'Primary GID of the containers\' entrypoint processes.'),
  runAsNonRoot: field(bool, 'Refuse to start containers that would run as UID 0.'),
  runAsUser: field(int64, 'UID of the containers\' entrypoint processes.'),
  seLinuxChangePolicy: field(typedStr('v1.PodSELinuxChangePolicy'), 'How the SELinux label is applied to volumes: Recursive or MountOption.'),
  seLinuxOptions: field(SELinuxOptions, 'SELinux context of all containers.'),
  seccompProfile: field(SeccompProfile, 'Seccomp profile of all containers.'),
  supplementalGroups: field(arrayOf(int64), 'Extra GIDs for the first process of each container.', atomic),
  supplementalGroupsPolicy: field(
    typedStr('v1.SupplementalGroupsPolicy', ['Merge', 'Strict']),
    'Whether groups from the image\'s /etc/group are merged in (Merge) or ignored (Strict).',
  ),
  sysctls: field(arrayOf(Sysctl), 'Namespaced kernel parameters; a pod fails to start if one is unsupported.', atomic),
  windowsOptions: field(WindowsSecurityContextOptions, 'Windows-specific settings of all containers.'),
});

// ---------------------------------------------------------------------------------------------
// Containers.

export const VolumeMount = obj(core('VolumeMount'), 'Where a pod volume appears inside a container.', {
  mountPath: field(str, 'Path inside the container; may not contain ":".', { required: true }),
  mountPropagation: field(
    typedStr('v1.MountPropagationMode', ['Bidirectional', 'HostToContainer', 'None']),
    'How mounts propagate between node and container: None, HostToContainer or Bidirectional.',
  ),
  name: field(str, 'Name of the pod volume.', { required: true }),
  readOnly: field(bool, 'Mount read-only.'),
  recursiveReadOnly: field(typedStr('v1.RecursiveReadOnlyMode'), 'Make submounts read-only too: Disabled, IfPossible or Enabled.'),
  subPath: field(str, 'Mount only this path inside the volume.'),
  subPathExpr: field(str, 'Like subPath, with $(VAR) expanded from the container\'s environment.'),
});

export const VolumeDevice = obj(core('VolumeDevice'), 'A raw block volume exposed as a device inside the container.', {
  devicePath: field(str, 'Device path inside the container.', { required: true }),
  name: field(str, 'Name of a PersistentVolumeClaim volume of the pod.', { required: true }),
});

/** Fields shared by Container and EphemeralContainer (upstream keeps them identical). */
function containerFields(): Record<string, Field> {
  return {
    args: field(arrayOf(str), 'Arguments to the entrypoint; the image\'s CMD when unset. $(VAR) is expanded.', atomic),
    command: field(arrayOf(str), 'Entrypoint, run without a shell; the image\'s ENTRYPOINT when unset. $(VAR) is expanded.', atomic),
    env: field(arrayOf(EnvVar), 'Environment variables.', keyedBy('name')),
    envFrom: field(arrayOf(EnvFromSource), 'Sources of many environment variables at once; explicit env entries win.', atomic),
    image: field(str, 'Container image reference.'),
    imagePullPolicy: field(pullPolicy, 'When to pull the image: Always, Never or IfNotPresent; Always for :latest, IfNotPresent otherwise.'),
    lifecycle: field(Lifecycle, 'Hooks run after start and before stop.'),
    livenessProbe: field(Probe, 'Restarts the container when it fails.'),
    name: field(str, 'Container name, a DNS label unique within the pod.', { required: true }),
    ports: field(arrayOf(ContainerPort), 'Ports the container exposes; informational, any listening port is reachable.', keyedBy('containerPort', ['containerPort', 'protocol'])),
    readinessProbe: field(Probe, 'Takes the pod out of service endpoints while it fails.'),
    resizePolicy: field(arrayOf(ContainerResizePolicy), 'How each resource may be resized.', atomic),
    resources: field(ResourceRequirements, 'Compute resources requested and allowed.'),
    restartPolicy: field(
      typedStr('v1.ContainerRestartPolicy'),
      'Only "Always", and only for init containers: makes the init container a sidecar that keeps running.',
    ),
    securityContext: field(SecurityContext, 'Security settings of this container.'),
    startupProbe: field(Probe, 'Holds back the other probes until it succeeds once; the container restarts if it fails.'),
    stdin: field(bool, 'Keep a stdin buffer open for the container.'),
    stdinOnce: field(bool, 'Close stdin after the first attached client disconnects.'),
    terminationMessagePath: field(str, 'File whose content becomes the termination message; defaults to /dev/termination-log.'),
    terminationMessagePolicy: field(
      typedStr('v1.TerminationMessagePolicy', ['FallbackToLogsOnError', 'File']),
      'File, or FallbackToLogsOnError to use the end of the log when the file is empty and the container failed.',
    ),
    tty: field(bool, 'Allocate a TTY; needs stdin.'),
    volumeDevices: field(arrayOf(VolumeDevice), 'Block devices the container uses.', keyedBy('devicePath')),
    volumeMounts: field(arrayOf(VolumeMount), 'Volumes mounted into the container.', keyedBy('mountPath')),
    workingDir: field(str, 'Working directory; the image\'s default when unset.'),
  };
}

export const Container = obj(core('Container'), 'One container of a pod.', containerFields());

export const EphemeralContainer = obj(
  core('EphemeralContainer'),
  'A temporary container added to a running pod for debugging. It is never restarted and gets no resources, ports or probes.',
  {
    ...containerFields(),
    targetContainerName: field(str, 'Container whose process namespace this one shares, when the runtime supports it.'),
  },
);

// ---------------------------------------------------------------------------------------------
// Scheduling.

export const NodeSelectorRequirement = obj(core('NodeSelectorRequirement'), 'One condition on a node label or field.', {
  key: field(str, 'Label key or field name.', { required: true }),
  operator: field(
    typedStr('v1.NodeSelectorOperator', ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn']),
    'In, NotIn, Exists, DoesNotExist, Gt or Lt.',
    { required: true },
  ),
  values: field(arrayOf(str), 'Values to compare with; one integer for Gt and Lt, none for Exists and DoesNotExist.', atomic),
});

export const NodeSelectorTerm = obj(
  core('NodeSelectorTerm'),
  'Conditions on a node that must all hold. An empty term matches nothing.',
  {
    matchExpressions: field(arrayOf(NodeSelectorRequirement), 'Conditions on node labels.', atomic),
    matchFields: field(arrayOf(NodeSelectorRequirement), 'Conditions on node fields (metadata.name).', atomic),
  },
  { atomic: true },
);

export const NodeSelector = obj(
  core('NodeSelector'),
  'Terms of which at least one must match the node.',
  { nodeSelectorTerms: field(arrayOf(NodeSelectorTerm), 'The terms, ORed.', { required: true, ...atomic }) },
  { atomic: true },
);

export const PreferredSchedulingTerm = obj(core('PreferredSchedulingTerm'), 'A weighted node preference.', {
  preference: field(NodeSelectorTerm, 'Nodes that match get the weight added to their score.', { required: true }),
  weight: field(int32, 'Weight, 1-100.', { required: true }),
});

export const NodeAffinity = obj(core('NodeAffinity'), 'Rules for which nodes the pod may or prefers to run on.', {
  preferredDuringSchedulingIgnoredDuringExecution: field(arrayOf(PreferredSchedulingTerm), 'Soft preferences, summed per node.', atomic),
  requiredDuringSchedulingIgnoredDuringExecution: field(NodeSelector, 'Hard requirement at scheduling time; not enforced later.'),
});

export const PodAffinityTerm = obj(core('PodAffinityTerm'), 'Pods to be near (or away from), within a topology domain.', {
  labelSelector: field(LabelSelector, 'Which pods count.'),
  matchLabelKeys: field(arrayOf(str), 'Label keys whose values, taken from this pod, are added to the selector as In conditions.', atomic),
  mismatchLabelKeys: field(arrayOf(str), 'Label keys whose values, taken from this pod, are added to the selector as NotIn conditions.', atomic),
  namespaceSelector: field(LabelSelector, 'Namespaces to look in, by label; combined with namespaces.'),
  namespaces: field(arrayOf(str), 'Namespaces to look in; the pod\'s own namespace when both this and namespaceSelector are empty.', atomic),
  topologyKey: field(str, 'Node label whose value defines the domain, such as kubernetes.io/hostname.', { required: true }),
});

export const WeightedPodAffinityTerm = obj(core('WeightedPodAffinityTerm'), 'A weighted pod (anti-)affinity preference.', {
  podAffinityTerm: field(PodAffinityTerm, 'The term.', { required: true }),
  weight: field(int32, 'Weight, 1-100.', { required: true }),
});

export const PodAffinity = obj(core('PodAffinity'), 'Rules for placing the pod near other pods.', {
  preferredDuringSchedulingIgnoredDuringExecution: field(arrayOf(WeightedPodAffinityTerm), 'Soft preferences, summed per node.', atomic),
  requiredDuringSchedulingIgnoredDuringExecution: field(arrayOf(PodAffinityTerm), 'Hard requirements at scheduling time, all of which must hold.', atomic),
});

export const PodAntiAffinity = obj(core('PodAntiAffinity'), 'Rules for keeping the pod away from other pods.', {
  preferredDuringSchedulingIgnoredDuringExecution: field(arrayOf(WeightedPodAffinityTerm), 'Soft preferences, summed per node.', atomic),
  requiredDuringSchedulingIgnoredDuringExecution: field(arrayOf(PodAffinityTerm), 'Hard requirements at scheduling time, all of which must hold.', atomic),
});

export const Affinity = obj(core('Affinity'), 'Scheduling constraints relative to nodes and other pods.', {
  nodeAffinity: field(NodeAffinity, 'Constraints on nodes.'),
  podAffinity: field(PodAffinity, 'Pods to be placed near.'),
  podAntiAffinity: field(PodAntiAffinity, 'Pods to be kept away from.'),
});

export const Toleration = obj(core('Toleration'), 'Lets the pod run on nodes with a matching taint.', {
  effect: field(taintEffect, 'Taint effect to match; all effects when empty.'),
  key: field(str, 'Taint key to match; with operator Exists, empty matches every taint.'),
  operator: field(typedStr('v1.TolerationOperator', ['Equal', 'Exists']), 'Exists (any value) or Equal; defaults to Equal.'),
  tolerationSeconds: field(int64, 'For NoExecute: how long the pod stays after the taint appears; forever when unset.'),
  value: field(str, 'Taint value to match with Equal.'),
});

export const TopologySpreadConstraint = obj(core('TopologySpreadConstraint'), 'How evenly matching pods must spread across topology domains.', {
  labelSelector: field(LabelSelector, 'Which pods are counted in each domain.'),
  matchLabelKeys: field(arrayOf(str), 'Label keys whose values, taken from this pod, narrow the selector.', atomic),
  maxSkew: field(int32, 'Largest allowed difference in matching pods between domains.', { required: true }),
  minDomains: field(int32, 'Fewest eligible domains; fewer counts as zero pods for the global minimum.'),
  nodeAffinityPolicy: field(inclusionPolicy, 'Whether the pod\'s node affinity limits the domains counted: Honor or Ignore.'),
  nodeTaintsPolicy: field(inclusionPolicy, 'Whether node taints limit the domains counted: Honor or Ignore.'),
  topologyKey: field(str, 'Node label whose value defines the domain.', { required: true }),
  whenUnsatisfiable: field(
    typedStr('v1.UnsatisfiableConstraintAction', ['DoNotSchedule', 'ScheduleAnyway']),
    'DoNotSchedule, or ScheduleAnyway to only prefer less skew.',
    { required: true },
  ),
});

export const HostAlias = obj(core('HostAlias'), 'An extra entry for the pod\'s /etc/hosts.', {
  hostnames: field(arrayOf(str), 'Names for the address.', atomic),
  ip: field(str, 'The IP address.', { required: true }),
});

export const PodDNSConfigOption = obj(core('PodDNSConfigOption'), 'A resolver option.', {
  name: field(str, 'Option name.'),
  value: field(str, 'Option value.'),
});

export const PodDNSConfig = obj(core('PodDNSConfig'), 'DNS settings merged into those the DNS policy produces.', {
  nameservers: field(arrayOf(str), 'Extra name server addresses.', atomic),
  options: field(arrayOf(PodDNSConfigOption), 'Resolver options; these override same-named ones from the policy.', atomic),
  searches: field(arrayOf(str), 'Extra search domains.', atomic),
});

export const PodReadinessGate = obj(core('PodReadinessGate'), 'An extra pod condition that must be True for the pod to be ready.', {
  conditionType: field(typedStr('v1.PodConditionType'), 'Type of the condition.', { required: true }),
});

export const PodOS = obj(core('PodOS'), 'Operating system the pod is meant for.', {
  name: field(typedStr('v1.OSName'), '"linux" or "windows".', { required: true }),
});

export const PodSchedulingGate = obj(core('PodSchedulingGate'), 'A gate that holds the pod back from scheduling until removed.', {
  name: field(str, 'Name of the gate, unique within the pod.', { required: true }),
});

export const PodResourceClaim = obj(core('PodResourceClaim'), 'A dynamically allocated resource the pod needs. Set exactly one source.', {
  name: field(str, 'Name used by containers to refer to this claim, a DNS label.', { required: true }),
  resourceClaimName: field(str, 'An existing ResourceClaim in the pod\'s namespace.'),
  resourceClaimTemplateName: field(str, 'A ResourceClaimTemplate from which a claim is made for this pod.'),
});

// ---------------------------------------------------------------------------------------------
// PodSpec.

export const PodSpec = obj(core('PodSpec'), 'What a pod runs and how it is scheduled.', {
  activeDeadlineSeconds: field(int64, 'Seconds the pod may be active before the kubelet fails it.'),
  affinity: field(Affinity, 'Scheduling constraints.'),
  automountServiceAccountToken: field(bool, 'Whether a service account token is mounted automatically.'),
  containers: field(arrayOf(Container), 'The containers; at least one.', { required: true, ...keyedBy('name') }),
  dnsConfig: field(PodDNSConfig, 'Extra DNS settings.'),
  dnsPolicy: field(
    typedStr('v1.DNSPolicy', ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']),
    'How DNS is set up: ClusterFirst (default), ClusterFirstWithHostNet, Default (the node\'s) or None (dnsConfig only).',
  ),
  enableServiceLinks: field(bool, 'Inject environment variables for the services of the namespace; defaults to true.'),
  ephemeralContainers: field(arrayOf(EphemeralContainer), 'Debug containers added to the running pod through its ephemeralcontainers subresource.', keyedBy('name')),
  hostAliases: field(arrayOf(HostAlias), 'Extra /etc/hosts entries.', keyedBy('ip')),
  hostIPC: field(bool, 'Use the node\'s IPC namespace.'),
  hostNetwork: field(bool, 'Use the node\'s network namespace; ports are opened on the node.'),
  hostPID: field(bool, 'Use the node\'s process namespace.'),
  hostUsers: field(bool, 'Use the node\'s user namespace; false gives the pod its own. Defaults to true.'),
  hostname: field(str, 'Hostname of the pod; the pod name when unset.'),
  imagePullSecrets: field(arrayOf(LocalObjectReference), 'Secrets with registry credentials for pulling images.', keyedBy('name')),
  initContainers: field(arrayOf(Container), 'Containers run to completion, in order, before the app containers start.', keyedBy('name')),
  nodeName: field(str, 'Node the pod runs on; set by the scheduler, or by the user to bypass it.'),
  nodeSelector: field(mapOf(str), 'Node labels the node must have.'),
  os: field(PodOS, 'Operating system the pod is meant for; enables OS-specific validation.'),
  overhead: field(resourceList, 'Resources the runtime itself uses for the pod; set from the RuntimeClass.'),
  preemptionPolicy: field(
    typedStr('v1.PreemptionPolicy', ['Never', 'PreemptLowerPriority']),
    'Whether the pod may evict lower-priority pods: PreemptLowerPriority (default) or Never.',
  ),
  priority: field(int32, 'Priority value, filled in from priorityClassName by admission.'),
  priorityClassName: field(str, 'PriorityClass that sets the pod\'s priority.'),
  readinessGates: field(arrayOf(PodReadinessGate), 'Extra conditions the pod needs to be ready.', atomic),
  resourceClaims: field(arrayOf(PodResourceClaim), 'Dynamically allocated resources the pod needs.', keyedBy('name', ['name'], 'merge,retainKeys')),
  resources: field(ResourceRequirements, 'Total CPU and memory for the whole pod (pod-level resources).'),
  restartPolicy: field(typedStr('v1.RestartPolicy', ['Always', 'Never', 'OnFailure']), 'When containers are restarted: Always (default), OnFailure or Never.'),
  runtimeClassName: field(str, 'RuntimeClass that selects the container runtime handler.'),
  schedulerName: field(str, 'Scheduler that places the pod; the default scheduler when unset.'),
  schedulingGates: field(arrayOf(PodSchedulingGate), 'Gates that hold the pod back from scheduling while present.', keyedBy('name')),
  securityContext: field(PodSecurityContext, 'Security settings for the pod.'),
  serviceAccount: field(str, 'Deprecated alias of serviceAccountName.'),
  serviceAccountName: field(str, 'Service account the pod runs as.'),
  setHostnameAsFQDN: field(bool, 'Set the kernel hostname to the pod\'s fully qualified domain name.'),
  shareProcessNamespace: field(bool, 'Put all containers in one process namespace.'),
  subdomain: field(str, 'Subdomain for the pod\'s DNS name, "<hostname>.<subdomain>.<namespace>.svc.<cluster-domain>".'),
  terminationGracePeriodSeconds: field(int64, 'Seconds between the stop signal and the kill; defaults to 30.'),
  tolerations: field(arrayOf(Toleration), 'Taints the pod tolerates.', atomic),
  topologySpreadConstraints: field(
    arrayOf(TopologySpreadConstraint),
    'How the pod spreads across topology domains.',
    keyedBy('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  ),
  volumes: field(arrayOf(Volume), 'Volumes containers of the pod can mount.', keyedBy('name', ['name'], 'merge,retainKeys')),
});

export const PodTemplateSpec = obj(core('PodTemplateSpec'), 'The pods a controller creates: their metadata and spec.', {
  metadata: field(ObjectMeta, 'Metadata of the pods, labels in particular.'),
  spec: field(PodSpec, 'Spec of the pods.'),
});

// ---------------------------------------------------------------------------------------------
// PodStatus.

export const PodCondition = obj(core('PodCondition'), 'One aspect of the pod\'s state, such as Ready or PodScheduled.', {
  lastProbeTime: field(time, 'When the condition was last checked.'),
  lastTransitionTime: field(time, 'When status last changed.'),
  message: field(str, 'Human-readable detail.'),
  reason: field(str, 'Machine-readable CamelCase cause of the last transition.'),
  status: field(conditionStatus, 'True, False or Unknown.', { required: true }),
  type: field(typedStr('v1.PodConditionType'), 'Which aspect this condition describes.', { required: true }),
});

export const ContainerStateRunning = obj(core('ContainerStateRunning'), 'The container is running.', {
  startedAt: field(time, 'When the container last (re)started.'),
});

export const ContainerStateTerminated = obj(core('ContainerStateTerminated'), 'The container has exited.', {
  containerID: field(str, 'Runtime ID of the container, "<type>://<id>".'),
  exitCode: field(int32, 'Exit status.', { required: true }),
  finishedAt: field(time, 'When the container exited.'),
  message: field(str, 'Detail about the exit.'),
  reason: field(str, 'Short reason for the exit, such as Completed or OOMKilled.'),
  signal: field(int32, 'Signal that ended the container, if any.'),
  startedAt: field(time, 'When the container started.'),
});

export const ContainerStateWaiting = obj(core('ContainerStateWaiting'), 'The container is not running yet.', {
  message: field(str, 'Detail about why it is waiting.'),
  reason: field(str, 'Short reason, such as ContainerCreating or CrashLoopBackOff.'),
});

export const ContainerState = obj(core('ContainerState'), 'State of a container; exactly one field is set, Waiting by default.', {
  running: field(ContainerStateRunning, 'Details when running.'),
  terminated: field(ContainerStateTerminated, 'Details when exited.'),
  waiting: field(ContainerStateWaiting, 'Details when waiting.'),
});

export const LinuxContainerUser = obj(core('LinuxContainerUser'), 'Linux identity of the container\'s first process.', {
  gid: field(int64, 'Primary GID.', { required: true }),
  supplementalGroups: field(arrayOf(int64), 'Supplementary GIDs.', atomic),
  uid: field(int64, 'UID.', { required: true }),
});

export const ContainerUser = obj(core('ContainerUser'), 'Identity the container\'s first process runs as.', {
  linux: field(LinuxContainerUser, 'Linux identity.'),
});

export const ResourceHealth = obj(core('ResourceHealth'), 'Health of one allocated device.', {
  health: field(typedStr('v1.ResourceHealthStatus'), 'Healthy, Unhealthy or Unknown.'),
  resourceID: field(typedStr('v1.ResourceID'), 'Identifier of the device, unique per resource.', { required: true }),
});

export const ResourceStatus = obj(core('ResourceStatus'), 'Health of the devices allocated to a container for one resource.', {
  name: field(typedStr('v1.ResourceName'), 'Resource name, such as "claim:<claim>/<request>" or an extended resource.', { required: true }),
  resources: field(arrayOf(ResourceHealth), 'One entry per allocated device.', { listType: 'map', listMapKeys: ['resourceID'] }),
});

export const VolumeMountStatus = obj(core('VolumeMountStatus'), 'How a volume is actually mounted.', {
  mountPath: field(str, 'Path inside the container.', { required: true }),
  name: field(str, 'Name of the volume mount.', { required: true }),
  readOnly: field(bool, 'Mounted read-only.'),
  recursiveReadOnly: field(typedStr('v1.RecursiveReadOnlyMode'), 'Whether submounts are read-only: Disabled or Enabled.'),
});

export const ContainerStatus = obj(core('ContainerStatus'), 'Observed state of one container.', {
  allocatedResources: field(resourceList, 'Resources the node has allocated to the container.'),
  allocatedResourcesStatus: field(arrayOf(ResourceStatus), 'Health of devices allocated to the container.', keyedBy('name')),
  containerID: field(str, 'Runtime ID of the container, "<type>://<id>".'),
  image: field(str, 'Image the container runs.', { required: true }),
  imageID: field(str, 'ID of the image the container runs.', { required: true }),
  lastState: field(ContainerState, 'State of the previous run, used to explain restarts.'),
  name: field(str, 'Container name.', { required: true }),
  ready: field(bool, 'Whether the container passes its readiness probe.', { required: true }),
  resources: field(ResourceRequirements, 'Requests and limits currently applied to the running container.'),
  restartCount: field(int32, 'Times the container has been restarted.', { required: true }),
  started: field(bool, 'Whether the container has passed its startup probe.'),
  state: field(ContainerState, 'Current state.'),
  user: field(ContainerUser, 'Identity of the first process, as reported by the runtime.'),
  volumeMounts: field(arrayOf(VolumeMountStatus), 'Mounts as actually made.', keyedBy('mountPath')),
});

export const HostIP = obj(core('HostIP'), 'An IP address of the node the pod runs on.', {
  ip: field(str, 'The address.', { required: true }),
});

export const PodIP = obj(core('PodIP'), 'An IP address of the pod.', {
  ip: field(str, 'The address.', { required: true }),
});

export const PodResourceClaimStatus = obj(core('PodResourceClaimStatus'), 'Which ResourceClaim was made for a template-based pod claim.', {
  name: field(str, 'Name of the entry in spec.resourceClaims.', { required: true }),
  resourceClaimName: field(str, 'Name of the generated ResourceClaim; unset when none was needed.'),
});

export const PodStatus = obj(core('PodStatus'), 'Observed state of a pod. Set by the system.', {
  conditions: field(arrayOf(PodCondition), 'Current conditions.', keyedBy('type')),
  containerStatuses: field(arrayOf(ContainerStatus), 'State of each app container.', atomic),
  ephemeralContainerStatuses: field(arrayOf(ContainerStatus), 'State of each ephemeral container.', atomic),
  hostIP: field(str, 'Primary IP address of the node.'),
  hostIPs: field(arrayOf(HostIP), 'IP addresses of the node; the first equals hostIP.', {
    patchStrategy: 'merge',
    patchMergeKey: 'ip',
    listType: 'atomic',
  }),
  initContainerStatuses: field(arrayOf(ContainerStatus), 'State of each init container.', atomic),
  message: field(str, 'Human-readable detail about the pod\'s phase.'),
  nominatedNodeName: field(str, 'Node the pod is expected to go to once preemption there completes.'),
  phase: field(
    typedStr('v1.PodPhase', ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown']),
    'Summary of where the pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown.',
  ),
  podIP: field(str, 'Primary IP address of the pod.'),
  podIPs: field(arrayOf(PodIP), 'IP addresses of the pod, at most one per family; the first equals podIP.', keyedBy('ip')),
  qosClass: field(
    typedStr('v1.PodQOSClass', ['BestEffort', 'Burstable', 'Guaranteed']),
    'Quality-of-service class derived from the resource requests and limits.',
  ),
  reason: field(str, 'Short CamelCase reason for the pod\'s state, such as Evicted.'),
  resize: field(typedStr('v1.PodResizeStatus'), 'Progress of a requested in-place resize: Proposed, InProgress, Deferred or Infeasible.'),
  resourceClaimStatuses: field(arrayOf(PodResourceClaimStatus), 'Claims generated for the pod.', keyedBy('name', ['name'], 'merge,retainKeys')),
  startTime: field(time, 'When the kubelet accepted the pod, before pulling images.'),
});

export const Pod = kindOf({ group: '', version: 'v1', kind: 'Pod' }, core('Pod'), 'A group of containers scheduled together onto one node.', {
  spec: field(PodSpec, 'What the pod runs.'),
  status: field(PodStatus, 'Observed state; set by the system.'),
});

export const Binding = kindOf(
  { group: '', version: 'v1', kind: 'Binding' },
  core('Binding'),
  'Assigns a pod to a node; the body of a pods/binding request.',
  { target: field(ObjectReference, 'The node to bind to.', { required: true }) },
);
