import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openapiV3Document, openapiV3Root, servedGroupVersions } from './index.js';

type Doc = {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
};

const doc = (path: string) => openapiV3Document(path) as Doc;
const gvPaths = servedGroupVersions.map((gv) => gv.path);

/** Every value under `value` with key `$ref`. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

/** Every operation of a document, with its path and method. */
function operations(d: Doc): Array<{ path: string; method: string; op: any }> {
  return Object.entries(d.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method !== 'parameters')
      .map(([method, op]) => ({ path, method, op })),
  );
}

describe('openapiV3Root()', () => {
  it('lists every served group-version with a hashed URL', () => {
    const root = openapiV3Root();
    assert.deepEqual(Object.keys(root.paths), ['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/scheduling.k8s.io/v1', 'apis/policy/v1']);
    for (const [path, { serverRelativeURL }] of Object.entries(root.paths)) {
      assert.match(serverRelativeURL, new RegExp(`^/openapi/v3/${path.replace(/\./g, '\\.')}\\?hash=[0-9A-F]{16}$`));
    }
  });

  it('keeps the hashes stable across calls, and distinct per document', () => {
    const a = openapiV3Root();
    const b = openapiV3Root();
    assert.deepEqual(a, b);
    const hashes = Object.values(a.paths).map((p) => p.serverRelativeURL.split('hash=')[1]);
    assert.equal(new Set(hashes).size, hashes.length);
  });
});

describe('openapiV3Document()', () => {
  it('builds each document once', () => {
    assert.equal(openapiV3Document('apis/apps/v1'), openapiV3Document('apis/apps/v1'));
    assert.equal(openapiV3Document('/apis/apps/v1'), openapiV3Document('apis/apps/v1'));
  });

  it('returns undefined for a group-version not served', () => {
    assert.equal(openapiV3Document('apis/batch/v1'), undefined);
  });

  for (const gv of servedGroupVersions) {
    for (const r of gv.resources) {
      const gvk = r.kind.gvk![0]!;
      it(`${gv.path}: ${r.resource} has a PATCH with the GVK and its own fieldValidation parameter`, () => {
        const patches = operations(doc(gv.path)).filter(
          ({ method, op }) => method === 'patch' && JSON.stringify(op['x-kubernetes-group-version-kind']) === JSON.stringify({ group: gvk.group, kind: gvk.kind, version: gvk.version }),
        );
        assert.ok(patches.length >= 1);
        // kubectl stops at the first matching PATCH it meets, so all of them must carry the parameter.
        for (const { op } of patches) {
          assert.ok(op.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query'));
          for (const name of ['dryRun', 'fieldManager', 'force']) assert.ok(op.parameters.some((p: any) => p.name === name));
        }
      });
    }
  }

  it('uses upstream path shapes for namespaced and cluster-scoped resources', () => {
    const apps = doc('apis/apps/v1').paths;
    for (const p of [
      '/apis/apps/v1/namespaces/{namespace}/daemonsets',
      '/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}',
      '/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/status',
      '/apis/apps/v1/daemonsets',
    ]) {
      assert.ok(apps[p], p);
    }
    const core = doc('api/v1').paths;
    assert.ok(core['/api/v1/nodes/{name}/status']);
    assert.ok(core['/api/v1/namespaces/{name}']);
    assert.equal(core['/api/v1/namespaces/{namespace}/pods/{name}']!.patch['x-kubernetes-action'], 'patch');
    assert.equal(core['/api/v1/namespaces/{namespace}/pods']!.get['x-kubernetes-action'], 'list');
    assert.equal(core['/api/v1/namespaces/{namespace}/pods']!.post['x-kubernetes-action'], 'post');
    assert.deepEqual(core['/api/v1/namespaces/{namespace}/pods/{name}/eviction']!.post['x-kubernetes-group-version-kind'], { group: 'policy', kind: 'Eviction', version: 'v1' });
    assert.equal(apps['/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}']!.patch.operationId, 'patchAppsV1NamespacedDaemonSet');
  });

  for (const path of gvPaths) {
    it(`${path}: every $ref resolves`, () => {
      const d = doc(path);
      const refs = refsIn(d);
      assert.ok(refs.length > 0);
      for (const ref of refs) {
        assert.match(ref, /^#\/components\/schemas\//);
        assert.ok(d.components.schemas[ref.slice('#/components/schemas/'.length)], ref);
      }
    });
  }

  it('gives the DaemonSet schema the array form of the GVK extension', () => {
    const schemas = doc('apis/apps/v1').components.schemas;
    assert.deepEqual(schemas['io.k8s.api.apps.v1.DaemonSet']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DaemonSet', version: 'v1' }]);
    assert.deepEqual(schemas['io.k8s.api.apps.v1.DaemonSetList']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DaemonSetList', version: 'v1' }]);
  });

  it('has what kubectl explain daemonset.spec.updateStrategy prints', () => {
    const schemas = doc('apis/apps/v1').components.schemas;
    const spec = schemas['io.k8s.api.apps.v1.DaemonSetSpec'];
    assert.deepEqual(spec.properties.updateStrategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DaemonSetUpdateStrategy' }]);
    assert.ok(spec.properties.updateStrategy.description);
    assert.deepEqual(spec.required, ['selector', 'template']);
    const strategy = schemas['io.k8s.api.apps.v1.DaemonSetUpdateStrategy'];
    assert.deepEqual(strategy.properties.type, {
      description: strategy.properties.type.description,
      enum: ['OnDelete', 'RollingUpdate'],
      type: 'string',
    });
    assert.deepEqual(strategy.properties.rollingUpdate.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.RollingUpdateDaemonSet' }]);
    assert.deepEqual(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
  });

  it('carries the list and patch markers on properties', () => {
    const podSpec = doc('api/v1').components.schemas['io.k8s.api.core.v1.PodSpec'];
    assert.deepEqual(
      Object.fromEntries(Object.entries(podSpec.properties.volumes).filter(([k]) => k.startsWith('x-'))),
      {
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
      },
    );
    assert.deepEqual(podSpec.properties.nodeSelector, { additionalProperties: { default: '', type: 'string' }, description: podSpec.properties.nodeSelector.description, type: 'object' });
    assert.equal(podSpec.properties.tolerations['x-kubernetes-list-type'], 'atomic');
    assert.equal(podSpec.properties.tolerations['x-kubernetes-patch-strategy'], undefined);
  });
});
