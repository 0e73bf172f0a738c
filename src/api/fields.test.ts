import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { StatusError } from './errors.js';
import {
  escapeFieldSelectorValue,
  fieldRequirementsToString,
  matchesFields,
  parseFieldSelector,
  unsupportedFieldError,
  type FieldRequirement,
} from './fields.js';

describe('parseFieldSelector()', () => {
  const cases: { name: string; text: string; want: FieldRequirement[] }[] = [
    { name: 'selects everything for empty text', text: '', want: [] },
    { name: 'parses =', text: 'metadata.name=web', want: [{ field: 'metadata.name', operator: '=', value: 'web' }] },
    { name: 'parses == as =', text: 'metadata.name==web', want: [{ field: 'metadata.name', operator: '=', value: 'web' }] },
    { name: 'parses !=', text: 'status.phase!=Failed', want: [{ field: 'status.phase', operator: '!=', value: 'Failed' }] },
    { name: 'allows an empty value', text: 'involvedObject.namespace=', want: [{ field: 'involvedObject.namespace', operator: '=', value: '' }] },
    { name: 'skips empty terms', text: ',a=b,', want: [{ field: 'a', operator: '=', value: 'b' }] },
    { name: 'unescapes values', text: 'a=x\\,y\\=z\\\\', want: [{ field: 'a', operator: '=', value: 'x,y=z\\' }] },
    { name: 'keeps spaces as typed', text: 'a = b', want: [{ field: 'a ', operator: '=', value: ' b' }] },
    {
      name: 'parses what describe node sends, sorted by term',
      text: 'spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed',
      want: [
        { field: 'spec.nodeName', operator: '=', value: 'node-1' },
        { field: 'status.phase', operator: '!=', value: 'Failed' },
        { field: 'status.phase', operator: '!=', value: 'Succeeded' },
      ],
    },
    {
      name: 'parses what describe daemonset sends for events',
      text: 'involvedObject.name=fluentd,involvedObject.namespace=monitoring,involvedObject.kind=DaemonSet,involvedObject.uid=1234',
      want: [
        { field: 'involvedObject.kind', operator: '=', value: 'DaemonSet' },
        { field: 'involvedObject.name', operator: '=', value: 'fluentd' },
        { field: 'involvedObject.namespace', operator: '=', value: 'monitoring' },
        { field: 'involvedObject.uid', operator: '=', value: '1234' },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(parseFieldSelector(c.text), c.want));
  }
});

describe('parseFieldSelector() errors', () => {
  const cases: { name: string; text: string; message: string }[] = [
    { name: 'rejects a term without operator', text: 'a=b,foo', message: "invalid selector: 'a=b,foo'; can't understand 'foo'" },
    { name: 'rejects a bare = in a value', text: 'a=b=c', message: 'invalid field selector: unescapedRune character in value: 61' },
    { name: 'rejects an unknown escape', text: 'a=\\n', message: 'invalid field selector: invalid escape sequence: \\n' },
    { name: 'rejects a trailing backslash', text: 'a=b\\', message: 'invalid field selector: invalid escape sequence: \\' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => parseFieldSelector(c.text),
        (error: unknown) => error instanceof StatusError && error.code === 400 && error.reason === 'BadRequest' && error.message === c.message,
      );
    });
  }
});

describe('matchesFields()', () => {
  const pod: Record<string, string | undefined> = { 'metadata.name': 'web-1', 'spec.nodeName': 'node-1', 'status.phase': 'Running', 'metadata.namespace': '' };
  const getField = (field: string): string | undefined => pod[field];
  const cases: { name: string; selector: string; want: boolean }[] = [
    { name: 'matches everything with no requirements', selector: '', want: true },
    { name: 'matches equality', selector: 'metadata.name=web-1', want: true },
    { name: 'fails equality', selector: 'metadata.name=web-2', want: false },
    { name: 'matches inequality', selector: 'status.phase!=Failed', want: true },
    { name: 'fails inequality', selector: 'status.phase!=Running', want: false },
    { name: 'matches an empty value against an empty field', selector: 'metadata.namespace=', want: true },
    { name: 'treats an absent field as empty', selector: 'spec.schedulerName=', want: true },
    { name: 'ANDs requirements', selector: 'spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed', want: true },
    { name: 'fails when one requirement fails', selector: 'spec.nodeName=node-1,status.phase!=Running', want: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(matchesFields(parseFieldSelector(c.selector), getField), c.want));
  }
});

describe('fieldRequirementsToString()', () => {
  const cases: { name: string; requirements: FieldRequirement[]; want: string }[] = [
    { name: 'prints nothing for no requirements', requirements: [], want: '' },
    {
      name: 'joins terms and escapes values',
      requirements: [
        { field: 'metadata.name', operator: '=', value: 'a,b' },
        { field: 'status.phase', operator: '!=', value: '' },
      ],
      want: 'metadata.name=a\\,b,status.phase!=',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(fieldRequirementsToString(c.requirements), c.want);
      assert.deepEqual(parseFieldSelector(fieldRequirementsToString(c.requirements)), c.requirements);
    });
  }

  it('escapeFieldSelectorValue() escapes backslash, comma and equals', () => {
    assert.equal(escapeFieldSelectorValue('a\\b,c=d'), 'a\\\\b\\,c\\=d');
  });
});

describe('unsupportedFieldError()', () => {
  const cases: { name: string; field: string; kind?: string; message: string }[] = [
    { name: 'uses the core wording without a kind', field: 'spec.foo', message: 'field label not supported: spec.foo' },
    { name: 'uses the core wording for pods', field: 'spec.foo', kind: 'Pod', message: 'field label not supported: spec.foo' },
    { name: 'uses the core wording for events', field: 'count', kind: 'Event', message: 'field label not supported: count' },
    {
      name: 'uses the default wording for daemonsets',
      field: 'spec.foo',
      kind: 'DaemonSet',
      message: '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const error = unsupportedFieldError(c.field, c.kind);
      assert.equal(error.code, 400);
      assert.equal(error.reason, 'BadRequest');
      assert.equal(error.message, c.message);
    });
  }
});
