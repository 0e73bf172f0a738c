/**
 * The Pod Security Standards as checks over a pod's metadata and spec: the baseline checks, the
 * restricted ones, and how their findings are ordered and joined into the sentence kubectl prints.
 *
 * Upstream: staging/src/k8s.io/pod-security-admission/policy (one `check_<id>.go` per check,
 * `registry.go` for the order, `checks.go` for the joining). Every reason and detail below is the text
 * upstream produces, because users read (and tools match) it; the code is ours.
 *
 * Differs from upstream: every policy version evaluates the rules of Kubernetes 1.32, everynode's
 * version (docs/differences.md#pod-security-admission).
 */

import type { Container, ObjectMeta, PodSpec } from '../../api/types.js';

export type Level = 'privileged' | 'baseline' | 'restricted';

/** What one check found wrong: a short reason, and the specifics for a single object. */
export interface Violation {
  /** Always printed, e.g. `host namespaces`. */
  reason: string;
  /** Printed in parentheses after the reason when checking one object, e.g. `hostNetwork=true`. */
  detail: string;
}

/** The pod-like object a check looks at: a pod, or a workload's pod template. */
export interface PodLike {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

interface Check {
  /** Upstream's check ID; checks run in the byte order of their IDs, baseline ones first. */
  id: string;
  level: 'baseline' | 'restricted';
  /** Baseline checks this restricted check replaces at the restricted level. */
  overrides?: string[];
  run(metadata: ObjectMeta, spec: PodSpec): Violation | undefined;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, key: string): Json | undefined => (isObject(value) && isObject(value[key]) ? value[key] : undefined);
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** `container` or `containers`, by count. */
export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `"a", "b"`: every item quoted, joined with a comma. */
export function joinQuote(items: readonly string[]): string {
  return items.length ? `"${items.join('", "')}"` : '';
}

/** A sorted copy without duplicates (upstream collects these in string sets and lists them sorted). */
function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(byteOrder);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every container of the pod: init containers, then containers, then ephemeral containers. */
function containersOf(spec: PodSpec): Container[] {
  return [...list<Container>(spec.initContainers), ...list<Container>(spec.containers), ...list<Container>(spec.ephemeralContainers)].filter(isObject);
}

const securityContextOf = (container: Container): Json | undefined => (isObject(container.securityContext) ? container.securityContext : undefined);
const podSecurityContextOf = (spec: PodSpec): Json | undefined => (isObject(spec.securityContext) ? spec.securityContext : undefined);
const nameOf = (container: Container): string => String(container.name ?? '');
const isWindowsPod = (spec: PodSpec): boolean => objectAt(spec, 'os')?.name === 'windows';

/** `container "a"` / `containers "a", "b"`. */
function containersPhrase(names: string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

// ------------------------------------------------------------------------------------------------
// Baseline

const allowedAppArmorTypes = new Set(['RuntimeDefault', 'Localhost']);
const appArmorAnnotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';

/** AppArmor may not be switched off: profile types RuntimeDefault or Localhost, in fields and the beta annotations. */
function appArmorProfile(metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const setters: string[] = [];
  const badTypes: string[] = [];
  const podProfile = objectAt(podSecurityContextOf(spec), 'appArmorProfile');
  if (podProfile && !allowedAppArmorTypes.has(String(podProfile.type))) {
    setters.push('pod');
    badTypes.push(String(podProfile.type ?? ''));
  }
  const badContainers: string[] = [];
  for (const container of containersOf(spec)) {
    const profile = objectAt(securityContextOf(container), 'appArmorProfile');
    if (profile && !allowedAppArmorTypes.has(String(profile.type))) {
      badContainers.push(nameOf(container));
      badTypes.push(String(profile.type ?? ''));
    }
  }
  if (badContainers.length) setters.push(containersPhrase(badContainers));
  const badAnnotations = Object.entries(metadata.annotations ?? {})
    .filter(([key, value]) => key.startsWith(appArmorAnnotationPrefix) && !(value === '' || value === 'runtime/default' || value.startsWith('localhost/')))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .sort(byteOrder);
  const badValues = [...sortedSet(badTypes), ...badAnnotations];
  if (badAnnotations.length) setters.push(pluralize('annotation', 'annotations', badAnnotations.length));
  if (!setters.length) return undefined;
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValues.length),
    detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValues)}`,
  };
}

const baselineCapabilities = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/** Capabilities may be added only from the container runtime's default set. */
function capabilitiesBaseline(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const badContainers: string[] = [];
  const added: string[] = [];
  for (const container of containersOf(spec)) {
    const extra = list<string>(objectAt(securityContextOf(container), 'capabilities')?.add).map(String).filter((c) => !baselineCapabilities.has(c));
    if (extra.length) {
      badContainers.push(nameOf(container));
      added.push(...extra);
    }
  }
  if (!badContainers.length) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(badContainers)} must not include ${joinQuote(sortedSet(added))} in securityContext.capabilities.add`,
  };
}

/** No sharing of the node's network, process or IPC namespace. */
function hostNamespaces(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const shared = [
    spec.hostNetwork === true && 'hostNetwork=true',
    spec.hostPID === true && 'hostPID=true',
    spec.hostIPC === true && 'hostIPC=true',
  ].filter((x): x is string => Boolean(x));
  return shared.length ? { reason: 'host namespaces', detail: shared.join(', ') } : undefined;
}

/** No hostPath volumes. */
function hostPathVolumes(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const names = list<Json>(spec.volumes).filter((v) => isObject(v) && isObject(v.hostPath)).map((v) => String(v.name ?? ''));
  return names.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}` } : undefined;
}

/** No host ports. */
function hostPorts(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const badContainers: string[] = [];
  const ports: string[] = [];
  for (const container of containersOf(spec)) {
    const used = list<Json>(container.ports).filter((p) => isObject(p) && typeof p.hostPort === 'number' && p.hostPort !== 0).map((p) => String(p.hostPort));
    if (used.length) {
      badContainers.push(nameOf(container));
      ports.push(...used);
    }
  }
  if (!badContainers.length) return undefined;
  const sorted = sortedSet(ports);
  return {
    reason: 'hostPort',
    detail: `${containersPhrase(badContainers)} ${pluralize('uses', 'use', badContainers.length)} ${pluralize('hostPort', 'hostPorts', sorted.length)} ${sorted.join(', ')}`,
  };
}

/** No privileged containers. */
function privileged(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const names = containersOf(spec).filter((c) => securityContextOf(c)?.privileged === true).map(nameOf);
  return names.length ? { reason: 'privileged', detail: `${containersPhrase(names)} must not set securityContext.privileged=true` } : undefined;
}

/** /proc stays masked: procMount unset or Default. */
function procMount(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const badContainers: string[] = [];
  const types: string[] = [];
  for (const container of containersOf(spec)) {
    const value = securityContextOf(container)?.procMount;
    if (value !== undefined && value !== null && value !== 'Default') {
      badContainers.push(nameOf(container));
      types.push(String(value));
    }
  }
  if (!badContainers.length) return undefined;
  return { reason: 'procMount', detail: `${containersPhrase(badContainers)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}` };
}

const allowedSELinuxTypes = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** SELinux: only the container types; no custom user or role. */
function seLinuxOptions(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const setters: string[] = [];
  const badTypes: string[] = [];
  let setUser = false;
  let setRole = false;
  const valid = (options: Json): boolean => {
    let ok = true;
    const type = typeof options.type === 'string' ? options.type : '';
    if (!allowedSELinuxTypes.has(type)) {
      ok = false;
      badTypes.push(type);
    }
    if (typeof options.user === 'string' && options.user) {
      ok = false;
      setUser = true;
    }
    if (typeof options.role === 'string' && options.role) {
      ok = false;
      setRole = true;
    }
    return ok;
  };
  const podOptions = objectAt(podSecurityContextOf(spec), 'seLinuxOptions');
  if (podOptions && !valid(podOptions)) setters.push('pod');
  const badContainers = containersOf(spec).filter((c) => {
    const options = objectAt(securityContextOf(c), 'seLinuxOptions');
    return options !== undefined && !valid(options);
  });
  if (badContainers.length) setters.push(containersPhrase(badContainers.map(nameOf)));
  if (!setters.length) return undefined;
  const data: string[] = [];
  if (badTypes.length) {
    const types = sortedSet(badTypes);
    data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
  }
  if (setUser) data.push('user may not be set');
  if (setRole) data.push('role may not be set');
  return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
}

const allowedSeccompTypes = new Set(['RuntimeDefault', 'Localhost']);

/**
 * Seccomp as both levels judge explicit settings: which setters chose a type other than RuntimeDefault
 * or Localhost, which types, and (for restricted) the containers left without any profile.
 */
function seccompFindings(spec: PodSpec): { setters: string[]; badTypes: string[]; unset: string[] } {
  const setters: string[] = [];
  const badTypes: string[] = [];
  const podProfile = objectAt(podSecurityContextOf(spec), 'seccompProfile');
  let podSet = false;
  if (podProfile) {
    if (allowedSeccompTypes.has(String(podProfile.type))) podSet = true;
    else {
      setters.push('pod');
      badTypes.push(String(podProfile.type ?? ''));
    }
  }
  const badContainers: string[] = [];
  const unset: string[] = [];
  for (const container of containersOf(spec)) {
    const profile = objectAt(securityContextOf(container), 'seccompProfile');
    if (profile) {
      if (!allowedSeccompTypes.has(String(profile.type))) {
        badContainers.push(nameOf(container));
        badTypes.push(String(profile.type ?? ''));
      }
    } else if (!podSet) {
      unset.push(nameOf(container));
    }
  }
  if (badContainers.length) setters.push(containersPhrase(badContainers));
  return { setters, badTypes: sortedSet(badTypes), unset };
}

function seccompSettersViolation(setters: string[], badTypes: string[]): Violation {
  return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(badTypes)}` };
}

/** Seccomp may be left unset, but not set to anything but RuntimeDefault or Localhost. */
function seccompProfileBaseline(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const { setters, badTypes } = seccompFindings(spec);
  return setters.length ? seccompSettersViolation(setters, badTypes) : undefined;
}

/** The sysctls upstream considers namespaced and isolated (as of policy version 1.32). */
const allowedSysctls = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

/** Only the safe sysctls. */
function sysctls(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const names = list<Json>(podSecurityContextOf(spec)?.sysctls).filter(isObject).map((s) => String(s.name ?? '')).filter((name) => !allowedSysctls.has(name));
  return names.length ? { reason: 'forbidden sysctls', detail: names.join(', ') } : undefined;
}

/** No Windows HostProcess containers. */
function windowsHostProcess(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const setters: string[] = [];
  if (objectAt(podSecurityContextOf(spec), 'windowsOptions')?.hostProcess === true) setters.push('pod');
  const names = containersOf(spec).filter((c) => objectAt(securityContextOf(c), 'windowsOptions')?.hostProcess === true).map(nameOf);
  if (names.length) setters.push(containersPhrase(names));
  return setters.length ? { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
}

// ------------------------------------------------------------------------------------------------
// Restricted

/** allowPrivilegeEscalation must be explicitly false (Windows pods are exempt). */
function allowPrivilegeEscalation(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  if (isWindowsPod(spec)) return undefined;
  const names = containersOf(spec).filter((c) => securityContextOf(c)?.allowPrivilegeEscalation !== false).map(nameOf);
  return names.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(names)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
}

/** Every container drops ALL and adds nothing but NET_BIND_SERVICE (Windows pods are exempt). */
function capabilitiesRestricted(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  if (isWindowsPod(spec)) return undefined;
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden: string[] = [];
  for (const container of containersOf(spec)) {
    const capabilities = objectAt(securityContextOf(container), 'capabilities');
    if (!capabilities) {
      missingDropAll.push(nameOf(container));
      continue;
    }
    if (!list<string>(capabilities.drop).includes('ALL')) missingDropAll.push(nameOf(container));
    const extra = list<string>(capabilities.add).map(String).filter((c) => c !== 'NET_BIND_SERVICE');
    if (extra.length) {
      addingForbidden.push(nameOf(container));
      forbidden.push(...extra);
    }
  }
  const details: string[] = [];
  if (missingDropAll.length) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length) details.push(`${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
}

/**
 * Volume sources the restricted level accepts; everything else is reported by its type. (Image volumes
 * joined this list in 1.33; at 1.32 they are reported as "unknown".)
 */
const allowedVolumeSources = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
/** The restricted volume sources, in the order upstream tests them; each is reported by its field name. */
const restrictedVolumeSources = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

/** Only volume types that do not reach the node or external storage directly. */
function restrictedVolumes(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const badVolumes: string[] = [];
  const badTypes: string[] = [];
  for (const volume of list<Json>(spec.volumes).filter(isObject)) {
    if (allowedVolumeSources.some((source) => isObject(volume[source]))) continue;
    badVolumes.push(String(volume.name ?? ''));
    badTypes.push(restrictedVolumeSources.find((field) => isObject(volume[field])) ?? 'unknown');
  }
  if (!badVolumes.length) return undefined;
  const types = sortedSet(badTypes);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', badVolumes.length)} ${joinQuote(badVolumes)} ${pluralize('uses', 'use', badVolumes.length)} ${pluralize('restricted volume type', 'restricted volume types', types.length)} ${joinQuote(types)}`,
  };
}

/** runAsNonRoot=true, on the pod or on every container, and false nowhere. */
function runAsNonRoot(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const setters: string[] = [];
  const podValue = podSecurityContextOf(spec)?.runAsNonRoot;
  if (podValue === false) setters.push('pod');
  const podNonRoot = podValue === true;
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  for (const container of containersOf(spec)) {
    const value = securityContextOf(container)?.runAsNonRoot;
    if (typeof value === 'boolean') {
      if (!value) explicitlyBad.push(nameOf(container));
    } else if (!podNonRoot) {
      implicitlyBad.push(nameOf(container));
    }
  }
  if (explicitlyBad.length) setters.push(containersPhrase(explicitlyBad));
  if (setters.length) return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  if (implicitlyBad.length) return { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true` };
  return undefined;
}

/** No explicit runAsUser 0. */
function runAsUser(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const setters: string[] = [];
  if (podSecurityContextOf(spec)?.runAsUser === 0) setters.push('pod');
  const names = containersOf(spec).filter((c) => securityContextOf(c)?.runAsUser === 0).map(nameOf);
  if (names.length) setters.push(containersPhrase(names));
  return setters.length ? { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` } : undefined;
}

/** Seccomp must be RuntimeDefault or Localhost for every container (Windows pods are exempt). */
function seccompProfileRestricted(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  if (isWindowsPod(spec)) return undefined;
  const { setters, badTypes, unset } = seccompFindings(spec);
  if (setters.length) return seccompSettersViolation(setters, badTypes);
  if (unset.length) return { reason: 'seccompProfile', detail: `pod or ${containersPhrase(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Evaluation

const checks: Check[] = [
  { id: 'appArmorProfile', level: 'baseline', run: appArmorProfile },
  { id: 'capabilities_baseline', level: 'baseline', run: capabilitiesBaseline },
  { id: 'hostNamespaces', level: 'baseline', run: hostNamespaces },
  { id: 'hostPathVolumes', level: 'baseline', run: hostPathVolumes },
  { id: 'hostPorts', level: 'baseline', run: hostPorts },
  { id: 'privileged', level: 'baseline', run: privileged },
  { id: 'procMount', level: 'baseline', run: procMount },
  { id: 'seLinuxOptions', level: 'baseline', run: seLinuxOptions },
  { id: 'seccompProfile_baseline', level: 'baseline', run: seccompProfileBaseline },
  { id: 'sysctls', level: 'baseline', run: sysctls },
  { id: 'windowsHostProcess', level: 'baseline', run: windowsHostProcess },
  { id: 'allowPrivilegeEscalation', level: 'restricted', run: allowPrivilegeEscalation },
  { id: 'capabilities_restricted', level: 'restricted', overrides: ['capabilities_baseline'], run: capabilitiesRestricted },
  { id: 'restrictedVolumes', level: 'restricted', overrides: ['hostPathVolumes'], run: restrictedVolumes },
  { id: 'runAsNonRoot', level: 'restricted', run: runAsNonRoot },
  { id: 'runAsUser', level: 'restricted', run: runAsUser },
  { id: 'seccompProfile_restricted', level: 'restricted', overrides: ['seccompProfile_baseline'], run: seccompProfileRestricted },
];

/**
 * The checks of each level, in upstream's order: baseline IDs in byte order, then restricted IDs in
 * byte order; the restricted level drops the baseline checks that a restricted check overrides.
 */
const checksByLevel: Record<'baseline' | 'restricted', Check[]> = (() => {
  const ordered = [...checks].sort((a, b) => (a.level === b.level ? byteOrder(a.id, b.id) : a.level === 'baseline' ? -1 : 1));
  const overridden = new Set(checks.flatMap((c) => c.overrides ?? []));
  return {
    baseline: ordered.filter((c) => c.level === 'baseline'),
    restricted: ordered.filter((c) => !overridden.has(c.id)),
  };
})();

/** The IDs of the checks a level runs, in order (for tests and documentation). */
export function checkIds(level: Level): string[] {
  return level === 'privileged' ? [] : checksByLevel[level].map((c) => c.id);
}

/** Every violation of the level's standard, in upstream's order; empty when the pod complies. */
export function evaluatePod(level: Level, pod: PodLike): Violation[] {
  if (level === 'privileged') return [];
  const metadata = pod.metadata ?? {};
  const spec = pod.spec ?? ({ containers: [] } as PodSpec);
  return checksByLevel[level].map((check) => check.run(metadata, spec)).filter((v): v is Violation => v !== undefined);
}

/** `host namespaces (hostNetwork=true), privileged (container "a" must not …)`: what one object did wrong. */
export function forbiddenDetail(violations: readonly Violation[]): string {
  return violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}

/** `host namespaces, privileged`: the reasons only, as used when summing up many pods. */
export function forbiddenReason(violations: readonly Violation[]): string {
  return violations.map((v) => v.reason).join(', ');
}
