import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, PodSpec } from '../../api/types.js';
import { checkIds, evaluatePod, forbiddenDetail, forbiddenReason, joinQuote, pluralize, type Level, type PodLike } from './pod-security-checks.js';

const c = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox', ...extra });
const sc = (name: string, securityContext: Record<string, unknown>): Container => c(name, { securityContext });
const spec = (fields: Partial<PodSpec>): PodLike => ({ metadata: {}, spec: { containers: [c('a')], ...fields } });

/** A pod that passes restricted: what every restricted case starts from. */
const compliant: Record<string, unknown> = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};
const restrictedPod = (containers: Container[], fields: Partial<PodSpec> = {}): PodLike => ({ metadata: {}, spec: { containers, ...fields } });
const ok = (name: string, extra: Record<string, unknown> = {}): Container => sc(name, { ...compliant, ...extra });

interface Case {
  name: string;
  level: Level;
  pod: PodLike;
  /** The expected `reason (detail)` list, or [] when the pod complies. */
  want: string[];
}

const cases: Case[] = [
  // ---- baseline: one check at a time
  { name: 'nothing set passes baseline', level: 'baseline', pod: spec({}), want: [] },
  { name: 'privileged: one container', level: 'baseline', pod: spec({ containers: [sc('a', { privileged: true })] }), want: ['privileged (container "a" must not set securityContext.privileged=true)'] },
  {
    name: 'privileged: init and regular containers, in visiting order',
    level: 'baseline',
    pod: spec({ initContainers: [sc('init', { privileged: true })], containers: [sc('a', { privileged: false }), sc('b', { privileged: true })] }),
    want: ['privileged (containers "init", "b" must not set securityContext.privileged=true)'],
  },
  { name: 'host namespaces in network, PID, IPC order', level: 'baseline', pod: spec({ hostIPC: true, hostPID: true, hostNetwork: true }), want: ['host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)'] },
  { name: 'hostNetwork=false is fine', level: 'baseline', pod: spec({ hostNetwork: false }), want: [] },
  { name: 'hostPath volume', level: 'baseline', pod: spec({ volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] }), want: ['hostPath volumes (volume "sock")'] },
  {
    name: 'hostPath volumes, plural, among allowed ones',
    level: 'baseline',
    pod: spec({ volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }, { name: 'tmp', emptyDir: {} }, { name: 'dev', hostPath: { path: '/dev' } }] }),
    want: ['hostPath volumes (volumes "logs", "dev")'],
  },
  { name: 'hostPort', level: 'baseline', pod: spec({ containers: [c('a', { ports: [{ containerPort: 80, hostPort: 80 }] })] }), want: ['hostPort (container "a" uses hostPort 80)'] },
  {
    name: 'hostPorts: plural containers and ports, ports sorted as strings',
    level: 'baseline',
    pod: spec({ containers: [c('a', { ports: [{ containerPort: 9100, hostPort: 9100 }, { containerPort: 1, hostPort: 10000 }] }), c('b', { ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 81 }] })] }),
    want: ['hostPort (containers "a", "b" use hostPorts 10000, 80, 9100)'],
  },
  { name: 'hostPort 0 is no host port', level: 'baseline', pod: spec({ containers: [c('a', { ports: [{ containerPort: 80, hostPort: 0 }] })] }), want: [] },
  {
    name: 'capabilities beyond the default set',
    level: 'baseline',
    pod: spec({ containers: [sc('a', { capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'NET_RAW'] } }), sc('b', { capabilities: { add: ['NET_RAW'] } })] }),
    want: ['non-default capabilities (containers "a", "b" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)'],
  },
  { name: 'capabilities from the default set are fine', level: 'baseline', pod: spec({ containers: [sc('a', { capabilities: { add: ['NET_BIND_SERVICE', 'KILL'] } })] }), want: [] },
  { name: 'procMount Unmasked', level: 'baseline', pod: spec({ containers: [sc('a', { procMount: 'Unmasked' })] }), want: ['procMount (container "a" must not set securityContext.procMount to "Unmasked")'] },
  { name: 'procMount Default is fine', level: 'baseline', pod: spec({ containers: [sc('a', { procMount: 'Default' })] }), want: [] },
  {
    name: 'seccomp Unconfined on pod and container',
    level: 'baseline',
    pod: spec({ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [sc('a', { seccompProfile: { type: 'Unconfined' } })] }),
    want: ['seccompProfile (pod and container "a" must not set securityContext.seccompProfile.type to "Unconfined")'],
  },
  { name: 'seccomp unset is fine at baseline', level: 'baseline', pod: spec({ containers: [sc('a', { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } })] }), want: [] },
  {
    name: 'sysctls outside the safe set, in spec order',
    level: 'baseline',
    pod: spec({ securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1' }, { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }, { name: 'kernel.msgmax', value: '1' }] } }),
    want: ['forbidden sysctls (net.core.somaxconn, kernel.msgmax)'],
  },
  {
    name: 'AppArmor: field on pod, container, and an annotation',
    level: 'baseline',
    pod: {
      metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default' } },
      spec: { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [sc('a', { appArmorProfile: { type: 'Unconfined' } })] },
    },
    want: ['forbidden AppArmor profiles (pod and container "a" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined"")'],
  },
  { name: 'AppArmor Localhost is fine', level: 'baseline', pod: spec({ containers: [sc('a', { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })] }), want: [] },
  {
    name: 'SELinux: custom type, user and role',
    level: 'baseline',
    pod: spec({ securityContext: { seLinuxOptions: { type: 'spc_t', user: 'u' } }, containers: [sc('a', { seLinuxOptions: { role: 'r', type: 'container_t' } })] }),
    want: ['seLinuxOptions (pod and container "a" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set)'],
  },
  {
    name: 'SELinux: a user or role alone is named',
    level: 'baseline',
    pod: spec({ containers: [sc('a', { seLinuxOptions: { user: 'u' } }), sc('b', { seLinuxOptions: { role: 'r' } })] }),
    want: ['seLinuxOptions (containers "a", "b" set forbidden securityContext.seLinuxOptions: user may not be set; role may not be set)'],
  },
  { name: 'SELinux container_engine_t is fine', level: 'baseline', pod: spec({ containers: [sc('a', { seLinuxOptions: { type: 'container_engine_t', level: 's0' } })] }), want: [] },
  {
    name: 'Windows HostProcess',
    level: 'baseline',
    pod: spec({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [sc('a', { windowsOptions: { hostProcess: true } })] }),
    want: ['hostProcess (pod and container "a" must not set securityContext.windowsOptions.hostProcess=true)'],
  },

  // ---- the seed's privileged security agent: several checks, joined in check-ID order
  {
    name: 'the seed security agent at baseline',
    level: 'baseline',
    pod: spec({
      hostNetwork: true,
      hostPID: true,
      containers: [c('agent', { securityContext: { privileged: true }, volumeMounts: [{ name: 'dockersock', mountPath: '/var/run/docker.sock' }] })],
      volumes: [{ name: 'dockersock', hostPath: { path: '/var/run/docker.sock' } }],
    }),
    want: [
      'host namespaces (hostNetwork=true, hostPID=true)',
      'hostPath volumes (volume "dockersock")',
      'privileged (container "agent" must not set securityContext.privileged=true)',
    ],
  },
  { name: 'privileged level checks nothing', level: 'privileged', pod: spec({ hostNetwork: true, containers: [sc('a', { privileged: true })] }), want: [] },

  // ---- restricted
  { name: 'a compliant pod passes restricted', level: 'restricted', pod: restrictedPod([ok('a')]), want: [] },
  {
    name: 'a bare pod fails restricted four ways',
    level: 'restricted',
    pod: restrictedPod([c('nginx')]),
    want: [
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false)',
      'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"])',
      'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true)',
      'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ],
  },
  { name: 'pod-level runAsNonRoot and seccomp cover the containers', level: 'restricted', pod: restrictedPod([sc('a', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })], { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }), want: [] },
  {
    name: 'runAsNonRoot=false on pod and a container',
    level: 'restricted',
    pod: restrictedPod([ok('a', { runAsNonRoot: false }), ok('b')], { securityContext: { runAsNonRoot: false } }),
    want: ['runAsNonRoot != true (pod and container "a" must not set securityContext.runAsNonRoot=false)'],
  },
  {
    name: 'runAsUser=0',
    level: 'restricted',
    pod: restrictedPod([ok('a', { runAsUser: 0 }), ok('b', { runAsUser: 1000 })], { securityContext: { runAsUser: 0 } }),
    want: ['runAsUser=0 (pod and container "a" must not set runAsUser=0)'],
  },
  {
    name: 'capabilities: missing drop ALL and forbidden adds',
    level: 'restricted',
    pod: restrictedPod([ok('a', { capabilities: { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE', 'SYS_TIME', 'CHOWN'] } }), ok('b', { capabilities: { drop: ['ALL'], add: ['CHOWN'] } })]),
    want: ['unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b" must not include "CHOWN", "SYS_TIME" in securityContext.capabilities.add)'],
  },
  {
    name: 'restricted volume types replace the hostPath check',
    level: 'restricted',
    pod: restrictedPod([ok('a')], { volumes: [{ name: 'sock', hostPath: { path: '/s' } }, { name: 'cfg', configMap: { name: 'x' } }, { name: 'share', nfs: { server: 's', path: '/' } }, { name: 'data', persistentVolumeClaim: { claimName: 'd' } }] }),
    want: ['restricted volume types (volumes "sock", "share" use restricted volume types "hostPath", "nfs")'],
  },
  { name: 'one restricted volume', level: 'restricted', pod: restrictedPod([ok('a')], { volumes: [{ name: 'repo', gitRepo: { repository: 'r' } }] }), want: ['restricted volume types (volume "repo" uses restricted volume type "gitRepo")'] },
  {
    name: 'allowPrivilegeEscalation unset or true',
    level: 'restricted',
    pod: restrictedPod([ok('a', { allowPrivilegeEscalation: true }), ok('b', { allowPrivilegeEscalation: undefined }), ok('c')]),
    want: ['allowPrivilegeEscalation != false (containers "a", "b" must set securityContext.allowPrivilegeEscalation=false)'],
  },
  {
    name: 'seccomp explicitly Unconfined is reported before unset containers',
    level: 'restricted',
    pod: restrictedPod([ok('a', { seccompProfile: { type: 'Unconfined' } }), ok('b', { seccompProfile: undefined })]),
    want: ['seccompProfile (container "a" must not set securityContext.seccompProfile.type to "Unconfined")'],
  },
  {
    name: 'Windows pods skip the Linux-only restricted checks',
    level: 'restricted',
    pod: restrictedPod([sc('a', { runAsNonRoot: true })], { os: { name: 'windows' } }),
    want: [],
  },
  {
    name: 'restricted reports baseline findings first, then restricted ones',
    level: 'restricted',
    pod: restrictedPod([ok('a', { privileged: true, allowPrivilegeEscalation: true })], { hostNetwork: true, volumes: [{ name: 'v', hostPath: { path: '/' } }] }),
    want: [
      'host namespaces (hostNetwork=true)',
      'privileged (container "a" must not set securityContext.privileged=true)',
      'allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false)',
      'restricted volume types (volume "v" uses restricted volume type "hostPath")',
    ],
  },
];

describe('evaluatePod()', () => {
  for (const t of cases) {
    it(t.name, () => {
      assert.deepEqual(
        evaluatePod(t.level, t.pod).map((v) => forbiddenDetail([v])),
        t.want,
      );
    });
  }
});

describe('forbiddenDetail() and forbiddenReason()', () => {
  const violations = [
    { reason: 'host namespaces', detail: 'hostNetwork=true' },
    { reason: 'unknown', detail: '' },
    { reason: 'privileged', detail: 'container "a" must not set securityContext.privileged=true' },
  ];
  it('joins reasons with their details in parentheses, comma separated; an empty detail is left out', () => {
    assert.equal(forbiddenDetail(violations), 'host namespaces (hostNetwork=true), unknown, privileged (container "a" must not set securityContext.privileged=true)');
  });
  it('joins the reasons alone', () => {
    assert.equal(forbiddenReason(violations), 'host namespaces, unknown, privileged');
  });
});

describe('helpers', () => {
  it('joinQuote() quotes each item', () => {
    assert.equal(joinQuote([]), '');
    assert.equal(joinQuote(['a']), '"a"');
    assert.equal(joinQuote(['a', 'b']), '"a", "b"');
  });
  it('pluralize() picks by count', () => {
    assert.equal(pluralize('volume', 'volumes', 1), 'volume');
    assert.equal(pluralize('volume', 'volumes', 2), 'volumes');
  });
});

describe('checkIds()', () => {
  it('baseline runs the baseline checks in ID byte order', () => {
    assert.deepEqual(checkIds('baseline'), [
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
    ]);
  });
  it('restricted drops the overridden baseline checks and appends its own', () => {
    assert.deepEqual(checkIds('restricted'), [
      'appArmorProfile', 'hostNamespaces', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
      'allowPrivilegeEscalation', 'capabilities_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
    ]);
  });
  it('privileged runs none', () => assert.deepEqual(checkIds('privileged'), []));
});
