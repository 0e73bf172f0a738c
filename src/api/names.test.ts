import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { fieldErrorMessage } from './errors.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  utf8ByteLength,
  validateLabels,
  validateNamespaceName,
  validateObjectMeta,
  validateObjectMetaName,
  type ObjectMetaValidationOptions,
} from './names.js';
import type { ObjectMeta } from './types.js';

const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Message =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const namePartMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('isDNS1123Subdomain()', () => {
  const cases: { name: string; value: string; want: string[] }[] = [
    { name: 'accepts a single character', value: 'a', want: [] },
    { name: 'accepts dotted names', value: 'example.com', want: [] },
    { name: 'accepts digits first', value: '0-node.1', want: [] },
    { name: 'accepts 253 characters', value: 'a'.repeat(253), want: [] },
    { name: 'rejects upper case', value: 'Foo', want: [subdomainMessage] },
    { name: 'rejects a leading dash', value: '-a', want: [subdomainMessage] },
    { name: 'rejects a trailing dot', value: 'a.', want: [subdomainMessage] },
    { name: 'rejects an underscore', value: 'a_b', want: [subdomainMessage] },
    { name: 'rejects the empty string', value: '', want: [subdomainMessage] },
    { name: 'reports length and format separately', value: `${'a'.repeat(253)}-`, want: ['must be no more than 253 characters', subdomainMessage] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(isDNS1123Subdomain(c.value), c.want));
  }
});

describe('isDNS1123Label()', () => {
  const cases: { name: string; value: string; want: string[] }[] = [
    { name: 'accepts a namespace name', value: 'kube-system', want: [] },
    { name: 'says dots are the problem for a valid subdomain', value: 'a.b', want: ['must not contain dots'] },
    { name: 'gives the regex for other mistakes', value: 'A', want: [labelMessage] },
    { name: 'limits the length to 63', value: 'a'.repeat(64), want: ['must be no more than 63 characters'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(isDNS1123Label(c.value), c.want));
  }
});

describe('isDNS1035Label()', () => {
  const cases: { name: string; value: string; want: string[] }[] = [
    { name: 'accepts a service name', value: 'my-svc', want: [] },
    { name: 'rejects a leading digit', value: '1svc', want: [dns1035Message] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(isDNS1035Label(c.value), c.want));
  }
});

describe('isQualifiedName()', () => {
  const cases: { name: string; value: string; want: string[] }[] = [
    { name: 'accepts a plain name', value: 'app', want: [] },
    { name: 'accepts mixed case, dots, dashes and underscores', value: 'My_app.v-1', want: [] },
    { name: 'accepts a DNS prefix', value: 'app.kubernetes.io/name', want: [] },
    { name: 'rejects a colon', value: 'app:monolith', want: [namePartMessage] },
    { name: 'rejects an empty prefix', value: '/name', want: ['prefix part must be non-empty'] },
    { name: 'rejects an empty name', value: 'example.com/', want: ['name part must be non-empty', namePartMessage] },
    { name: 'rejects an upper-case prefix', value: 'Example.com/name', want: [`prefix part ${subdomainMessage}`] },
    { name: 'rejects a long name', value: 'a'.repeat(64), want: ['name part must be no more than 63 characters'] },
    {
      name: 'rejects more than one slash',
      value: 'a/b/c',
      want: [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(isQualifiedName(c.value), c.want));
  }
});

describe('isValidLabelValue()', () => {
  const cases: { name: string; value: string; want: string[] }[] = [
    { name: 'accepts the empty value', value: '', want: [] },
    { name: 'accepts a typical value', value: 'v1.2_rc-3', want: [] },
    { name: 'rejects a leading dash', value: '-a', want: [labelValueMessage] },
    { name: 'rejects a slash', value: 'a/b', want: [labelValueMessage] },
    { name: 'counts bytes, not characters', value: 'é'.repeat(32), want: ['must be no more than 63 characters', labelValueMessage] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(isValidLabelValue(c.value), c.want));
  }
});

describe('validateLabels()', () => {
  const cases: { name: string; labels: Record<string, string> | undefined; want: string[] }[] = [
    { name: 'accepts no labels', labels: undefined, want: [] },
    { name: 'accepts valid labels', labels: { app: 'web', 'app.kubernetes.io/part-of': '' }, want: [] },
    {
      name: 'reports bad keys and values at the map path',
      labels: { 'bad key': 'ok', good: '-bad' },
      want: [`metadata.labels: Invalid value: "bad key": ${namePartMessage}`, `metadata.labels: Invalid value: "-bad": ${labelValueMessage}`],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(validateLabels(c.labels, 'metadata.labels').map(fieldErrorMessage), c.want));
  }
});

describe('validateNamespaceName()', () => {
  const cases: { name: string; value: string; prefix: boolean; want: string[] }[] = [
    { name: 'accepts a label', value: 'default', prefix: false, want: [] },
    { name: 'rejects a trailing dash in a name', value: 'team-', prefix: false, want: [labelMessage] },
    { name: 'accepts a trailing dash in a prefix', value: 'team-', prefix: true, want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(validateNamespaceName(c.value, c.prefix), c.want));
  }
});

describe('validateObjectMetaName()', () => {
  const cases: { name: string; value: string; kind?: string; want: string[] }[] = [
    { name: 'uses DNS subdomains by default', value: 'node-1.example.com', want: [] },
    { name: 'uses DNS subdomains for pods', value: 'Web', kind: 'Pod', want: [subdomainMessage] },
    { name: 'uses DNS labels for namespaces', value: 'a.b', kind: 'Namespace', want: ['must not contain dots'] },
    { name: 'uses DNS-1035 labels for services', value: '1svc', kind: 'Service', want: [dns1035Message] },
    { name: 'ignores kinds that are Object.prototype keys', value: 'web', kind: 'toString', want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(validateObjectMetaName(c.value, { namespaced: true, kind: c.kind }), c.want));
  }
});

describe('validateObjectMeta()', () => {
  const namespaced: ObjectMetaValidationOptions = { namespaced: true };
  const clusterScoped: ObjectMetaValidationOptions = { namespaced: false };
  const cases: { name: string; meta: ObjectMeta; options: ObjectMetaValidationOptions; want: string[] }[] = [
    { name: 'accepts a minimal namespaced object', meta: { name: 'web', namespace: 'default' }, options: namespaced, want: [] },
    { name: 'accepts a minimal cluster-scoped object', meta: { name: 'node-1' }, options: clusterScoped, want: [] },
    {
      name: 'requires a name',
      meta: { namespace: 'default' },
      options: namespaced,
      want: ['metadata.name: Required value: name or generateName is required'],
    },
    {
      name: 'requires the generated name, not only generateName',
      meta: { generateName: 'web-', namespace: 'default' },
      options: namespaced,
      want: ['metadata.name: Required value: name or generateName is required'],
    },
    { name: 'accepts generateName ending in a dash', meta: { generateName: 'web-', name: 'web-x7k2p', namespace: 'default' }, options: namespaced, want: [] },
    {
      name: 'checks generateName with the name rule',
      meta: { generateName: 'Web-', name: 'web-x7k2p', namespace: 'default' },
      options: namespaced,
      want: [`metadata.generateName: Invalid value: "Web-": ${subdomainMessage}`],
    },
    {
      name: 'checks the name with the name rule',
      meta: { name: 'Web', namespace: 'default' },
      options: namespaced,
      want: [`metadata.name: Invalid value: "Web": ${subdomainMessage}`],
    },
    {
      name: 'applies a custom name rule',
      meta: { name: 'a.b' },
      options: { namespaced: false, nameValidator: isDNS1123Label },
      want: ['metadata.name: Invalid value: "a.b": must not contain dots'],
    },
    { name: 'requires a namespace on namespaced objects', meta: { name: 'web' }, options: namespaced, want: ['metadata.namespace: Required value'] },
    {
      name: 'forbids a namespace on cluster-scoped objects',
      meta: { name: 'node-1', namespace: 'default' },
      options: clusterScoped,
      want: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
    {
      name: 'checks the namespace name',
      meta: { name: 'web', namespace: 'Team' },
      options: namespaced,
      want: [`metadata.namespace: Invalid value: "Team": ${labelMessage}`],
    },
    {
      name: 'rejects a negative generation',
      meta: { name: 'web', namespace: 'default', generation: -1 },
      options: namespaced,
      want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'checks labels',
      meta: { name: 'web', namespace: 'default', labels: { app: 'a b' } },
      options: namespaced,
      want: [`metadata.labels: Invalid value: "a b": ${labelValueMessage}`],
    },
    {
      name: 'checks annotation keys ignoring case',
      meta: { name: 'web', namespace: 'default', annotations: { 'Example.com/Note': 'x', 'bad key': 'y' } },
      options: namespaced,
      want: [`metadata.annotations: Invalid value: "bad key": ${namePartMessage}`],
    },
    {
      name: 'limits the total annotation size',
      meta: { name: 'web', namespace: 'default', annotations: { big: 'x'.repeat(256 * 1024) } },
      options: namespaced,
      want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    },
    {
      name: 'requires owner reference fields',
      meta: { name: 'web', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] },
      options: namespaced,
      want: [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    },
    {
      name: 'allows one controller reference only',
      meta: {
        name: 'web',
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'b', uid: '2', controller: true },
        ],
      },
      options: namespaced,
      want: [
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"DaemonSet","name":"a","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"DaemonSet","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for DaemonSet/a and DaemonSet/b',
      ],
    },
    {
      name: 'forbids events as owners',
      meta: { name: 'web', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' }] },
      options: namespaced,
      want: ['metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"1"}: /v1, Kind=Event is disallowed from being an owner'],
    },
    {
      name: 'checks finalizer names',
      meta: { name: 'web', namespace: 'default', finalizers: ['example.com/cleanup', 'bad finalizer'] },
      options: namespaced,
      want: [`metadata.finalizers: Invalid value: "bad finalizer": ${namePartMessage}`],
    },
    {
      name: 'rejects orphan together with foregroundDeletion',
      meta: { name: 'web', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion'] },
      options: namespaced,
      want: ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(validateObjectMeta(c.meta, c.options).map(fieldErrorMessage), c.want));
  }

  it('validateObjectMeta() uses the given field path', () => {
    const errors = validateObjectMeta({}, { namespaced: false }, 'spec.template.metadata');
    assert.deepEqual(errors.map(fieldErrorMessage), ['spec.template.metadata.name: Required value: name or generateName is required']);
  });
});

describe('utf8ByteLength()', () => {
  it('counts what a UTF-8 encoder writes', () => {
    const samples = ['', 'nginx-agent', 'é', 'ß-straße', '日本語', '😀', 'a😀b', '\ud800', 'x\udc00y', '\ud83d', '€'.repeat(100)];
    const encoder = new TextEncoder();
    for (const text of samples) assert.equal(utf8ByteLength(text), encoder.encode(text).length, JSON.stringify(text));
    // Malformed bodies put other JSON values where strings belong: counted as an encoder would count them.
    for (const value of [null, 12, true, undefined]) assert.equal(utf8ByteLength(value as unknown as string), encoder.encode(value as unknown as string).length, String(value));
  });
});
