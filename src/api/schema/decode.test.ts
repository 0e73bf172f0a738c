import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import {
  findConversionError,
  goValueString,
  cannotBeHandledMessage,
  decodeBody,
  findTypeErrors,
  findUnknownFields,
  pruneUnknownFields,
  strictDecodingError,
  type FieldValidation,
  type GroupVersionKind,
} from './index.js';

const dsGVK: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'DaemonSet' };
const podGVK: GroupVersionKind = { group: '', version: 'v1', kind: 'Pod' };

const manifestsDir = join(import.meta.dirname, '../../../test/seeds/manifests');
const seedManifests = readdirSync(manifestsDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: f, obj: YAML.parse(readFileSync(join(manifestsDir, f), 'utf8'), { version: '1.1' }) as Record<string, unknown> }));

const fluentd = () => structuredClone(seedManifests.find((m) => m.file === 'fluentd-daemonset.yaml')!.obj);

/** A copy of `obj` with the value at a dotted path (numbers index lists) replaced. */
function withValue(obj: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const keys = path.split('.');
  let cursor: any = copy;
  for (const key of keys.slice(0, -1)) cursor = cursor[key] ??= {};
  cursor[keys.at(-1)!] = value;
  return copy;
}

describe('findUnknownFields()', () => {
  for (const { file, obj } of seedManifests) {
    it(`finds nothing unknown in ${file}`, () => {
      const gvk = { ...dsGVK, kind: String(obj.kind) };
      assert.deepEqual(findUnknownFields(obj, gvk), []);
      assert.equal(findTypeErrors(obj, gvk), undefined);
    });
  }

  it('reports typos with strict decoding paths, in document order', () => {
    const ds = fluentd() as any;
    ds.metadata.lables = { app: 'x' };
    ds.spec.updateStrategy = { type: 'RollingUpdate', rollingupdate: { maxUnavailable: 1 } };
    ds.spec.template.spec.containers[0].imagee = 'fluentd:v2';
    ds.spec.template.spec.containers[0].env[1].valuefrom = {};
    ds.spec.template.spec.volumes[1].hostPath.typ = 'Directory';
    ds.status = { numberReady: 1, ready: 1 };
    ds.extra = true;
    assert.deepEqual(findUnknownFields(ds, dsGVK), [
      'metadata.lables',
      'spec.template.spec.containers[0].env[1].valuefrom',
      'spec.template.spec.containers[0].imagee',
      'spec.template.spec.volumes[1].hostPath.typ',
      'spec.updateStrategy.rollingupdate',
      'status.ready',
      'extra',
    ]);
  });

  it('matches field names case-sensitively and ignores inherited names', () => {
    const pod = JSON.parse('{"apiVersion":"v1","kind":"Pod","metadata":{"Name":"x","__proto__":{},"constructor":1},"spec":{"containers":[]}}');
    assert.deepEqual(findUnknownFields(pod, podGVK), ['metadata.Name', 'metadata.__proto__', 'metadata.constructor']);
  });

  it('accepts anything inside free-form values', () => {
    const revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'r', managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:x': {} } } }] },
      data: { spec: { template: { whatever: 1 } } },
      revision: 1,
    };
    assert.deepEqual(findUnknownFields(revision, { group: 'apps', version: 'v1', kind: 'ControllerRevision' }), []);
    const pod = { spec: { containers: [], volumes: [{ name: 'v', cinder: { volumeID: 'x', anything: { goes: true } } }] } };
    assert.deepEqual(findUnknownFields(pod, podGVK), []);
  });

  it('throws for a kind it does not serve', () => {
    assert.throws(() => findUnknownFields({}, { group: 'apps', version: 'v1', kind: 'Deployment' }), /no schema for apps\/v1, Kind=Deployment/);
  });
});

describe('pruneUnknownFields()', () => {
  it('removes unknown fields in place and returns their paths', () => {
    const ds = fluentd() as any;
    ds.spec.template.spec.containers[0].imagee = 'x';
    ds.metadata.lables = {};
    const before = findUnknownFields(ds, dsGVK);
    assert.deepEqual(pruneUnknownFields(ds, dsGVK), before);
    assert.deepEqual(findUnknownFields(ds, dsGVK), []);
    assert.deepEqual(ds, fluentd());
  });
});

describe('strictDecodingError()', () => {
  it('lists the fields as upstream does', () => {
    assert.equal(
      strictDecodingError(['metadata.lables', 'spec.template.spec.containers[0].imagee']),
      'strict decoding error: unknown field "metadata.lables", unknown field "spec.template.spec.containers[0].imagee"',
    );
  });

  it('quotes paths the Go way and stops at 100 fields', () => {
    assert.equal(strictDecodingError(['a"b\\c\td']), 'strict decoding error: unknown field "a\\"b\\\\c\\td"');
    const many = Array.from({ length: 150 }, (_, i) => `f${i}`);
    assert.equal(strictDecodingError(many).match(/unknown field/g)?.length, 100);
  });

  it('reads as the API server wraps it', () => {
    assert.equal(
      cannotBeHandledMessage(dsGVK, strictDecodingError(['spec.foo'])),
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.foo"',
    );
  });
});

/**
 * The messages findTypeErrors produces, one row per situation: what is changed in the fluentd seed
 * DaemonSet (or the body given), and upstream's decoder message.
 */
const exampleMessages: Array<{ name: string; body: Record<string, unknown>; gvk?: GroupVersionKind; message: string | undefined }> = [
  {
    name: 'string for an int32',
    body: withValue(fluentd(), 'spec.minReadySeconds', '5'),
    message: 'json: cannot unmarshal string into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
  },
  {
    name: 'fraction for an int32',
    body: withValue(fluentd(), 'spec.revisionHistoryLimit', 1.5),
    message: 'json: cannot unmarshal number 1.5 into Go struct field DaemonSetSpec.spec.revisionHistoryLimit of type int32',
  },
  {
    name: 'int32 overflow',
    body: withValue(fluentd(), 'spec.minReadySeconds', 3000000000),
    message: 'json: cannot unmarshal number 3000000000 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
  },
  {
    name: 'number for a string, inside a list (no index in the path)',
    body: withValue(fluentd(), 'spec.template.spec.containers.0.image', 5),
    message: 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
  },
  {
    name: 'number for an enum string names its Go type',
    body: withValue(fluentd(), 'spec.template.spec.containers.0.imagePullPolicy', 1),
    message: 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.imagePullPolicy of type v1.PullPolicy',
  },
  {
    name: 'object for a list',
    body: withValue(fluentd(), 'spec.template.spec.containers', {}),
    message: 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
  },
  {
    name: 'array for an object',
    body: withValue(fluentd(), 'spec.selector', []),
    message: 'json: cannot unmarshal array into Go struct field DaemonSetSpec.spec.selector of type v1.LabelSelector',
  },
  {
    name: 'string for a bool',
    body: withValue(fluentd(), 'spec.template.spec.hostNetwork', 'true'),
    message: 'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.hostNetwork of type bool',
  },
  {
    name: 'number as a map value',
    body: withValue(fluentd(), 'metadata.labels', { app: 1 }),
    message: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
  },
  {
    name: 'string for a map',
    body: withValue(fluentd(), 'spec.template.spec.nodeSelector', 'linux'),
    message: 'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.nodeSelector of type map[string]string',
  },
  {
    name: 'bool for an IntOrString',
    body: withValue(fluentd(), 'spec.updateStrategy', { rollingUpdate: { maxUnavailable: true } }),
    message: 'json: cannot unmarshal bool into Go struct field RollingUpdateDaemonSet.spec.updateStrategy.rollingUpdate.maxUnavailable of type int32',
  },
  {
    name: 'fraction for an IntOrString port',
    body: withValue(fluentd(), 'spec.template.spec.containers.0.livenessProbe', { httpGet: { port: 1.5 } }),
    message: 'json: cannot unmarshal number 1.5 into Go struct field HTTPGetAction.spec.template.spec.containers.livenessProbe.httpGet.port of type int32',
  },
  { name: 'IntOrString as a number or a string', body: withValue(fluentd(), 'spec.updateStrategy', { rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } }), message: undefined },
  {
    name: 'malformed quantity',
    body: withValue(fluentd(), 'spec.template.spec.containers.0.resources', { limits: { cpu: 'lots' } }),
    message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    name: 'quantity with an unknown suffix ("1Gb" would break the format instead)',
    body: withValue(fluentd(), 'spec.template.spec.containers.0.resources', { requests: { memory: '1mi' } }),
    message: "unable to parse quantity's suffix",
  },
  { name: 'quantities as strings and numbers', body: withValue(fluentd(), 'spec.template.spec.containers.0.resources', { limits: { cpu: '250m', memory: 128, x: '1e3' } }), message: undefined },
  {
    name: 'time that is not RFC 3339',
    body: withValue(fluentd(), 'metadata.creationTimestamp', 'yesterday'),
    message: 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
  },
  {
    name: 'time with a bad separator',
    body: withValue(fluentd(), 'metadata.creationTimestamp', '2024-01-02 03:04:05Z'),
    message: 'parsing time "2024-01-02 03:04:05Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 03:04:05Z" as "T"',
  },
  {
    name: 'time with a month out of range',
    body: withValue(fluentd(), 'metadata.creationTimestamp', '2024-13-01T00:00:00Z'),
    message: 'parsing time "2024-13-01T00:00:00Z": month out of range',
  },
  {
    name: 'time on a day the month does not have',
    body: withValue(fluentd(), 'metadata.creationTimestamp', '2023-02-29T00:00:00Z'),
    message: 'parsing time "2023-02-29T00:00:00Z": day out of range',
  },
  {
    name: 'time with trailing text',
    body: withValue(fluentd(), 'metadata.creationTimestamp', '2024-01-01T00:00:00Zed'),
    message: 'parsing time "2024-01-01T00:00:00Zed": extra text: "ed"',
  },
  { name: 'time with a fraction and an offset', body: withValue(fluentd(), 'metadata.creationTimestamp', '2024-01-01T00:00:00.5+02:00'), message: undefined },
  {
    name: 'number for a time',
    body: withValue(fluentd(), 'metadata.creationTimestamp', 1700000000),
    message: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
  },
  {
    name: 'micro time without microseconds',
    gvk: { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
    body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n' }, spec: { renewTime: '2024-01-01T00:00:00Z' } },
    message: 'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
  },
  {
    name: 'Secret data that is not base64',
    gvk: { group: '', version: 'v1', kind: 'Secret' },
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { ok: 'aGVsbG8=', bad: 'not base64!' } },
    message: 'illegal base64 data at input byte 3',
  },
  {
    name: 'Secret data with missing padding',
    gvk: { group: '', version: 'v1', kind: 'Secret' },
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { bad: 'aGVsbG8' } },
    message: 'illegal base64 data at input byte 4',
  },
  {
    name: 'a body that is not an object',
    body: [] as unknown as Record<string, unknown>,
    message: 'json: cannot unmarshal array into Go value of type v1.DaemonSet',
  },
  {
    name: 'a codec error beats an earlier type error, as in Go',
    body: withValue(withValue(fluentd(), 'metadata.generation', 'one'), 'spec.updateStrategy', { rollingUpdate: { maxSurge: {} } }),
    message: 'json: cannot unmarshal object into Go struct field RollingUpdateDaemonSet.spec.updateStrategy.rollingUpdate.maxSurge of type int32',
  },
  {
    name: 'the first of two type errors',
    body: withValue(withValue(fluentd(), 'metadata.generation', 'one'), 'spec.minReadySeconds', 'two'),
    message: 'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.generation of type int64',
  },
  {
    name: 'null counts as absent',
    body: withValue(withValue(withValue(fluentd(), 'spec.selector', null), 'metadata.creationTimestamp', null), 'spec.minReadySeconds', null),
    message: undefined,
  },
  { name: 'fields not in the schema are not type-checked', body: withValue(fluentd(), 'spec.whatever', { a: [1] }), message: undefined },
  {
    name: 'legacy volume sources must still be objects',
    body: withValue(fluentd(), 'spec.template.spec.volumes', [{ name: 'v', cinder: 'x' }]),
    message: 'json: cannot unmarshal string into Go struct field Volume.spec.template.spec.volumes.cinder of type v1.CinderVolumeSource',
  },
];

describe('findTypeErrors()', () => {
  for (const { name, body, gvk, message } of exampleMessages) {
    it(name, () => assert.equal(findTypeErrors(body, gvk ?? dsGVK), message));
  }
});

describe('decodeBody()', () => {
  const typo = () => withValue(fluentd(), 'spec.template.spec.containers.0.imagee', 'x');
  const wrongType = () => withValue(fluentd(), 'spec.minReadySeconds', 'ten');
  const cases: { name: string; body: () => Record<string, unknown>; validation: FieldValidation; error?: RegExp; warnings: string[]; unknownLeft: number }[] = [
    { name: 'a clean body passes untouched', body: fluentd, validation: 'Strict', warnings: [], unknownLeft: 0 },
    { name: 'Strict: unknown fields are the error', body: typo, validation: 'Strict', error: /^strict decoding error: unknown field "spec.template.spec.containers\[0\].imagee"$/, warnings: [], unknownLeft: 1 },
    { name: 'Warn: unknown fields are dropped, one warning each', body: typo, validation: 'Warn', warnings: ['unknown field "spec.template.spec.containers[0].imagee"'], unknownLeft: 0 },
    { name: 'Ignore: unknown fields are dropped silently', body: typo, validation: 'Ignore', warnings: [], unknownLeft: 0 },
    { name: 'a type error comes first, in every mode', body: () => withValue(wrongType(), 'spec.extra', 1), validation: 'Ignore', error: /cannot unmarshal string into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32/, warnings: [], unknownLeft: 1 },
  ];
  for (const { name, body, validation, error, warnings, unknownLeft } of cases) {
    it(name, () => {
      const obj = body();
      const got: string[] = [];
      const detail = decodeBody(obj, dsGVK, validation, got);
      if (error) assert.match(detail ?? '', error);
      else assert.equal(detail, undefined);
      assert.deepEqual(got, warnings);
      assert.equal(findUnknownFields(obj, dsGVK).length, unknownLeft);
    });
  }
});

describe('findConversionError()', () => {
  const cmGVK: GroupVersionKind = { group: '', version: 'v1', kind: 'ConfigMap' };
  const ds = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, spec });
  const cases: { name: string; obj: unknown; gvk?: GroupVersionKind; want: string | undefined }[] = [
    { name: 'a string for an int32', obj: ds({ minReadySeconds: 'abc' }), want: 'unrecognized type: int32' },
    { name: 'a fraction for an int32', obj: ds({ minReadySeconds: 1.5 }), want: 'cannot convert float64 to int32' },
    { name: 'a whole number for a string', obj: { metadata: {}, data: { a: 1 } }, gvk: cmGVK, want: 'cannot convert int64 to string' },
    { name: 'a whole number for a named string type', obj: ds({ template: { spec: { containers: [{ name: 'c', imagePullPolicy: 1 }] } } }), want: 'cannot convert int64 to v1.PullPolicy' },
    { name: 'a fraction for a string', obj: { metadata: {}, data: { a: 1.5 } }, gvk: cmGVK, want: 'unrecognized type: string' },
    { name: 'a string for a bool', obj: ds({ template: { spec: { hostNetwork: 'yes' } } }), want: 'unrecognized type: bool' },
    { name: 'a string for a struct', obj: ds({ selector: 'x' }), want: 'cannot restore struct from: string' },
    { name: 'an object for a slice', obj: ds({ template: { spec: { containers: { name: 'c' } } } }), want: 'cannot restore slice from map' },
    { name: 'a list for a map', obj: ds({ template: { spec: { nodeSelector: ['a'] } } }), want: 'cannot restore map from slice' },
    { name: 'a whole number for an int32 is fine', obj: ds({ minReadySeconds: 5 }), want: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.equal(findConversionError(c.obj, c.gvk ?? dsGVK), c.want));
});

describe('goValueString()', () => {
  const cases: [unknown, string][] = [
    [{ spec: { minReadySeconds: 'abc' } }, 'map[spec:map[minReadySeconds:abc]]'],
    [{ b: [1, 'x', true, null], a: {} }, 'map[a:map[] b:[1 x true <nil>]]'],
    [3000000000, '3000000000'],
    [1.5, '1.5'],
    [1234567.5, '1.2345675e+06'],
    [0.00001, '1e-05'],
  ];
  for (const [value, want] of cases) it(`${JSON.stringify(value)} → ${want}`, () => assert.equal(goValueString(value), want));
});
