import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds, goTypeOf, resourceKinds, schemaForKind, schemaForName, type ObjectNode } from './index.js';
import { forEachNamedType } from './kinds.js';

const served = [
  ['', 'Namespace'],
  ['', 'Node'],
  ['', 'Pod'],
  ['', 'Event'],
  ['', 'ConfigMap'],
  ['', 'Secret'],
  ['', 'ServiceAccount'],
  ['', 'Binding'],
  ['', 'Status'],
  ['', 'DeleteOptions'],
  ['policy', 'Eviction'],
  ['policy', 'PodDisruptionBudget'],
  ['apps', 'DaemonSet'],
  ['apps', 'ControllerRevision'],
  ['coordination.k8s.io', 'Lease'],
  ['scheduling.k8s.io', 'PriorityClass'],
] as const;

describe('schemaForKind()', () => {
  for (const [group, kind] of served) {
    it(`finds ${group || 'core'}/v1 ${kind} with its GVK`, () => {
      const schema = schemaForKind({ group, version: 'v1', kind });
      assert.ok(schema, kind);
      assert.ok(schema.gvk?.some((g) => g.group === group && g.version === 'v1' && g.kind === kind));
    });
  }

  it('finds the List of every resource kind', () => {
    for (const kind of resourceKinds) {
      const gvk = kind.gvk![0]!;
      const list = schemaForKind({ ...gvk, kind: `${gvk.kind}List` });
      assert.equal(list?.name, `${kind.name}List`);
      assert.deepEqual(list?.required, ['items']);
    }
  });

  it('returns undefined for kinds not served', () => {
    assert.equal(schemaForKind({ group: 'apps', version: 'v1', kind: 'Deployment' }), undefined);
    assert.equal(schemaForKind({ group: '', version: 'v2', kind: 'Pod' }), undefined);
  });

  it('gives DaemonSetSpec the upstream fields and required list', () => {
    const spec = schemaForName('io.k8s.api.apps.v1.DaemonSetSpec') as ObjectNode;
    assert.deepEqual(Object.keys(spec.fields).sort(), ['minReadySeconds', 'revisionHistoryLimit', 'selector', 'template', 'updateStrategy']);
    assert.deepEqual(spec.required, ['selector', 'template']);
  });

  it('knows the 1.32 PodSpec fields that strict validation must accept', () => {
    const podSpec = schemaForName('io.k8s.api.core.v1.PodSpec') as ObjectNode;
    for (const f of ['ephemeralContainers', 'hostUsers', 'os', 'schedulingGates', 'resourceClaims', 'overhead', 'resources', 'readinessGates', 'dnsConfig', 'topologySpreadConstraints']) {
      assert.ok(podSpec.fields[f], f);
    }
    assert.equal(Object.keys(podSpec.fields).length, 40);
  });
});

describe('the schema data', () => {
  it('describes every type and field in a sentence of its own', () => {
    forEachNamedType(allKinds, (node) => {
      assert.ok(node.description.length > 5, node.name);
      if (node.kind === 'object') for (const [name, f] of Object.entries(node.fields)) assert.ok(f.description.length > 3, `${node.name}.${name}`);
    });
  });

  it('names Go types as reflect prints them', () => {
    const pod = schemaForName('io.k8s.api.core.v1.PodSpec') as ObjectNode;
    assert.equal(goTypeOf(pod.fields.containers!.schema), '[]v1.Container');
    assert.equal(goTypeOf(pod.fields.nodeSelector!.schema), 'map[string]string');
    assert.equal(goTypeOf(pod.fields.overhead!.schema), 'v1.ResourceList');
    assert.equal(goTypeOf(pod.fields.dnsPolicy!.schema), 'v1.DNSPolicy');
  });

  it('keeps list-map keys and merge keys on the same lists upstream does', () => {
    forEachNamedType(allKinds, (node) => {
      if (node.kind !== 'object') return;
      for (const [name, f] of Object.entries(node.fields)) {
        if (f.listMapKeys) assert.equal(f.listType, 'map', `${node.name}.${name}`);
        if (f.patchMergeKey) assert.equal(f.schema.kind, 'array', `${node.name}.${name}`);
      }
    });
  });
});
