import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodSpec } from '../types.js';
import { defaultImagePullPolicy, imageTag, setDefaultsPod, setDefaultsPodSpec, setDefaultsPodStatus } from './pod-defaults.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('defaultImagePullPolicy()', () => {
  const cases: { name: string; image: string | undefined; want: 'Always' | 'IfNotPresent' }[] = [
    { name: 'no tag means latest', image: 'nginx', want: 'Always' },
    { name: 'explicit latest', image: 'nginx:latest', want: 'Always' },
    { name: 'a version tag', image: 'nginx:1.21', want: 'IfNotPresent' },
    { name: 'a digest only', image: `nginx@${digest}`, want: 'IfNotPresent' },
    { name: 'latest with a digest', image: `nginx:latest@${digest}`, want: 'Always' },
    { name: 'a registry port is not a tag', image: 'registry.local:5000/team/nginx', want: 'Always' },
    { name: 'a registry port and a tag', image: 'registry.local:5000/team/nginx:2.0', want: 'IfNotPresent' },
    { name: 'an unparsable reference', image: 'NGINX', want: 'IfNotPresent' },
    { name: 'no image at all', image: undefined, want: 'IfNotPresent' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(defaultImagePullPolicy(c.image), c.want));
  }

  it('imageTag() tells tags, digests and junk apart', () => {
    assert.deepEqual([imageTag('a/b:c'), imageTag(`a@${digest}`), imageTag('a b')], ['c', '', undefined]);
  });
});

describe('setDefaultsPodSpec()', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: (spec: PodSpec) => unknown; expected: unknown }[] = [
    {
      name: 'fills the pod-level fields',
      spec: { containers: [] },
      want: (s) => [s.restartPolicy, s.dnsPolicy, s.schedulerName, s.terminationGracePeriodSeconds, s.securityContext],
      expected: ['Always', 'ClusterFirst', 'default-scheduler', 30, {}],
    },
    {
      name: 'keeps a zero grace period',
      spec: { containers: [], terminationGracePeriodSeconds: 0 },
      want: (s) => s.terminationGracePeriodSeconds,
      expected: 0,
    },
    {
      name: 'defaults probes and their httpGet',
      spec: { containers: [{ name: 'c', image: 'i:1', livenessProbe: { httpGet: { port: 8080 } } }] },
      want: (s) => s.containers[0].livenessProbe,
      expected: { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    },
    {
      name: 'defaults a grpc probe service to ""',
      spec: { containers: [{ name: 'c', image: 'i:1', readinessProbe: { grpc: { port: 9000 } } }] },
      want: (s) => s.containers[0].readinessProbe?.grpc,
      expected: { port: 9000, service: '' },
    },
    {
      name: 'defaults volume sources',
      spec: {
        containers: [],
        volumes: [
          { name: 'a' },
          { name: 'b', configMap: { name: 'cm' } },
          { name: 'c', secret: { secretName: 's' } },
          { name: 'd', hostPath: { path: '/x' } },
          { name: 'e', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
          { name: 'f', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        ],
      },
      want: (s) => s.volumes,
      expected: [
        { name: 'a', emptyDir: {} },
        { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
        { name: 'c', secret: { secretName: 's', defaultMode: 420 } },
        { name: 'd', hostPath: { path: '/x', type: '' } },
        { name: 'e', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
        { name: 'f', downwardAPI: { defaultMode: 420, items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } }] } },
      ],
    },
    {
      name: 'defaults env fieldRef apiVersion',
      spec: { containers: [{ name: 'c', image: 'i:1', env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] }] },
      want: (s) => s.containers[0].env,
      expected: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }],
    },
    {
      name: 'prints quantities in canonical form, rounded up to milli-units',
      spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { cpu: 0.5, memory: '1024Mi' }, requests: { cpu: '1000m', memory: '0.1m' } } }] },
      want: (s) => s.containers[0].resources,
      expected: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '1', memory: '1m' } },
    },
    {
      name: 'leaves unparsable quantities for validation to report',
      spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { cpu: 'lots' } } }] },
      want: (s) => s.containers[0].resources,
      expected: { limits: { cpu: 'lots' } },
    },
    {
      name: 'mirrors serviceAccountName into serviceAccount',
      spec: { containers: [], serviceAccountName: 'agent' },
      want: (s) => [s.serviceAccountName, s.serviceAccount],
      expected: ['agent', 'agent'],
    },
    {
      name: 'takes the service account from the deprecated field',
      spec: { containers: [], serviceAccount: 'legacy' },
      want: (s) => [s.serviceAccountName, s.serviceAccount],
      expected: ['legacy', 'legacy'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spec = structuredClone(c.spec) as PodSpec;
      setDefaultsPodSpec(spec);
      assert.deepEqual(c.want(spec), c.expected);
    });
  }
});

describe('setDefaultsPod()', () => {
  const newPod = (spec: Partial<PodSpec>): Pod => ({
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'i:1' }], ...spec },
  });
  const cases: { name: string; pod: Pod; want: (pod: Pod) => unknown; expected: unknown }[] = [
    { name: 'enables service links', pod: newPod({}), want: (p) => p.spec.enableServiceLinks, expected: true },
    { name: 'keeps service links off when asked', pod: newPod({ enableServiceLinks: false }), want: (p) => p.spec.enableServiceLinks, expected: false },
    {
      name: 'copies limits into missing requests',
      pod: newPod({ containers: [{ name: 'c', image: 'i:1', resources: { limits: { cpu: '250m', memory: '1Gi' }, requests: { cpu: '100m' } } }] }),
      want: (p) => p.spec.containers[0].resources?.requests,
      expected: { cpu: '100m', memory: '1Gi' },
    },
    {
      name: 'sets host ports under host networking',
      pod: newPod({ hostNetwork: true, containers: [{ name: 'c', image: 'i:1', ports: [{ containerPort: 9100 }] }] }),
      want: (p) => p.spec.containers[0].ports,
      expected: [{ containerPort: 9100, hostPort: 9100, protocol: 'TCP' }],
    },
    {
      name: 'leaves host ports alone without host networking',
      pod: newPod({ containers: [{ name: 'c', image: 'i:1', ports: [{ containerPort: 80 }] }] }),
      want: (p) => p.spec.containers[0].ports,
      expected: [{ containerPort: 80, protocol: 'TCP' }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      setDefaultsPod(c.pod);
      assert.deepEqual(c.want(c.pod), c.expected);
    });
  }
});

describe('setDefaultsPodStatus()', () => {
  const pod = (status: unknown): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] }, status: status as Pod['status'] });
  const cases: { name: string; status: unknown; expected: unknown }[] = [
    { name: 'no status', status: undefined, expected: undefined },
    {
      name: 'unset condition times become null, set ones stay',
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }, { type: 'PodScheduled', status: 'True' }] },
      expected: {
        conditions: [
          { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: null },
        ],
      },
    },
    {
      name: 'container statuses of every list get state and lastState',
      status: {
        containerStatuses: [{ name: 'a', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
        initContainerStatuses: [{ name: 'i' }],
        ephemeralContainerStatuses: [{ name: 'e', lastState: { terminated: { exitCode: 1 } } }],
      },
      expected: {
        containerStatuses: [{ name: 'a', state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, lastState: {} }],
        initContainerStatuses: [{ name: 'i', state: {}, lastState: {} }],
        ephemeralContainerStatuses: [{ name: 'e', state: {}, lastState: { terminated: { exitCode: 1 } } }],
      },
    },
    { name: 'malformed lists are left to validation', status: { conditions: 'x', containerStatuses: [null, 3] }, expected: { conditions: 'x', containerStatuses: [null, 3] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = pod(c.status);
      setDefaultsPodStatus(p);
      assert.deepEqual(p.status, c.expected);
    });
  }
});
