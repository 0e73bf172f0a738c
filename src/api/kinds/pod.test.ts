import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import type { Container, Pod } from '../types.js';
import { podRules, validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from './pod.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);

function newPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.21' }] },
  };
}

/** `before` edits the raw pod, `after` the defaulted one. */
function defaulted(before?: (pod: Pod) => void, after?: (pod: Pod) => void): Pod {
  const pod = newPod();
  before?.(pod);
  podRules.applyDefaults(pod);
  after?.(pod);
  return pod;
}

const container = (pod: Pod, i = 0): Container => pod.spec.containers[i];
const dnsLabelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const affinityPath = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
const requireNode = (pod: Pod, term: Record<string, unknown>): void => {
  pod.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
};

describe('validatePodCreate()', () => {
  const cases: { name: string; before?: (pod: Pod) => void; after?: (pod: Pod) => void; want: string[] }[] = [
    { name: 'accepts a minimal pod', want: [] },
    { name: 'requires containers', before: (p) => (p.spec.containers = []), want: ['spec.containers: Required value'] },
    { name: 'requires a container name', before: (p) => (container(p).name = ''), want: ['spec.containers[0].name: Required value'] },
    {
      name: 'requires container names to be DNS labels',
      before: (p) => (container(p).name = 'Web_1'),
      want: [`spec.containers[0].name: Invalid value: "Web_1": ${dnsLabelMessage}`],
    },
    {
      name: 'rejects duplicate container names',
      before: (p) => p.spec.containers.push({ name: 'web', image: 'nginx:1.21' }),
      want: ['spec.containers[1].name: Duplicate value: "web"'],
    },
    { name: 'requires an image', before: (p) => delete container(p).image, want: ['spec.containers[0].image: Required value'] },
    {
      name: 'rejects images with surrounding whitespace in pods',
      before: (p) => (container(p).image = ' nginx:1.21'),
      want: ['spec.containers[0].image: Invalid value: " nginx:1.21": must not have leading or trailing whitespace'],
    },
    {
      name: 'rejects an out-of-range container port',
      before: (p) => (container(p).ports = [{ containerPort: 70000 }]),
      want: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    },
    {
      name: 'requires a container port',
      before: (p) => (container(p).ports = [{ name: 'http' } as never]),
      want: ['spec.containers[0].ports[0].containerPort: Required value'],
    },
    {
      name: 'rejects an unknown protocol',
      before: (p) => (container(p).ports = [{ containerPort: 80, protocol: 'HTTP' }]),
      want: ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    },
    {
      name: 'rejects a port name that is no IANA service name',
      before: (p) => (container(p).ports = [{ containerPort: 80, name: 'http--port' }]),
      want: ['spec.containers[0].ports[0].name: Invalid value: "http--port": must not contain consecutive hyphens'],
    },
    {
      name: 'rejects a host port used twice',
      before: (p) => {
        container(p).ports = [{ containerPort: 80, hostPort: 8080 }];
        p.spec.containers.push({ name: 'sidecar', image: 'envoy:1', ports: [{ containerPort: 81, hostPort: 8080 }] });
      },
      want: ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    },
    {
      name: 'requires host port = container port under host networking',
      before: (p) => {
        p.spec.hostNetwork = true;
        container(p).ports = [{ containerPort: 80, hostPort: 8080 }];
      },
      want: ['spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'],
    },
    {
      name: 'rejects requests above limits',
      before: (p) => (container(p).resources = { limits: { cpu: '250m' }, requests: { cpu: '0.5' } }),
      want: ['spec.containers[0].resources.requests: Invalid value: "500m": must be less than or equal to cpu limit of 250m'],
    },
    {
      name: 'rejects negative quantities',
      before: (p) => (container(p).resources = { requests: { memory: '-1Gi' } }),
      want: ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
    },
    {
      name: 'rejects unparsable quantities',
      before: (p) => (container(p).resources = { requests: { memory: '1 Gi' } }),
      want: [
        "spec.containers[0].resources.requests[memory]: Invalid value: \"1 Gi\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      ],
    },
    {
      name: 'rejects non-standard resource names',
      before: (p) => (container(p).resources = { requests: { gpu: '1' } }),
      want: [
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    },
    {
      name: 'requires a limit for extended resources',
      before: (p) => (container(p).resources = { requests: { 'example.com/gpu': '1' } }),
      want: ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
    },
    {
      name: 'requires whole extended resources',
      before: (p) => (container(p).resources = { limits: { 'example.com/gpu': '500m' } }),
      want: [
        'spec.containers[0].resources.limits[example.com/gpu]: Invalid value: "500m": must be an integer',
        'spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "500m": must be an integer',
      ],
    },
    {
      name: 'rejects an unknown restart policy',
      before: (p) => (p.spec.restartPolicy = 'Sometimes' as 'Always'),
      want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    },
    {
      name: 'rejects an unknown DNS policy',
      before: (p) => (p.spec.dnsPolicy = 'Google'),
      want: ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    },
    {
      name: 'requires a grace period when defaulting was bypassed',
      after: (p) => delete p.spec.terminationGracePeriodSeconds,
      want: ['spec.terminationGracePeriodSeconds: Required value'],
    },
    {
      name: 'rejects an activeDeadlineSeconds of 0',
      before: (p) => (p.spec.activeDeadlineSeconds = 0),
      want: ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    },
    {
      name: 'rejects a volume with two sources (and mounts of it)',
      before: (p) => {
        p.spec.volumes = [{ name: 'data', emptyDir: {}, hostPath: { path: '/data' } }];
        container(p).volumeMounts = [{ name: 'data', mountPath: '/data' }];
      },
      want: ['spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type', 'spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    },
    {
      name: 'requires volume names to be DNS labels',
      before: (p) => (p.spec.volumes = [{ name: 'Data', emptyDir: {} }]),
      want: [`spec.volumes[0].name: Invalid value: "Data": ${dnsLabelMessage}`],
    },
    {
      name: 'rejects duplicate volume names',
      before: (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }]),
      want: ['spec.volumes[1].name: Duplicate value: "data"'],
    },
    {
      name: 'requires a hostPath path',
      before: (p) => (p.spec.volumes = [{ name: 'data', hostPath: {} }]),
      want: ['spec.volumes[0].hostPath.path: Required value'],
    },
    {
      name: 'rejects an unknown hostPath type',
      before: (p) => (p.spec.volumes = [{ name: 'data', hostPath: { path: '/data', type: 'Dir' } }]),
      want: [
        'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    },
    {
      name: 'rejects mounts of unknown volumes',
      before: (p) => (container(p).volumeMounts = [{ name: 'missing', mountPath: '/m' }]),
      want: ['spec.containers[0].volumeMounts[0].name: Not found: "missing"'],
    },
    {
      name: 'rejects Bidirectional propagation in unprivileged containers',
      before: (p) => {
        p.spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
        container(p).volumeMounts = [{ name: 'root', mountPath: '/host', mountPropagation: 'Bidirectional' }];
      },
      want: ['spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers'],
    },
    {
      name: 'rejects a value with operator Exists',
      before: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'foo' }]),
      want: ["spec.tolerations[0].operator: Invalid value: \"foo\": value must be empty when `operator` is 'Exists'"],
    },
    {
      name: 'rejects an unknown toleration effect',
      before: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoRun' as 'NoSchedule' }]),
      want: ['spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    },
    {
      name: 'allows tolerationSeconds only with NoExecute',
      before: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }]),
      want: ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"],
    },
    {
      name: 'requires operator Exists for an empty key',
      before: (p) => (p.spec.tolerations = [{ operator: 'Equal', value: 'v' }]),
      want: ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    },
    {
      name: 'rejects an unknown toleration operator',
      before: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'In' as 'Equal' }]),
      want: ['spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"'],
    },
    {
      name: 'rejects invalid node selector keys',
      before: (p) => (p.spec.nodeSelector = { 'bad key': 'x' }),
      want: [
        "spec.nodeSelector: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    },
    {
      name: 'rejects an unknown node affinity operator',
      before: (p) => requireNode(p, { matchExpressions: [{ key: 'zone', operator: 'Is', values: ['a'] }] }),
      want: [`${affinityPath}[0].matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator`],
    },
    {
      name: 'requires values for In',
      before: (p) => requireNode(p, { matchExpressions: [{ key: 'zone', operator: 'In' }] }),
      want: [`${affinityPath}[0].matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`],
    },
    {
      name: 'forbids values for Exists',
      before: (p) => requireNode(p, { matchExpressions: [{ key: 'zone', operator: 'Exists', values: ['a'] }] }),
      want: [`${affinityPath}[0].matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`],
    },
    {
      name: 'requires one value for Gt',
      before: (p) => requireNode(p, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1', '2'] }] }),
      want: [`${affinityPath}[0].matchExpressions[0].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`],
    },
    {
      name: 'accepts only metadata.name in matchFields',
      before: (p) => requireNode(p, { matchFields: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] }),
      want: [`${affinityPath}[0].matchFields[0].key: Invalid value: "spec.nodeName": not a valid field selector key`],
    },
    {
      name: 'requires node selector terms',
      before: (p) => (p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
      want: [`${affinityPath}: Required value: must have at least one node selector term`],
    },
    {
      name: 'rejects env names with "="',
      before: (p) => (container(p).env = [{ name: 'A=B', value: 'x' }]),
      want: ["spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"],
    },
    {
      name: 'requires a source in valueFrom',
      before: (p) => (container(p).env = [{ name: 'A', valueFrom: {} }]),
      want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'],
    },
    {
      name: 'rejects unsupported downward API fields',
      before: (p) => (container(p).env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }]),
      want: [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    },
    {
      name: 'requires a probe handler',
      before: (p) => (container(p).livenessProbe = {}),
      want: ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    },
    {
      name: 'requires successThreshold 1 for liveness probes',
      before: (p) => (container(p).livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 }),
      want: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    },
    {
      name: 'forbids restartPolicy on regular containers',
      before: (p) => (container(p).restartPolicy = 'Always'),
      want: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    },
    {
      name: 'forbids probes on plain init containers',
      before: (p) => (p.spec.initContainers = [{ name: 'init', image: 'busybox:1', readinessProbe: { exec: { command: ['true'] } } }]),
      want: ['spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
    },
    {
      name: 'rejects names shared by init and regular containers',
      before: (p) => (p.spec.initContainers = [{ name: 'web', image: 'busybox:1' }]),
      want: ['spec.initContainers[0].name: Duplicate value: "web"'],
    },
    {
      name: 'forbids ephemeral containers on create',
      before: (p) => (p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1' }]),
      want: ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
    },
    {
      name: 'forbids token projections without a service account',
      before: (p) => (p.spec.volumes = [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }]),
      want: ['spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set'],
    },
    {
      name: 'requires a node name to be a DNS subdomain',
      before: (p) => (p.spec.nodeName = 'Node_1'),
      want: [
        "spec.nodeName: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    },
    {
      name: 'requires a valid pod deletion cost',
      before: (p) => (p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': '+5' }),
      want: ['metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+5": must be a 32bit integer'],
    },
    {
      name: 'requires a node name for mirror pods',
      before: (p) => (p.metadata.annotations = { 'kubernetes.io/config.mirror': 'abc' }),
      want: ['metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "abc": must set spec.nodeName if mirror pod annotation is set'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validatePodCreate(defaulted(c.before, c.after))), c.want));
  }
});

describe('validatePodUpdate()', () => {
  const changeOnlyPrefix =
    'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';
  const cases: { name: string; old?: (pod: Pod) => void; change: (pod: Pod) => void; want: string[] }[] = [
    { name: 'accepts a new image', change: (p) => (container(p).image = 'nginx:1.25'), want: [] },
    { name: 'accepts an added toleration', change: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }]), want: [] },
    { name: 'accepts a first activeDeadlineSeconds', change: (p) => (p.spec.activeDeadlineSeconds = 100), want: [] },
    {
      name: 'rejects a larger activeDeadlineSeconds',
      old: (p) => (p.spec.activeDeadlineSeconds = 100),
      change: (p) => (p.spec.activeDeadlineSeconds = 200),
      want: ['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value'],
    },
    {
      name: 'rejects removing activeDeadlineSeconds',
      old: (p) => (p.spec.activeDeadlineSeconds = 100),
      change: (p) => delete p.spec.activeDeadlineSeconds,
      want: ['spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value'],
    },
    {
      name: 'rejects an added container',
      change: (p) => p.spec.containers.push({ name: 'two', image: 'nginx:1.21' }),
      want: ['spec.containers: Forbidden: pod updates may not add or remove containers'],
    },
    {
      name: 'rejects a removed toleration',
      old: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }]),
      change: (p) => (p.spec.tolerations = []),
      want: ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'],
    },
    {
      name: 'accepts a changed tolerationSeconds',
      old: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]),
      change: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]),
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = defaulted(c.old);
      const next = structuredClone(old);
      c.change(next);
      podRules.applyDefaults(next);
      assert.deepEqual(messages(validatePodUpdate(next, old)), c.want);
    });
  }

  it('forbids other spec changes with upstream\'s message and names the field', () => {
    const old = defaulted();
    const next = structuredClone(old);
    next.spec.dnsPolicy = 'Default';
    const [message, ...rest] = messages(validatePodUpdate(next, old));
    assert.deepEqual(rest, []);
    assert.ok(message.startsWith(changeOnlyPrefix), message);
    assert.match(message, /spec\.dnsPolicy: "ClusterFirst" -> "Default"/);
  });
});

describe('validatePodStatusUpdate()', () => {
  const cases: { name: string; change: (pod: Pod) => void; want: string[] }[] = [
    { name: 'accepts a phase change', change: (p) => (p.status = { phase: 'Running', qosClass: 'BestEffort' }), want: [] },
    {
      name: 'forbids changing the node name',
      change: (p) => {
        p.spec.nodeName = 'node-1';
        p.status = { qosClass: 'BestEffort' };
      },
      want: ['status.nodeName: Forbidden: may not be changed directly'],
    },
    {
      name: 'keeps the QoS class',
      change: (p) => (p.status = { qosClass: 'Burstable' }),
      want: ['status.qosClass: Invalid value: "Burstable": field is immutable'],
    },
    {
      name: 'rejects two IPs of one family',
      change: (p) => (p.status = { qosClass: 'BestEffort', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }),
      want: ['status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.2"}}: may specify no more than one IP for each IP family'],
    },
    {
      name: 'accepts a dual-stack pair',
      change: (p) => (p.status = { qosClass: 'BestEffort', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] }),
      want: [],
    },
    {
      name: 'rejects an invalid IP',
      change: (p) => (p.status = { qosClass: 'BestEffort', podIPs: [{ ip: 'nope' }] }),
      want: ['status.podIPs[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    },
    {
      name: 'keeps a terminated container of a never-restarting pod terminated',
      change: (p) => {
        p.status = { qosClass: 'BestEffort', containerStatuses: [{ name: 'web', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { running: {} } }] };
      },
      want: ['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = defaulted((p) => (p.spec.restartPolicy = 'Never'));
      old.status = {
        qosClass: 'BestEffort',
        containerStatuses: [{ name: 'web', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } }],
      };
      const next = structuredClone(old);
      c.change(next);
      assert.deepEqual(messages(validatePodStatusUpdate(next, old)), c.want);
    });
  }
});
