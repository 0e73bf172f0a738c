import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { invalid } from '../errors.js';
import type { KubeObject } from '../types.js';
import { daemonSetRules } from './daemonset.js';
import { hasRulesFor, noRules, rulesFor } from './index.js';
import { podRules } from './pod.js';

describe('rulesFor()', () => {
  const cases: { name: string; group: string; kind: string; known: boolean }[] = [
    { name: 'core Pods', group: '', kind: 'Pod', known: true },
    { name: 'core Nodes', group: '', kind: 'Node', known: true },
    { name: 'core Namespaces', group: '', kind: 'Namespace', known: true },
    { name: 'core Events', group: '', kind: 'Event', known: true },
    { name: 'core ConfigMaps', group: '', kind: 'ConfigMap', known: true },
    { name: 'core Secrets', group: '', kind: 'Secret', known: true },
    { name: 'core ServiceAccounts', group: '', kind: 'ServiceAccount', known: true },
    { name: 'apps DaemonSets', group: 'apps', kind: 'DaemonSet', known: true },
    { name: 'apps ControllerRevisions', group: 'apps', kind: 'ControllerRevision', known: true },
    { name: 'Leases', group: 'coordination.k8s.io', kind: 'Lease', known: true },
    { name: 'PriorityClasses', group: 'scheduling.k8s.io', kind: 'PriorityClass', known: true },
    { name: 'PodDisruptionBudgets', group: 'policy', kind: 'PodDisruptionBudget', known: true },
    { name: 'a kind in the wrong group', group: 'extensions', kind: 'DaemonSet', known: false },
    { name: 'an unknown kind', group: 'example.com', kind: 'Widget', known: false },
  ];
  for (const c of cases) {
    it(`${c.known ? 'finds' : 'has no'} rules for ${c.name}`, () => {
      assert.equal(hasRulesFor(c.group, c.kind), c.known);
      assert.equal(rulesFor(c.group, c.kind) === noRules, !c.known);
    });
  }

  it('routes to the kind files', () => {
    assert.equal(rulesFor('apps', 'DaemonSet'), daemonSetRules);
    assert.equal(rulesFor('', 'Pod'), podRules);
  });

  it('gives unknown kinds rules that change and reject nothing', () => {
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: -1 } };
    const before = structuredClone(widget);
    const rules = rulesFor('example.com', 'Widget');
    rules.applyDefaults(widget);
    assert.deepEqual(widget, before);
    assert.deepEqual([rules.validateCreate(widget), rules.validateUpdate(widget, before)], [[], []]);
  });

  it('produces errors kubectl prints as upstream does', () => {
    const rules = rulesFor('apps', 'DaemonSet');
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'invalid-ds', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } },
    };
    rules.applyDefaults(ds);
    const status = invalid('DaemonSet', 'apps', 'invalid-ds', rules.validateCreate(ds)).status;
    assert.equal(
      status.message,
      'DaemonSet.apps "invalid-ds" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
    );
    assert.deepEqual(status.details?.causes, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
        field: 'spec.template.metadata.labels',
      },
    ]);
  });
});
