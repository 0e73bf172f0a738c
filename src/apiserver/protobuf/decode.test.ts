import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/errors.js';
import { decodeProtobufMessage, decodeProtobufObject, protobufKinds, protobufMediaType } from './index.js';
import { bytes, concat, entry, envelope, fixed32, fixed64, group, intOrString, msg, quantity, str, time, varint } from './test-encoder.js';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

function assertBadRequest(fn: () => unknown, pattern?: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
    assert.equal(error.code, 400);
    assert.equal(error.status.reason, 'BadRequest');
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

describe('decodeProtobufObject: bodies captured from kubectl 1.32', () => {
  it('create namespace x', () => {
    assert.deepEqual(decodeProtobufObject(fixture('namespace.pb')), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x' },
      spec: {},
      status: {},
    });
  });

  it('create namespace y --dry-run=server (dry run travels in the query, not the body)', () => {
    assert.deepEqual(decodeProtobufObject(fixture('namespace-dry-run.pb')), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'y' },
      spec: {},
      status: {},
    });
  });

  it('create configmap c --from-literal=a=1 --from-literal=b=2', () => {
    assert.deepEqual(decodeProtobufObject(fixture('configmap.pb')), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: '1', b: '2' },
    });
  });

  it('create configmap c2 --from-literal=k=v --from-file=blob=<binary file>: binaryData is base64', () => {
    // The file holds the bytes 00 01 ff followed by " binary".
    const blob = Buffer.concat([Buffer.from([0x00, 0x01, 0xff]), Buffer.from(' binary')]).toString('base64');
    assert.deepEqual(decodeProtobufObject(fixture('configmap-binary.pb')), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c2' },
      data: { k: 'v' },
      binaryData: { blob },
    });
  });

  it('create secret generic s --from-literal=p=q: data is base64', () => {
    assert.deepEqual(decodeProtobufObject(fixture('secret.pb')), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { p: Buffer.from('q').toString('base64') },
    });
  });

  it('create secret generic s2 --from-file=blob=<binary> --from-literal=user=admin --type=Opaque', () => {
    assert.deepEqual(decodeProtobufObject(fixture('secret-binary.pb')), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's2' },
      data: {
        blob: Buffer.concat([Buffer.from([0x00, 0x01, 0xff]), Buffer.from(' binary')]).toString('base64'),
        user: Buffer.from('admin').toString('base64'),
      },
      type: 'Opaque',
    });
  });

  it('create serviceaccount sa', () => {
    assert.deepEqual(decodeProtobufObject(fixture('serviceaccount.pb')), {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa' },
    });
  });

  it('create serviceaccount sa2 -n x: the namespace is in the body', () => {
    assert.deepEqual(decodeProtobufObject(fixture('serviceaccount-namespaced.pb')), {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa2', namespace: 'x' },
    });
  });

  it('create priorityclass pc --value=1000 --description=d', () => {
    assert.deepEqual(decodeProtobufObject(fixture('priorityclass.pb')), {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'pc' },
      value: 1000,
      description: 'd',
      preemptionPolicy: 'PreemptLowerPriority',
    });
  });

  it('create priorityclass pc2 --value=-5 --global-default --preemption-policy=Never: negative int32', () => {
    assert.deepEqual(decodeProtobufObject(fixture('priorityclass-global-default.pb')), {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'pc2' },
      value: -5,
      globalDefault: true,
      preemptionPolicy: 'Never',
    });
  });

  it('create poddisruptionbudget pdb --selector=app=x --min-available=1: IntOrString as a number', () => {
    assert.deepEqual(decodeProtobufObject(fixture('pdb-min-available.pb')), {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'pdb' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } },
      // These four status counters have no omitempty upstream, so Go's JSON carries them too.
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    });
  });

  it('create poddisruptionbudget pdb2 --selector=app=y,tier=z --max-unavailable=50%: IntOrString as a string', () => {
    assert.deepEqual(decodeProtobufObject(fixture('pdb-max-unavailable.pb')), {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'pdb2' },
      spec: { selector: { matchLabels: { app: 'y', tier: 'z' } }, maxUnavailable: '50%' },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    });
  });

  it('drain falling back to DELETE: the empty DeleteOptions (31 bytes)', () => {
    assert.equal(fixture('deleteoptions-empty.pb').length, 31);
    assert.deepEqual(decodeProtobufObject(fixture('deleteoptions-empty.pb')), { apiVersion: 'v1', kind: 'DeleteOptions' });
  });

  it('drain --grace-period=5 falling back to DELETE: gracePeriodSeconds', () => {
    assert.deepEqual(decodeProtobufObject(fixture('deleteoptions-grace-period.pb')), {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 5,
    });
  });

  it('debug node/n1 --image=busybox -- sleep 1: a host pod pinned to the node', () => {
    const pod = decodeProtobufObject(fixture('pod-debug-node.pb')) as { metadata: { name: string } };
    assert.match(pod.metadata.name, /^node-debugger-n1-[a-z0-9]{5}$/);
    assert.deepEqual(pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod.metadata.name },
      spec: {
        volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
        containers: [
          {
            name: 'debugger',
            image: 'busybox',
            command: ['sleep', '1'],
            resources: {},
            volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
            terminationMessagePolicy: 'File',
          },
        ],
        restartPolicy: 'Never',
        nodeName: 'n1',
        hostNetwork: true,
        hostPID: true,
        hostIPC: true,
        tolerations: [{ operator: 'Exists' }],
      },
      status: {},
    });
  });

  it('debug node/n1 --profile=sysadmin -- true: a privileged container', () => {
    const pod = decodeProtobufObject(fixture('pod-debug-node-sysadmin.pb')) as any;
    assert.deepEqual(pod.spec.containers, [
      {
        name: 'debugger',
        image: 'busybox',
        command: ['true'],
        resources: {},
        volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
        securityContext: { privileged: true },
        terminationMessagePolicy: 'File',
      },
    ]);
    assert.equal(pod.spec.nodeName, 'n1');
  });

  it("debug p --copy-to=p2 --image=busybox --container=dbg -- sh -c 'echo hi': a copy with server defaults", () => {
    assert.deepEqual(decodeProtobufObject(fixture('pod-debug-copy.pb')), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p2', namespace: 'default' },
      spec: {
        containers: [
          {
            name: 'p',
            image: 'nginx',
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            imagePullPolicy: 'Always',
            terminationMessagePolicy: 'File',
          },
          {
            name: 'dbg',
            image: 'busybox',
            command: ['sh', '-c', 'echo hi'],
            resources: {},
            terminationMessagePolicy: 'File',
          },
        ],
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        securityContext: {},
        schedulerName: 'default-scheduler',
        enableServiceLinks: true,
      },
      status: {},
    });
  });

  it('debug rich --copy-to=rich-copy --profile=restricted --env=FOO=bar: most of PodSpec (source: testdata/rich-source-pod.yaml)', () => {
    // kubectl's copy drops labels, nodeName and probes of the source pod (its defaults without --keep-*/--same-node).
    assert.deepEqual(decodeProtobufObject(fixture('pod-debug-copy-rich.pb')), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'rich-copy', namespace: 'default' },
      spec: {
        volumes: [
          { name: 'cfg', configMap: { name: 'c', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } },
          { name: 'sec', secret: { secretName: 's', defaultMode: 420, optional: false } },
          { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
          { name: 'root', hostPath: { path: '/', type: 'Directory' } },
        ],
        containers: [
          {
            name: 'agent',
            image: 'example.com/agent:1.2.3',
            command: ['/agent'],
            args: ['--verbose', '--port=9100'],
            workingDir: '/work',
            ports: [{ name: 'metrics', hostPort: 9100, containerPort: 9100, protocol: 'TCP' }],
            env: [
              { name: 'MODE', value: 'fast' },
              { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
              { name: 'PASS', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
            ],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
            volumeMounts: [
              { name: 'cfg', readOnly: true, mountPath: '/etc/cfg' },
              { name: 'root', mountPath: '/host', mountPropagation: 'HostToContainer' },
            ],
            terminationMessagePath: '/dev/termination-log',
            imagePullPolicy: 'IfNotPresent',
            securityContext: { capabilities: { add: ['NET_ADMIN'] }, privileged: true },
            envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'c' } }],
            terminationMessagePolicy: 'File',
          },
          {
            name: 'dbg',
            image: 'busybox',
            command: ['sleep', '1'],
            env: [{ name: 'FOO', value: 'bar' }],
            resources: {},
            securityContext: {
              capabilities: { drop: ['ALL'] },
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            terminationMessagePolicy: 'File',
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 0,
        dnsPolicy: 'ClusterFirstWithHostNet',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        serviceAccountName: 'sa',
        serviceAccount: 'sa',
        hostNetwork: true,
        securityContext: { runAsUser: 0, supplementalGroups: [1, 2, 3], fsGroup: 2000 },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
            },
          },
        },
        schedulerName: 'default-scheduler',
        automountServiceAccountToken: false,
        tolerations: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 },
        ],
        priorityClassName: 'pc',
        shareProcessNamespace: true,
        enableServiceLinks: true,
      },
      status: {},
    });
  });

  it('kinds we do not serve (create deployment, create token) are a 400 naming the kind', () => {
    assertBadRequest(() => decodeProtobufObject(fixture('deployment.pb')), /no kind "Deployment" is registered for version "apps\/v1"/);
    assertBadRequest(() => decodeProtobufObject(fixture('tokenrequest.pb')), /"TokenRequest"/);
  });
});

describe('decodeProtobufObject: hand-encoded kinds', () => {
  const metadata = (...extra: Uint8Array[]) => msg(1, str(1, 'n1'), ...extra);

  it('Node: spec taints/podCIDRs/unschedulable and status basics', () => {
    const body = envelope(
      'v1',
      'Node',
      metadata(entry(11, 'kubernetes.io/hostname', 'n1'), time(8, 1_700_000_000)),
      msg(
        2,
        str(1, '10.0.1.0/24'),
        varint(4, true),
        msg(5, str(1, 'node.kubernetes.io/unschedulable'), str(3, 'NoSchedule'), time(4, 1_700_000_100)),
        msg(5, str(1, 'dedicated'), str(2, 'infra'), str(3, 'NoExecute')),
        str(7, '10.0.1.0/24'),
        str(7, 'fd00::/64'),
      ),
      msg(
        3,
        msg(1, str(1, 'cpu'), quantity(2, '4')),
        msg(1, str(1, 'memory'), quantity(2, '8Gi')),
        msg(2, str(1, 'pods'), quantity(2, '110')),
        msg(4, str(1, 'Ready'), str(2, 'True'), time(3, 1_700_000_200), time(4, 1_700_000_000), str(5, 'KubeletReady'), str(6, 'kubelet is posting ready status')),
        msg(5, str(1, 'InternalIP'), str(2, '10.0.0.1')),
        msg(5, str(1, 'Hostname'), str(2, 'n1')),
        msg(6, msg(1, varint(1, 10250))),
        msg(7, str(1, 'mid'), str(7, 'v1.32.0'), str(9, 'linux'), str(10, 'amd64')),
      ),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' }, creationTimestamp: '2023-11-14T22:13:20Z' },
      spec: {
        podCIDR: '10.0.1.0/24',
        unschedulable: true,
        taints: [
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2023-11-14T22:15:00Z' },
          { key: 'dedicated', value: 'infra', effect: 'NoExecute' },
        ],
        podCIDRs: ['10.0.1.0/24', 'fd00::/64'],
      },
      status: {
        capacity: { cpu: '4', memory: '8Gi' },
        allocatable: { pods: '110' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastHeartbeatTime: '2023-11-14T22:16:40Z',
            lastTransitionTime: '2023-11-14T22:13:20Z',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          },
        ],
        addresses: [
          { type: 'InternalIP', address: '10.0.0.1' },
          { type: 'Hostname', address: 'n1' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: { machineID: 'mid', kubeletVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64' },
      },
    });
  });

  it('DaemonSet: selector, template with the pod subset, update strategy, status counters', () => {
    const labels = entry(11, 'app', 'agent');
    const body = envelope(
      'apps/v1',
      'DaemonSet',
      msg(1, str(1, 'agent'), str(3, 'kube-system'), labels),
      msg(
        2,
        msg(1, entry(1, 'app', 'agent'), msg(2, str(1, 'tier'), str(2, 'In'), str(3, 'node'), str(3, 'edge'))),
        msg(
          2,
          msg(1, labels),
          msg(
            2,
            msg(2, str(1, 'agent'), str(2, 'agent:1'), msg(6, str(1, 'http'), varint(3, 8080), str(4, 'TCP')), msg(8, msg(2, str(1, 'cpu'), quantity(2, '10m')))),
            entry(7, 'kubernetes.io/os', 'linux'),
            msg(22, str(2, 'Exists')),
            str(24, 'system-node-critical'),
          ),
        ),
        msg(3, str(1, 'RollingUpdate'), msg(2, intOrString(1, 1), intOrString(2, '25%'))),
        varint(4, 0),
        varint(6, 10),
      ),
      msg(3, varint(1, 3), varint(2, 0), varint(3, 3), varint(4, 2), varint(5, 7), varint(6, 3), varint(7, 2), varint(8, 1)),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system', labels: { app: 'agent' } },
      spec: {
        selector: { matchLabels: { app: 'agent' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['node', 'edge'] }] },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: {
            containers: [
              {
                name: 'agent',
                image: 'agent:1',
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                resources: { requests: { cpu: '10m' } },
              },
            ],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ operator: 'Exists' }],
            priorityClassName: 'system-node-critical',
          },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: 3,
        numberMisscheduled: 0,
        desiredNumberScheduled: 3,
        numberReady: 2,
        observedGeneration: 7,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
        numberUnavailable: 1,
      },
    });
  });

  it('Eviction with DeleteOptions (grace 0, preconditions, propagation, dryRun)', () => {
    const body = envelope(
      'policy/v1',
      'Eviction',
      msg(1, str(1, 'victim'), str(3, 'default')),
      msg(2, varint(1, 0), msg(2, str(1, 'uid-1'), str(2, '42')), str(4, 'Background'), str(5, 'All')),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'victim', namespace: 'default' },
      deleteOptions: {
        gracePeriodSeconds: 0,
        preconditions: { uid: 'uid-1', resourceVersion: '42' },
        propagationPolicy: 'Background',
        dryRun: ['All'],
      },
    });
  });

  it('DeleteOptions under any group version, with orphanDependents false kept', () => {
    assert.deepEqual(decodeProtobufObject(envelope('apps/v1', 'DeleteOptions', varint(3, false))), {
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      orphanDependents: false,
    });
    assert.deepEqual(decodeProtobufObject(envelope('example.com/v9', 'DeleteOptions')), { apiVersion: 'example.com/v9', kind: 'DeleteOptions' });
  });

  it('ObjectMeta in full: owner references, finalizers, managed fields with raw FieldsV1 JSON', () => {
    const body = envelope(
      'v1',
      'ConfigMap',
      msg(
        1,
        str(1, 'c'),
        str(2, 'c-'),
        str(3, 'ns'),
        str(5, 'uid-c'),
        str(6, '17'),
        varint(7, 3),
        time(8, 0),
        time(9, 1_700_000_000),
        varint(10, 0),
        entry(12, 'a', 'b'),
        msg(13, str(1, 'DaemonSet'), str(3, 'ds'), str(4, 'uid-ds'), str(5, 'apps/v1'), varint(6, true), varint(7, false)),
        str(14, 'example.com/cleanup'),
        msg(17, str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), time(4, 1_700_000_000), str(6, 'FieldsV1'), msg(7, str(1, '{"f:data":{"f:a":{}}}'))),
      ),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        generateName: 'c-',
        namespace: 'ns',
        uid: 'uid-c',
        resourceVersion: '17',
        generation: 3,
        creationTimestamp: '1970-01-01T00:00:00Z',
        deletionTimestamp: '2023-11-14T22:13:20Z',
        deletionGracePeriodSeconds: 0,
        annotations: { a: 'b' },
        ownerReferences: [{ kind: 'DaemonSet', name: 'ds', uid: 'uid-ds', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: false }],
        finalizers: ['example.com/cleanup'],
        managedFields: [
          { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
        ],
      },
    });
  });

  it('Event (core/v1) with MicroTime eventTime', () => {
    const body = envelope(
      'v1',
      'Event',
      msg(1, str(1, 'pod.1'), str(3, 'default')),
      msg(2, str(1, 'Pod'), str(2, 'default'), str(3, 'pod'), str(5, 'v1')),
      str(3, 'Scheduled'),
      str(4, 'assigned'),
      msg(5, str(1, 'scheduler')),
      time(6, 1_700_000_000),
      time(7, 1_700_000_060),
      varint(8, 2),
      str(9, 'Normal'),
      time(10, 1_700_000_000, 123_456_789),
      str(12, 'Binding'),
      str(14, 'default-scheduler'),
      str(15, 'sched-1'),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'pod.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'pod', apiVersion: 'v1' },
      reason: 'Scheduled',
      message: 'assigned',
      source: { component: 'scheduler' },
      firstTimestamp: '2023-11-14T22:13:20Z',
      lastTimestamp: '2023-11-14T22:14:20Z',
      count: 2,
      type: 'Normal',
      eventTime: '2023-11-14T22:13:20.123456Z',
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'sched-1',
    });
  });

  it('Lease, Binding and ControllerRevision', () => {
    assert.deepEqual(
      decodeProtobufObject(envelope('coordination.k8s.io/v1', 'Lease', msg(1, str(1, 'n1')), msg(2, str(1, 'n1'), varint(2, 40), time(4, 1_700_000_000, 5_000), varint(5, 0)))),
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'n1' },
        spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2023-11-14T22:13:20.000005Z', leaseTransitions: 0 },
      },
    );
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'Binding', msg(1, str(1, 'p')), msg(2, str(1, 'Node'), str(3, 'n1')))), {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'p' },
      target: { kind: 'Node', name: 'n1' },
    });
    assert.deepEqual(
      decodeProtobufObject(envelope('apps/v1', 'ControllerRevision', msg(1, str(1, 'ds-1')), msg(2, str(1, '{"spec":{"template":{}}}')), varint(3, 1))),
      { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'ds-1' }, data: { spec: { template: {} } }, revision: 1 },
    );
  });

  it('Pod extras: probes (inlined handler), lifecycle, ephemeral containers (inlined), init containers, projected volumes', () => {
    const container = (name: string, ...extra: Uint8Array[]) => concat(str(1, name), str(2, 'img'), ...extra);
    const body = envelope(
      'v1',
      'Pod',
      msg(1, str(1, 'p')),
      msg(
        2,
        msg(
          1,
          str(1, 'proj'),
          msg(2, msg(26, msg(1, msg(4, str(1, 'api'), varint(2, 3600), str(3, 'token'))), msg(1, msg(3, msg(1, str(1, 'c')), msg(2, str(1, 'k'), str(2, 'k.txt'), varint(3, 0o400)))), varint(2, 0o644))),
        ),
        msg(
          2,
          container(
            'main',
            msg(10, msg(1, msg(2, str(1, '/healthz'), intOrString(2, 'http'), msg(5, str(1, 'X'), str(2, 'y')))), varint(2, 3), varint(6, 5)),
            msg(11, msg(1, msg(1, str(1, 'cat'), str(1, '/ready')))),
            msg(22, msg(1, msg(4, varint(1, 8080), str(2, 'svc')))),
            msg(12, msg(2, msg(4, varint(1, 5)))),
            msg(7, str(1, 'POD_IP'), msg(3, msg(1, str(1, 'v1'), str(2, 'status.podIP')))),
            str(24, 'Always'),
          ),
        ),
        msg(20, container('init', msg(15, varint(4, 1000), varint(8, 0)))),
        msg(34, msg(1, container('debug')), str(2, 'main')),
        msg(18, msg(2, msg(1, msg(1, entry(1, 'app', 'db')), str(3, 'kubernetes.io/hostname')))),
        msg(33, varint(1, 1), str(2, 'zone'), str(3, 'DoNotSchedule'), msg(4, entry(1, 'app', 'x'))),
        msg(36, str(1, 'linux')),
        varint(25, 0),
      ),
      msg(3, str(1, 'Running'), str(6, '10.1.0.5'), msg(12, str(1, '10.1.0.5')), msg(8, str(1, 'main'), msg(2, msg(2, time(1, 1_700_000_000))), varint(4, true), varint(5, 0), str(6, 'img'), str(7, 'sha'))),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        volumes: [
          {
            name: 'proj',
            projected: {
              sources: [
                { serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } },
                { configMap: { name: 'c', items: [{ key: 'k', path: 'k.txt', mode: 0o400 }] } },
              ],
              defaultMode: 0o644,
            },
          },
        ],
        containers: [
          {
            name: 'main',
            image: 'img',
            livenessProbe: {
              httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X', value: 'y' }] },
              initialDelaySeconds: 3,
              failureThreshold: 5,
            },
            readinessProbe: { exec: { command: ['cat', '/ready'] } },
            startupProbe: { grpc: { port: 8080, service: 'svc' } },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            env: [{ name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
            restartPolicy: 'Always',
          },
        ],
        initContainers: [{ name: 'init', image: 'img', securityContext: { runAsUser: 1000, runAsGroup: 0 } }],
        ephemeralContainers: [{ name: 'debug', image: 'img', targetContainerName: 'main' }],
        affinity: {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] },
        },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } }],
        os: { name: 'linux' },
        priority: 0,
      },
      status: {
        phase: 'Running',
        podIP: '10.1.0.5',
        podIPs: [{ ip: '10.1.0.5' }],
        containerStatuses: [
          { name: 'main', state: { running: { startedAt: '2023-11-14T22:13:20Z' } }, ready: true, restartCount: 0, image: 'img', imageID: 'sha' },
        ],
      },
    });
  });
});

describe('decodeProtobufObject: unknown fields are skipped', () => {
  const plain = () =>
    envelope('v1', 'Pod', msg(1, str(1, 'p'), entry(11, 'a', 'b')), msg(2, msg(2, str(1, 'c'), str(2, 'img')), str(10, 'n1')));

  it('at every level and of every wire type, the result is the same as without them', () => {
    const withUnknown = envelope(
      'v1',
      'Pod',
      varint(99, 7),
      msg(1, str(1, 'p'), str(15, 'tombstoned clusterName'), entry(11, 'a', 'b'), fixed64(1000)),
      msg(
        2,
        group(77, varint(1, 1), group(2, str(3, 'nested group'))),
        msg(2, str(1, 'c'), fixed32(900), str(2, 'img'), msg(4242, str(1, 'future'), varint(2, 1))),
        str(10, 'n1'),
        msg(5000, msg(1, msg(1, str(1, 'deep')))),
      ),
      fixed32(536_870_911), // the largest field number
    );
    assert.deepEqual(decodeProtobufObject(withUnknown), decodeProtobufObject(plain()));
    assert.deepEqual(decodeProtobufObject(plain()), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'img' }], nodeName: 'n1' },
    });
  });

  it('a volume source added upstream after our tables is skipped, the volume keeps its name', () => {
    const body = envelope('v1', 'Pod', msg(2, msg(1, str(1, 'future'), msg(2, msg(31, str(1, 'x'))))));
    assert.deepEqual(decodeProtobufObject(body), { apiVersion: 'v1', kind: 'Pod', spec: { volumes: [{ name: 'future' }] } });
  });

  it('legacy volume sources and ephemeral volumes decode', () => {
    const body = envelope(
      'v1',
      'Pod',
      msg(
        2,
        msg(1, str(1, 'disk'), msg(2, msg(3, str(1, 'pd-1'), str(2, 'ext4'), varint(3, 0), varint(4, false)))),
        msg(
          1,
          str(1, 'scratch'),
          msg(2, msg(29, msg(1, msg(1, entry(11, 'type', 'scratch')), msg(2, str(1, 'ReadWriteOnce'), msg(2, msg(2, str(1, 'storage'), quantity(2, '1Gi'))), str(5, 'fast'))))),
        ),
      ),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: {
        volumes: [
          { name: 'disk', gcePersistentDisk: { pdName: 'pd-1', fsType: 'ext4' } },
          {
            name: 'scratch',
            ephemeral: {
              volumeClaimTemplate: {
                metadata: { labels: { type: 'scratch' } },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' },
              },
            },
          },
        ],
      },
    });
  });

  it('unknown fields in the envelope and in its typeMeta are skipped', () => {
    const unknown = concat(msg(1, str(1, 'v1'), varint(3, 1), str(2, 'Namespace')), varint(9, 1), bytes(2, msg(1, str(1, 'x'))), str(5, 'later'));
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(unknown)]);
    assert.deepEqual(decodeProtobufObject(body), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
  });
});

describe('decodeProtobufObject: encodings', () => {
  it('packed and unpacked repeated int64 both decode', () => {
    const packed = envelope('v1', 'Pod', msg(2, msg(14, bytes(4, Uint8Array.from([1, 2, 0x96, 0x01])))));
    const unpacked = envelope('v1', 'Pod', msg(2, msg(14, varint(4, 1), varint(4, 2), varint(4, 150))));
    const expected = { apiVersion: 'v1', kind: 'Pod', spec: { securityContext: { supplementalGroups: [1, 2, 150] } } };
    assert.deepEqual(decodeProtobufObject(packed), expected);
    assert.deepEqual(decodeProtobufObject(unpacked), expected);
  });

  it('int64 values beyond 32 bits and negative values', () => {
    const body = envelope('v1', 'Pod', msg(2, varint(4, 5_000_000_000), varint(5, -1)));
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { terminationGracePeriodSeconds: 5_000_000_000, activeDeadlineSeconds: -1 },
    });
  });

  it('a map entry without a value gets the zero value; a repeated scalar field keeps the last value', () => {
    const body = envelope('v1', 'ConfigMap', msg(1, str(1, 'a'), str(1, 'b')), msg(2, str(1, 'empty')), msg(3, str(1, 'bin')));
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b' },
      data: { empty: '' },
      binaryData: { bin: '' },
    });
  });

  it('map keys such as __proto__ are plain keys', () => {
    const body = envelope('v1', 'ConfigMap', msg(2, str(1, '__proto__'), str(2, 'x')));
    const decoded = decodeProtobufObject(body) as { data: Record<string, string> };
    assert.deepEqual(Object.keys(decoded.data), ['__proto__']);
    assert.equal(Object.getOwnPropertyDescriptor(decoded.data, '__proto__')?.value, 'x');
    assert.equal(Object.getPrototypeOf(decoded.data), Object.prototype);
  });

  it('an empty body decodes to undefined; a raw-less envelope decodes to just the type', () => {
    assert.equal(decodeProtobufObject(Buffer.alloc(0)), undefined);
    const noRaw = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(msg(1, str(1, 'v1'), str(2, 'Namespace')))]);
    assert.deepEqual(decodeProtobufObject(noRaw), { apiVersion: 'v1', kind: 'Namespace' });
  });

  it('decodeProtobufMessage decodes a bare message; protobufKinds lists the accepted kinds', () => {
    assert.deepEqual(decodeProtobufMessage('LabelSelector', msg(1, str(1, 'a'), str(2, 'b'))), { matchLabels: { a: 'b' } });
    assert.throws(() => decodeProtobufMessage('NoSuchMessage', new Uint8Array()));
    const kinds = protobufKinds().map((k) => `${k.apiVersion} ${k.kind}`);
    for (const k of ['v1 Namespace', 'v1 Pod', 'v1 Node', 'apps/v1 DaemonSet', 'policy/v1 Eviction', 'scheduling.k8s.io/v1 PriorityClass']) {
      assert.ok(kinds.includes(k), k);
    }
    assert.equal(protobufMediaType, 'application/vnd.kubernetes.protobuf');
  });
});

describe('decodeProtobufObject: malformed input is a 400', () => {
  it('without the k8s\\0 prefix', () => {
    assertBadRequest(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}')), /expected prefix \[107 56 115 0\]/);
    assertBadRequest(() => decodeProtobufObject(Buffer.from('k8s')));
  });

  it('every truncation of every captured body is either a 400 or a clean decode, and cutting inside raw is a 400', () => {
    for (const name of ['namespace.pb', 'configmap-binary.pb', 'secret.pb', 'priorityclass-global-default.pb', 'pdb-max-unavailable.pb', 'pod-debug-copy-rich.pb', 'deleteoptions-grace-period.pb']) {
      const full = fixture(name);
      for (let cut = 1; cut < full.length; cut++) {
        try {
          decodeProtobufObject(full.subarray(0, cut));
        } catch (error) {
          assert.ok(error instanceof StatusError && error.code === 400, `${name} cut at ${cut}: ${String(error)}`);
        }
      }
      // The body ends with contentEncoding (2 bytes) and contentType (2 bytes); 5 short is inside raw.
      assertBadRequest(() => decodeProtobufObject(full.subarray(0, full.length - 5)));
    }
  });

  it('random bytes after the prefix never throw anything but a 400', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pod = fixture('pod-debug-copy-rich.pb');
    for (let i = 0; i < 2000; i++) {
      const body = Buffer.from(pod);
      // Flip a few bytes of a real body, past the prefix.
      for (let j = 0; j < 3; j++) body[4 + Math.floor(random() * (body.length - 4))] = Math.floor(random() * 256);
      try {
        decodeProtobufObject(body);
      } catch (error) {
        assert.ok(error instanceof StatusError && error.code === 400, String(error));
      }
    }
  });

  it('a field with the wrong wire type', () => {
    assertBadRequest(() => decodeProtobufObject(envelope('v1', 'Namespace', varint(1, 5))), /wrong wire type 0 for Namespace.metadata/);
    assertBadRequest(() => decodeProtobufObject(envelope('v1', 'Pod', msg(2, str(4, 'thirty')))), /PodSpec.terminationGracePeriodSeconds/);
  });

  it('bad wire types, overlong varints, broken groups, lengths past the end', () => {
    const raw = (...bytesOfRaw: number[]) => envelope('v1', 'Namespace', Uint8Array.from(bytesOfRaw));
    assertBadRequest(() => decodeProtobufObject(raw(0x0e)), /unknown wire type 6/);
    assertBadRequest(() => decodeProtobufObject(raw(0x48, ...Array(10).fill(0xff), 0x01)), /longer than 10 bytes/);
    assertBadRequest(() => decodeProtobufObject(raw(0x48, 0xff)), /varint/);
    assertBadRequest(() => decodeProtobufObject(raw(0xfb, 0x01, 0x08, 0x01)), /unterminated group/);
    assertBadRequest(() => decodeProtobufObject(raw(0xfb, 0x01, 0x84, 0x02)), /mismatched end of group/);
    assertBadRequest(() => decodeProtobufObject(raw(0x4c)), /unexpected end of group/);
    assertBadRequest(() => decodeProtobufObject(raw(0x0a, 0x05, 0x0a, 0x01)), /past the end/);
    assertBadRequest(() => decodeProtobufObject(raw(0x00, 0x01)), /field number 0/);
  });

  it('a missing kind, an unknown kind, a content encoding', () => {
    const noKind = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(msg(1, str(1, 'v1')))]);
    assertBadRequest(() => decodeProtobufObject(noKind), /Kind' is missing/);
    assertBadRequest(() => decodeProtobufObject(envelope('v1', 'Service')), /no kind "Service" is registered for version "v1"/);
    assertBadRequest(() => decodeProtobufObject(envelope('apps/v1', 'Pod')), /no kind "Pod" is registered for version "apps\/v1"/);
    assertBadRequest(() => decodeProtobufObject(envelope('v1', 'constructor')), /no kind "constructor"/);
    assertBadRequest(() => decodeProtobufObject(envelope('toString', 'Pod')), /no kind "Pod"/);
    const gzip = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(concat(msg(1, str(1, 'v1'), str(2, 'Namespace')), str(3, 'gzip')))]);
    assertBadRequest(() => decodeProtobufObject(gzip), /content encoding "gzip"/);
  });

  it('bad values inside well-formed messages', () => {
    // FieldsV1 that is not JSON.
    assertBadRequest(() => decodeProtobufObject(envelope('v1', 'Namespace', msg(1, msg(17, msg(7, str(1, '{not json')))))), /valid JSON/);
    // IntOrString of an unknown type.
    assertBadRequest(() => decodeProtobufObject(envelope('policy/v1', 'PodDisruptionBudget', msg(2, msg(1, varint(1, 2))))), /IntOrString type 2/);
    // Time with nanos out of range.
    assertBadRequest(() => decodeProtobufObject(envelope('v1', 'Namespace', msg(1, time(8, 1, 2_000_000_000)))), /nanos out of range/);
  });
});
