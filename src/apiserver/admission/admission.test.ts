/**
 * Admission over HTTP: the status codes, Status bodies and Warning headers clients see.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../../store/index.js';
import { request } from '../../testing/http.js';
import { ApiServer } from '../server.js';

const psa = (mode: string) => `pod-security.kubernetes.io/${mode}`;

const agentPod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    hostNetwork: true,
    hostPID: true,
    containers: [{ name: 'agent', image: 'security-vendor/agent:latest', securityContext: { privileged: true }, volumeMounts: [{ name: 'dockersock', mountPath: '/var/run/docker.sock' }] }],
    volumes: [{ name: 'dockersock', hostPath: { path: '/var/run/docker.sock' } }],
    ...extra,
  },
});
const plainPod = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: name, image: 'nginx' }], ...spec } });

/** The text of each `Warning: 299 - "..."` header. */
function warningsOf(headers: Headers): string[] {
  const raw = headers.get('warning');
  if (!raw) return [];
  return [...raw.matchAll(/299 - ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
}

describe('admission over HTTP', () => {
  let server: ApiServer;
  let base: string;
  const call = (method: string, path: string, body?: unknown, contentType?: string) => request(base, method, path, body, contentType);
  const namespace = (name: string, labels: Record<string, string>) => call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

  before(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    const { port } = await server.listen(0);
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.close();
  });

  describe('Priority', () => {
    it('fills priority and preemptionPolicy from a built-in class in any namespace', async () => {
      await namespace('prio', {});
      const res = await call('POST', '/api/v1/namespaces/prio/pods', plainPod('critical', { priorityClassName: 'system-node-critical' }));
      assert.equal(res.status, 201);
      assert.equal(res.json.spec.priority, 2000001000);
      assert.equal(res.json.spec.preemptionPolicy, 'PreemptLowerPriority');
    });

    it('gives a pod without class priority 0', async () => {
      const res = await call('POST', '/api/v1/namespaces/prio/pods', plainPod('ordinary'));
      assert.equal(res.status, 201);
      assert.equal(res.json.spec.priority, 0);
      assert.equal(res.json.spec.priorityClassName, undefined);
    });

    it('refuses an unknown class with 403 Forbidden', async () => {
      const res = await call('POST', '/api/v1/namespaces/prio/pods', plainPod('gold', { priorityClassName: 'gold' }));
      assert.equal(res.status, 403);
      assert.deepEqual(res.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'pods "gold" is forbidden: no PriorityClass with name gold was found',
        reason: 'Forbidden',
        details: { name: 'gold', kind: 'pods' },
        code: 403,
      });
    });

    it('refuses a second global default, and uses the first one for pods without class', async () => {
      const pc = (name: string) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 1000, globalDefault: true });
      assert.equal((await call('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', pc('everyday'))).status, 201);
      const second = await call('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', pc('another'));
      assert.equal(second.status, 403);
      assert.equal(second.json.message, 'priorityclasses.scheduling.k8s.io "another" is forbidden: PriorityClass everyday is already marked as default. Only one default can exist');
      const res = await call('POST', '/api/v1/namespaces/prio/pods', plainPod('defaulted'));
      assert.equal(res.json.spec.priority, 1000);
      assert.equal(res.json.spec.priorityClassName, 'everyday');
      assert.equal((await call('DELETE', '/apis/scheduling.k8s.io/v1/priorityclasses/everyday')).status, 200);
    });

    it('refuses a user class above 1000000000 with 422', async () => {
      const res = await call('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'too-high' }, value: 1000000001 });
      assert.equal(res.status, 422);
      assert.equal(res.json.message, 'PriorityClass.scheduling.k8s.io "too-high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    });

    it('keeps the priority through a pod PUT that leaves it out', async () => {
      const current = (await call('GET', '/api/v1/namespaces/prio/pods/critical')).json;
      delete current.spec.priority;
      delete current.spec.preemptionPolicy;
      current.metadata.labels = { touched: 'yes' };
      const res = await call('PUT', '/api/v1/namespaces/prio/pods/critical', current);
      assert.equal(res.status, 200);
      assert.equal(res.json.spec.priority, 2000001000);
    });
  });

  describe('PodSecurity', () => {
    it('enforce=baseline refuses the privileged agent with 403 and upstream\'s message', async () => {
      await namespace('security', { [psa('enforce')]: 'baseline' });
      const res = await call('POST', '/api/v1/namespaces/security/pods', agentPod('agent'));
      assert.equal(res.status, 403);
      assert.equal(res.json.reason, 'Forbidden');
      assert.deepEqual(res.json.details, { name: 'agent', kind: 'pods' });
      assert.equal(
        res.json.message,
        'pods "agent" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "dockersock"), privileged (container "agent" must not set securityContext.privileged=true)',
      );
    });

    it('a generated name appears in the refusal', async () => {
      const body = { ...agentPod(''), metadata: { generateName: 'agent-' } };
      const res = await call('POST', '/api/v1/namespaces/security/pods', body);
      assert.equal(res.status, 403);
      assert.match(res.json.message, /^pods "agent-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:latest": /);
    });

    it('a dry run is refused the same way', async () => {
      const res = await call('POST', '/api/v1/namespaces/security/pods?dryRun=All', agentPod('agent'));
      assert.equal(res.status, 403);
    });

    it('a DaemonSet of that agent is admitted without a word: only its pods are refused', async () => {
      const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'security-agent' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: agentPod('x').spec } } };
      const res = await call('POST', '/apis/apps/v1/namespaces/security/daemonsets', ds);
      assert.equal(res.status, 201);
      assert.deepEqual(warningsOf(res.headers), []);
    });

    it('warn=restricted: the pod is created with a Warning header', async () => {
      await namespace('warned', { [psa('warn')]: 'restricted' });
      const res = await call('POST', '/api/v1/namespaces/warned/pods', plainPod('web'));
      assert.equal(res.status, 201);
      assert.deepEqual(warningsOf(res.headers), [
        'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
      ]);
    });

    it('warn applies to a DaemonSet\'s template too', async () => {
      const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: agentPod('x').spec } } };
      const res = await call('POST', '/apis/apps/v1/namespaces/warned/daemonsets', ds);
      assert.equal(res.status, 201);
      assert.equal(warningsOf(res.headers).length, 1);
      assert.match(warningsOf(res.headers)[0], /^would violate PodSecurity "restricted:latest": host namespaces \(hostNetwork=true, hostPID=true\), privileged \(container "agent" must not set securityContext.privileged=true\), allowPrivilegeEscalation != false/);
    });

    it('a namespace with a bad label is refused with 422', async () => {
      const res = await namespace('broken', { [psa('enforce')]: 'strict' });
      assert.equal(res.status, 422);
      assert.equal(res.json.message, 'Namespace "broken" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
      assert.deepEqual(res.json.details.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "strict": must be one of privileged, baseline, restricted', field: 'metadata.labels[pod-security.kubernetes.io/enforce]' }]);
    });

    it('tightening a namespace warns about its pods; relaxing it lets them in', async () => {
      await namespace('loose', {});
      assert.equal((await call('POST', '/api/v1/namespaces/loose/pods', agentPod('agent'))).status, 201);
      const tightened = await call('PATCH', '/api/v1/namespaces/loose', { metadata: { labels: { [psa('enforce')]: 'baseline' } } }, 'application/merge-patch+json');
      assert.equal(tightened.status, 200);
      assert.deepEqual(warningsOf(tightened.headers), [
        'existing pods in namespace "loose" violate the new PodSecurity enforce level "baseline:latest"',
        'agent: host namespaces, hostPath volumes, privileged',
      ]);
      assert.equal((await call('POST', '/api/v1/namespaces/loose/pods', agentPod('agent-2'))).status, 403);
      const relaxed = await call('PATCH', '/api/v1/namespaces/loose', { metadata: { labels: { [psa('enforce')]: 'privileged' } } }, 'application/merge-patch+json');
      assert.deepEqual(warningsOf(relaxed.headers), []);
      assert.equal((await call('POST', '/api/v1/namespaces/loose/pods', agentPod('agent-2'))).status, 201);
    });

    it('a pod image change is checked again; a label change is not', async () => {
      await call('PATCH', '/api/v1/namespaces/loose', { metadata: { labels: { [psa('enforce')]: 'baseline' } } }, 'application/merge-patch+json');
      const labelled = await call('PATCH', '/api/v1/namespaces/loose/pods/agent', { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
      assert.equal(labelled.status, 200);
      const image = await call('PATCH', '/api/v1/namespaces/loose/pods/agent', { spec: { containers: [{ name: 'agent', image: 'security-vendor/agent:2' }] } }, 'application/strategic-merge-patch+json');
      assert.equal(image.status, 403);
      assert.match(image.json.message, /^pods "agent" is forbidden: violates PodSecurity "baseline:latest": host namespaces/);
    });
  });
});
