/**
 * Admission with the real kubectl: Priority (class names become priorities, unknown classes are
 * refused) and Pod Security (the seed's privileged security agent in a `baseline` namespace fails
 * through FailedCreate until the namespace is relabelled; `warn` prints kubectl's Warning line).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

const seedManifests = join(import.meta.dirname, '../seeds/manifests');

/** The rows of a kubectl table as header → cell maps. */
function table(stdout: string): Record<string, string>[] {
  const [header, ...lines] = stdout.trimEnd().split('\n');
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index! }));
  return lines.map((line) => Object.fromEntries(starts.map((col, i) => [col.name, line.slice(col.at, starts[i + 1]?.at).trim()])));
}

const agentViolations =
  'violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "dockersock"), privileged (container "agent" must not set securityContext.privileged=true)';

describe('admission with kubectl', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab({ nodes: 4, controlPlane: 1, startDelayMs: 50, readyDelayMs: 50 });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=20s']);
  });
  after(async () => {
    await lab?.stop();
  });

  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  describe('Priority', () => {
    it('refuses a pod naming an unknown PriorityClass, as kubectl prints it', async () => {
      const result = await lab.kubectl(['run', 'gold', '--image=nginx', '--overrides={"spec":{"priorityClassName":"gold"}}']);
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), 'Error from server (Forbidden): pods "gold" is forbidden: no PriorityClass with name gold was found');
    });

    it('gives a system-node-critical pod priority 2000001000, in any namespace', async () => {
      await lab.kubectlOk(['create', 'namespace', 'monitoring']);
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'critical', namespace: 'monitoring' }, spec: { priorityClassName: 'system-node-critical', containers: [{ name: 'c', image: 'nginx' }] } };
      assert.equal((await lab.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(pod) })).trim(), 'pod/critical created');
      assert.equal(await lab.kubectlOk(['get', 'pod', 'critical', '-n', 'monitoring', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}']), '2000001000 PreemptLowerPriority');
    });

    it('gives a pod without a class priority 0', async () => {
      await lab.kubectlOk(['run', 'plain', '--image=nginx']);
      assert.equal(await lab.kubectlOk(['get', 'pod', 'plain', '-o', 'jsonpath={.spec.priority}']), '0');
    });
  });

  describe('DefaultTolerationSeconds', () => {
    it('gives a pod five minutes on a failed node, as kubectl describe shows', async () => {
      await lab.kubectlOk(['run', 'patient', '--image=nginx']);
      const described = await lab.kubectlOk(['describe', 'pod', 'patient']);
      assert.match(described, /Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s\n/);
    });
  });

  describe('Pod Security', () => {
    it('the seed security agent in a baseline namespace: FailedCreate "forbidden", DESIRED ahead of CURRENT', async () => {
      await lab.kubectlOk(['create', 'namespace', 'security']);
      await lab.kubectlOk(['label', 'namespace', 'security', 'pod-security.kubernetes.io/enforce=baseline']);
      const applied = await lab.kubectl(['apply', '-f', join(seedManifests, 'security-agent-daemonset.yaml')]);
      assert.equal(applied.code, 0, applied.stderr);
      assert.equal(applied.stdout.trim(), 'daemonset.apps/security-agent created');
      assert.equal(applied.stderr, '', 'enforce alone says nothing about the DaemonSet itself');

      const describe = await until('a FailedCreate event', async () => {
        const out = await lab.kubectlOk(['describe', 'ds', 'security-agent', '-n', 'security']);
        return out.includes('FailedCreate') ? out : undefined;
      });
      const event = describe.split('\n').find((line) => line.includes('FailedCreate'))!;
      assert.match(event, /^\s+Warning\s+FailedCreate\s+\S+\s+daemonset-controller\s+/);
      assert.ok(event.includes(`Error creating: pods "security-agent-`), event);
      assert.ok(event.trimEnd().endsWith(`" is forbidden: ${agentViolations}`), event);

      const [row] = table(await lab.kubectlOk(['get', 'daemonset', '-n', 'security']));
      assert.equal(row.NAME, 'security-agent');
      assert.equal(row.DESIRED, '4');
      assert.equal(row.CURRENT, '0');
      assert.equal(await lab.kubectlOk(['get', 'pods', '-n', 'security', '-o', 'name']), '');
    });

    it('relabelling the namespace privileged lets the controller catch up, without a restart', async () => {
      const relabelled = await lab.kubectl(['label', 'ns', 'security', 'pod-security.kubernetes.io/enforce=privileged', '--overwrite']);
      assert.equal(relabelled.stdout.trim(), 'namespace/security labeled');
      assert.equal(relabelled.stderr, '');
      await lab.kubectlOk(['wait', '--for=jsonpath={.status.currentNumberScheduled}=4', 'ds/security-agent', '-n', 'security', '--timeout=30s']);
      const [row] = table(await lab.kubectlOk(['get', 'daemonset', '-n', 'security']));
      assert.equal(row.DESIRED, '4');
      assert.equal(row.CURRENT, '4');
    });

    it('tightening the namespace again warns about the pods already running', async () => {
      const result = await lab.kubectl(['label', 'ns', 'security', 'pod-security.kubernetes.io/enforce=baseline', '--overwrite']);
      assert.equal(result.code, 0);
      const warnings = result.stderr.trim().split('\n');
      assert.equal(warnings[0], 'Warning: existing pods in namespace "security" violate the new PodSecurity enforce level "baseline:latest"');
      assert.match(warnings[1], /^Warning: security-agent-[a-z0-9]{5} \(and 3 other pods\): host namespaces, hostPath volumes, privileged$/);
    });

    it('a warn=restricted namespace: kubectl run prints the Warning line and creates the pod', async () => {
      await lab.kubectlOk(['create', 'namespace', 'web']);
      await lab.kubectlOk(['label', 'namespace', 'web', 'pod-security.kubernetes.io/warn=restricted']);
      const result = await lab.kubectl(['run', 'nginx', '-n', 'web', '--image=nginx']);
      assert.equal(result.code, 0);
      assert.equal(result.stdout.trim(), 'pod/nginx created');
      assert.equal(
        result.stderr.trim(),
        'Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
      );
    });

    it('a warn=restricted namespace: kubectl apply of a pod prints it too; a compliant pod is quiet', async () => {
      const pod = (name: string, securityContext?: Record<string, unknown>) =>
        JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx', ...(securityContext ? { securityContext } : {}) }] } });
      const loud = await lab.kubectl(['apply', '-f', '-'], { input: pod('loud', { runAsNonRoot: true }) });
      assert.equal(loud.stdout.trim(), 'pod/loud created');
      assert.match(loud.stderr.trim(), /^Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "app" must set securityContext.allowPrivilegeEscalation=false\), unrestricted capabilities/);
      assert.doesNotMatch(loud.stderr, /runAsNonRoot/);
      const quiet = await lab.kubectl(['apply', '-f', '-'], {
        input: pod('quiet', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
      });
      assert.equal(quiet.stdout.trim(), 'pod/quiet created');
      assert.equal(quiet.stderr, '');
    });

    it('enforce refuses a pod kubectl applies, with the violations', async () => {
      await lab.kubectlOk(['label', 'namespace', 'web', 'pod-security.kubernetes.io/enforce=baseline']);
      const agent = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent', namespace: 'web' }, spec: { hostNetwork: true, containers: [{ name: 'agent', image: 'x', securityContext: { privileged: true } }] } };
      const result = await lab.kubectl(['apply', '-f', '-'], { input: JSON.stringify(agent) });
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr.trim(),
        'Error from server (Forbidden): error when creating "STDIN": pods "agent" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "agent" must not set securityContext.privileged=true)',
      );
    });

    it('a misspelt level is refused on the namespace', async () => {
      const result = await lab.kubectl(['label', 'namespace', 'web', 'pod-security.kubernetes.io/enforce=bogus', '--overwrite']);
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), 'The Namespace "web" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bogus": must be one of privileged, baseline, restricted');
    });
  });
});
