import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import {
  base64Encode,
  setDefaultsSecret,
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
  validateServiceAccount,
  type ConfigMap,
  type Secret,
} from './configmap.js';

const messages = (errors: FieldError[]): string[] => errors.map(fieldErrorMessage);
const keyMessage =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

const newConfigMap = (fields: Partial<ConfigMap> = {}): ConfigMap => ({ metadata: { name: 'cfg', namespace: 'default' }, ...fields });
const newSecret = (fields: Partial<Secret> = {}): Secret => ({ metadata: { name: 'creds', namespace: 'default' }, type: 'Opaque', ...fields });

describe('validateConfigMap()', () => {
  const cases: { name: string; configMap: ConfigMap; want: string[] }[] = [
    { name: 'accepts plain data', configMap: newConfigMap({ data: { 'app.properties': 'a=b', KEY_1: 'x' } }), want: [] },
    { name: 'rejects a key with a space', configMap: newConfigMap({ data: { 'a b': 'x' } }), want: [`data[a b]: Invalid value: "a b": ${keyMessage}`] },
    { name: 'rejects the key ".."', configMap: newConfigMap({ data: { '..': 'x' } }), want: ["data[..]: Invalid value: \"..\": must not be '..'"] },
    {
      name: 'rejects a key in both data and binaryData',
      configMap: newConfigMap({ data: { k: 'x' }, binaryData: { k: 'eA==' } }),
      want: ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    },
    {
      name: 'rejects more than 1 MiB (with an empty path, as upstream)',
      configMap: newConfigMap({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }),
      want: [': Too long: may not be more than 1048576 bytes'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateConfigMap(c.configMap)), c.want));
  }

  it('keeps immutable ConfigMaps immutable', () => {
    const old = newConfigMap({ data: { k: 'v' }, immutable: true });
    const next = newConfigMap({ data: { k: 'w' } });
    assert.deepEqual(messages(validateConfigMapUpdate(next, old)), [
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});

describe('setDefaultsSecret()', () => {
  const cases: { name: string; secret: Secret; expected: Secret }[] = [
    {
      name: 'defaults the type to Opaque',
      secret: { metadata: { name: 's' } },
      expected: { metadata: { name: 's' }, type: 'Opaque' },
    },
    {
      name: 'merges stringData into data as base64 and drops it',
      secret: { metadata: { name: 's' }, data: { user: base64Encode('admin') }, stringData: { password: 'héllo' } },
      expected: { metadata: { name: 's' }, type: 'Opaque', data: { user: 'YWRtaW4=', password: 'aMOpbGxv' } },
    },
    {
      name: 'lets stringData win over data',
      secret: { metadata: { name: 's' }, type: 'kubernetes.io/basic-auth', data: { password: base64Encode('old') }, stringData: { password: 'new' } },
      expected: { metadata: { name: 's' }, type: 'kubernetes.io/basic-auth', data: { password: 'bmV3' } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      setDefaultsSecret(c.secret);
      assert.deepEqual(c.secret, c.expected);
    });
  }
});

describe('validateSecret()', () => {
  const cases: { name: string; secret: Secret; want: string[] }[] = [
    { name: 'accepts an Opaque secret', secret: newSecret({ data: { token: 'YWJj' } }), want: [] },
    { name: 'rejects a bad key', secret: newSecret({ data: { 'a/b': 'YWJj' } }), want: [`data[a/b]: Invalid value: "a/b": ${keyMessage}`] },
    {
      name: 'requires both TLS keys',
      secret: newSecret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'YWJj' } }),
      want: ['data[tls.key]: Required value'],
    },
    {
      name: 'requires basic-auth credentials',
      secret: newSecret({ type: 'kubernetes.io/basic-auth', data: {} }),
      want: ['data[username]: Required value', 'data[password]: Required value'],
    },
    {
      name: 'requires the service account annotation on token secrets',
      secret: newSecret({ type: 'kubernetes.io/service-account-token' }),
      want: ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    },
    {
      name: 'requires a well-formed docker config',
      secret: newSecret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': base64Encode('{"auths":{}}') } }),
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(messages(validateSecret(c.secret)), c.want));
  }

  it('keeps the type on update', () => {
    const old = newSecret({ data: {} });
    const next = newSecret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==', 'tls.key': 'Yg==' } });
    assert.deepEqual(messages(validateSecretUpdate(next, old)), ['type: Invalid value: "kubernetes.io/tls": field is immutable']);
  });
});

describe('validateServiceAccount()', () => {
  it('requires a DNS subdomain name', () => {
    assert.deepEqual(messages(validateServiceAccount({ metadata: { name: 'Bad', namespace: 'default' } })), [
      "metadata.name: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });
});
