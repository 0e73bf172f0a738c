import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/errors.js';
import type { DaemonSet, Namespace, Pod } from '../../api/types.js';
import { findResource } from '../resources.js';
import type { AdmissionRequest, ClusterView } from './index.js';
import { evaluatePodsInNamespace, isSignificantPodUpdate, podSecurityPlugin, policyToEvaluate } from './pod-security.js';

const resources = {
  pods: findResource('', 'v1', 'pods')!,
  namespaces: findResource('', 'v1', 'namespaces')!,
  daemonsets: findResource('apps', 'v1', 'daemonsets')!,
};

const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

const agentSpec = (): Pod['spec'] => ({
  hostNetwork: true,
  containers: [{ name: 'agent', image: 'agent:1', securityContext: { privileged: true } }],
});
const pod = (name: string, spec: Pod['spec'] = agentSpec(), controller?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team', ...(controller ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: controller, controller: true }] } : {}) },
  spec,
});
const plainPod = (name: string) => pod(name, { containers: [{ name: 'app', image: 'busybox' }] });

const viewWith = (namespace: Namespace, pods: Pod[] = []): ClusterView => ({
  namespace: (name) => (name === namespace.metadata.name ? namespace : undefined),
  priorityClass: () => undefined,
  priorityClasses: () => [],
  pods: () => pods,
});

const createPod = (object: Pod): AdmissionRequest => ({ operation: 'CREATE', resource: resources.pods, namespace: 'team', name: object.metadata.name!, object });

describe('policyToEvaluate()', () => {
  const cases: { name: string; labels?: Record<string, string>; want: string; errors?: string[] }[] = [
    { name: 'no labels: privileged everywhere', want: 'privileged:latest privileged:latest privileged:latest' },
    {
      name: 'levels and versions per mode',
      labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.25', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'latest' },
      want: 'baseline:v1.25 restricted:latest restricted:latest',
    },
    {
      name: 'a bad enforce level fails closed; bad warn and audit levels fail open; a bad version means latest',
      labels: { 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn': 'loud', 'pod-security.kubernetes.io/audit': 'x', 'pod-security.kubernetes.io/warn-version': 'v2.0' },
      want: 'restricted:latest privileged:latest privileged:latest',
      errors: [
        'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
        'metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "x": must be one of privileged, baseline, restricted',
        'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "loud": must be one of privileged, baseline, restricted',
        'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v2.0": must be "latest" or "v1.x"',
      ],
    },
    { name: 'v1.01 is not a version', labels: { 'pod-security.kubernetes.io/enforce-version': 'v1.01' }, want: 'privileged:latest privileged:latest privileged:latest', errors: ['metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "v1.01": must be "latest" or "v1.x"'] },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const { policy, errors } = policyToEvaluate(t.labels);
      assert.equal([policy.enforce, policy.warn, policy.audit].map((lv) => `${lv.level}:${lv.version}`).join(' '), t.want);
      assert.deepEqual(errors.map((e) => `${e.field}: Invalid value: ${JSON.stringify(e.badValue)}: ${e.detail}`), t.errors ?? []);
    });
  }
});

describe('podSecurityPlugin on pods', () => {
  it('enforce refuses with the violations, naming the pod', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline' }));
    assert.throws(
      () => podSecurityPlugin.validate!(createPod(pod('agent-x7k2p')), view),
      (error: unknown) =>
        error instanceof StatusError &&
        error.code === 403 &&
        error.reason === 'Forbidden' &&
        error.message === 'pods "agent-x7k2p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "agent" must not set securityContext.privileged=true)' &&
        error.status.details?.name === 'agent-x7k2p' &&
        error.status.details?.kind === 'pods',
    );
  });

  it('the version label shows in the message as given', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.29' }));
    assert.throws(() => podSecurityPlugin.validate!(createPod(pod('a')), view), /violates PodSecurity "baseline:v1.29": /);
  });

  it('warn returns the would-violate sentence and admits', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/warn': 'restricted' }));
    assert.deepEqual(podSecurityPlugin.validate!(createPod(plainPod('web')), view), [
      'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
  });

  it('no warning on a request that is refused anyway', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' }));
    assert.throws(() => podSecurityPlugin.validate!(createPod(pod('a')), view), /violates PodSecurity "baseline:latest"/);
  });

  it('enforce and warn at once: the allowed pod still hears about the warn level', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' }));
    const warnings = podSecurityPlugin.validate!(createPod(plainPod('web')), view);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  });

  it('an unparsable enforce label enforces restricted', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'strict' }));
    assert.throws(() => podSecurityPlugin.validate!(createPod(plainPod('web')), view), /violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  });

  it('a pinned version evaluates today\'s rules (docs/differences.md#pod-security-admission)', () => {
    // Upstream's restricted:v1.22 has no runAsUser check (it arrived in 1.23); everynode applies 1.32's.
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.22' }));
    const rootPod = pod('root', {
      securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    });
    assert.throws(() => podSecurityPlugin.validate!(createPod(rootPod), view), { message: 'pods "root" is forbidden: violates PodSecurity "restricted:v1.22": runAsUser=0 (pod must not set runAsUser=0)' });
  });

  it('audit violations come back as a warning with the audit annotation, never a refusal (docs/differences.md#pod-security-admission)', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'v1.30' }));
    const warnings = podSecurityPlugin.validate!(createPod(plainPod('web')), view);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^pod-security\.kubernetes\.io\/audit-violations: would violate PodSecurity "restricted:v1\.30": allowPrivilegeEscalation != false/);
    // The same level under warn and audit: one warning, not two.
    const both = viewWith(ns('team', { 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' }));
    assert.equal(podSecurityPlugin.validate!(createPod(plainPod('web')), both).length, 1);
  });

  it('an unlabelled namespace admits anything silently', () => {
    assert.deepEqual(podSecurityPlugin.validate!(createPod(pod('a')), viewWith(ns('team'))), []);
  });

  it('ignores status and binding writes; checks updates only when they matter', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline' }));
    const old = pod('a');
    assert.deepEqual(podSecurityPlugin.validate!({ ...createPod(pod('a')), operation: 'UPDATE', subresource: 'status', oldObject: old }, view), []);
    const relabelled = pod('a');
    relabelled.metadata.labels = { x: 'y' };
    assert.deepEqual(podSecurityPlugin.validate!({ ...createPod(relabelled), operation: 'UPDATE', oldObject: old }, view), []);
    const newImage = pod('a');
    newImage.spec.containers[0].image = 'agent:2';
    assert.throws(() => podSecurityPlugin.validate!({ ...createPod(newImage), operation: 'UPDATE', oldObject: old }, view), /violates PodSecurity/);
  });
});

describe('isSignificantPodUpdate()', () => {
  const base = plainPod('a');
  const cases: { name: string; change: (p: Pod) => void; want: boolean }[] = [
    { name: 'labels only', change: (p) => (p.metadata.labels = { a: 'b' }), want: false },
    { name: 'an image', change: (p) => (p.spec.containers[0].image = 'busybox:2'), want: true },
    { name: 'an init container more', change: (p) => (p.spec.initContainers = [{ name: 'i', image: 'x' }]), want: true },
    { name: 'the pod seccomp annotation', change: (p) => (p.metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }), want: true },
    { name: 'a container seccomp annotation', change: (p) => (p.metadata.annotations = { 'container.seccomp.security.alpha.kubernetes.io/app': 'unconfined' }), want: true },
    { name: 'an ephemeral container added', change: (p) => (p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox' }]), want: true },
    { name: 'tolerations', change: (p) => (p.spec.tolerations = [{ operator: 'Exists' }]), want: false },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const next = structuredClone(base);
      t.change(next);
      assert.equal(isSignificantPodUpdate(next, base), t.want);
    });
  }
});

describe('podSecurityPlugin on workloads', () => {
  const ds = (): DaemonSet => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'team' },
    spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: agentSpec() } },
  });
  const request = (operation: 'CREATE' | 'UPDATE' = 'CREATE'): AdmissionRequest => ({ operation, resource: resources.daemonsets, namespace: 'team', name: 'agent', object: ds() });

  it('never refuses, even when enforce would refuse its pods', () => {
    assert.deepEqual(podSecurityPlugin.validate!(request(), viewWith(ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline' }))), []);
  });
  it('warns about the template at the warn level, on create and update', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/warn': 'baseline' }));
    const want = ['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "agent" must not set securityContext.privileged=true)'];
    assert.deepEqual(podSecurityPlugin.validate!(request(), view), want);
    assert.deepEqual(podSecurityPlugin.validate!(request('UPDATE'), view), want);
  });
  it('ignores the status subresource', () => {
    const view = viewWith(ns('team', { 'pod-security.kubernetes.io/warn': 'baseline' }));
    assert.deepEqual(podSecurityPlugin.validate!({ ...request('UPDATE'), subresource: 'status' }, view), []);
  });
});

describe('podSecurityPlugin on namespaces', () => {
  const create = (namespace: Namespace): AdmissionRequest => ({ operation: 'CREATE', resource: resources.namespaces, name: namespace.metadata.name!, object: namespace });
  const update = (namespace: Namespace, old: Namespace): AdmissionRequest => ({ ...create(namespace), operation: 'UPDATE', oldObject: old });

  it('refuses bad labels on create with 422', () => {
    assert.throws(
      () => podSecurityPlugin.validate!(create(ns('team', { 'pod-security.kubernetes.io/enforce': 'strict' })), viewWith(ns('other'))),
      (error: unknown) =>
        error instanceof StatusError &&
        error.code === 422 &&
        error.message === 'Namespace "team" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
    );
  });

  it('refuses bad labels on update only when they are new', () => {
    const bad = ns('team', { 'pod-security.kubernetes.io/warn': 'loud' });
    assert.throws(() => podSecurityPlugin.validate!(update(bad, ns('team')), viewWith(bad)), /must be one of privileged, baseline, restricted/);
    const stillBad = ns('team', { 'pod-security.kubernetes.io/warn': 'loud', other: 'x' });
    assert.deepEqual(podSecurityPlugin.validate!(update(stillBad, bad), viewWith(bad)), []);
  });

  it('tightening enforce warns about existing pods, grouped by reasons', () => {
    const pods = [pod('agent-b', agentSpec(), 'uid-1'), pod('agent-a', agentSpec(), 'uid-1'), pod('agent-c', agentSpec(), 'uid-1'), plainPod('web'), pod('tool', { containers: [{ name: 't', image: 'x', ports: [{ containerPort: 1, hostPort: 1 }] }] })];
    const next = ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline' });
    assert.deepEqual(podSecurityPlugin.validate!(update(next, ns('team')), viewWith(next, pods)), [
      'existing pods in namespace "team" violate the new PodSecurity enforce level "baseline:latest"',
      'agent-a (and 2 other pods): host namespaces, privileged',
      'tool: hostPort',
    ]);
  });

  it('relaxing enforce, or leaving it, checks nothing', () => {
    const pods = [pod('agent-a')];
    const baseline = ns('team', { 'pod-security.kubernetes.io/enforce': 'baseline' });
    const privileged = ns('team', { 'pod-security.kubernetes.io/enforce': 'privileged' });
    const restricted = ns('team', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    assert.deepEqual(podSecurityPlugin.validate!(update(privileged, baseline), viewWith(privileged, pods)), []);
    assert.deepEqual(podSecurityPlugin.validate!(update(baseline, restricted), viewWith(baseline, pods)), []);
    assert.deepEqual(podSecurityPlugin.validate!(update(baseline, baseline), viewWith(baseline, pods)), []);
  });
});

describe('evaluatePodsInNamespace()', () => {
  it('says "1 other pod" for two pods and nothing for compliant ones', () => {
    assert.deepEqual(evaluatePodsInNamespace([pod('b'), pod('a'), plainPod('c')], 'team', { level: 'baseline', version: 'latest' }), [
      'existing pods in namespace "team" violate the new PodSecurity enforce level "baseline:latest"',
      'a (and 1 other pod): host namespaces, privileged',
    ]);
    assert.deepEqual(evaluatePodsInNamespace([plainPod('c')], 'team', { level: 'baseline', version: 'latest' }), []);
  });
  it('checks at most 3000 pods and says so', () => {
    const many = Array.from({ length: 3001 }, (_, i) => plainPod(`p${i}`));
    assert.deepEqual(evaluatePodsInNamespace(many, 'team', { level: 'baseline', version: 'latest' }), ['new PodSecurity enforce level only checked against the first 3000 of 3001 existing pods']);
  });
});
