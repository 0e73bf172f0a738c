import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { StatusError, fieldErrorMessage } from './errors.js';
import {
  labelRequirementsToString,
  labelSelectorFromObject,
  labelSelectorToString,
  matchesLabels,
  parseLabelSelector,
  validateLabelSelector,
  type LabelRequirement,
  type NothingSelector,
} from './labels.js';
import type { LabelSelector } from './types.js';

const namePartMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Asserts `fn` throws a 400 BadRequest StatusError with exactly `message`. */
function assertBadRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StatusError);
    assert.equal(error.code, 400);
    assert.equal(error.reason, 'BadRequest');
    assert.equal(error.message, message);
    return true;
  });
}

describe('parseLabelSelector()', () => {
  const cases: { name: string; text: string; want: LabelRequirement[] }[] = [
    { name: 'selects everything for empty text', text: '', want: [] },
    { name: 'selects everything for blank text', text: '  \t', want: [] },
    { name: 'parses equality', text: 'app=web', want: [{ key: 'app', operator: '=', values: ['web'] }] },
    { name: 'parses double equality', text: 'app==web', want: [{ key: 'app', operator: '==', values: ['web'] }] },
    { name: 'parses inequality', text: 'app!=web', want: [{ key: 'app', operator: '!=', values: ['web'] }] },
    { name: 'parses an empty exact value', text: 'app=', want: [{ key: 'app', operator: '=', values: [''] }] },
    { name: 'parses a set, sorted and deduplicated', text: 'env in (prod, dev,prod)', want: [{ key: 'env', operator: 'in', values: ['dev', 'prod'] }] },
    { name: 'parses a negated set', text: 'env notin (dev)', want: [{ key: 'env', operator: 'notin', values: ['dev'] }] },
    { name: 'reads () as the empty value', text: 'env in ()', want: [{ key: 'env', operator: 'in', values: [''] }] },
    { name: 'reads stray commas in a set as empty values', text: 'env in (,a,,b,)', want: [{ key: 'env', operator: 'in', values: ['', 'a', 'b'] }] },
    { name: 'parses a bare key as exists', text: 'canary', want: [{ key: 'canary', operator: 'exists', values: [] }] },
    { name: 'parses !key as does-not-exist', text: '! canary', want: [{ key: 'canary', operator: '!', values: [] }] },
    { name: 'parses greater-than', text: 'gen>5', want: [{ key: 'gen', operator: 'gt', values: ['5'] }] },
    { name: 'parses less-than', text: 'gen < 10', want: [{ key: 'gen', operator: 'lt', values: ['10'] }] },
    { name: 'accepts in and notin as values', text: 'mode in (in,notin)', want: [{ key: 'mode', operator: 'in', values: ['in', 'notin'] }] },
    { name: 'accepts in as a key', text: 'in=1', want: [{ key: 'in', operator: '=', values: ['1'] }] },
    {
      name: 'sorts requirements by key',
      text: 'z,!y, x in (a)',
      want: [
        { key: 'x', operator: 'in', values: ['a'] },
        { key: 'y', operator: '!', values: [] },
        { key: 'z', operator: 'exists', values: [] },
      ],
    },
    {
      name: 'parses what describe sends for a daemonset',
      text: 'app.kubernetes.io/name=fluentd,tier in (logging)',
      want: [
        { key: 'app.kubernetes.io/name', operator: '=', values: ['fluentd'] },
        { key: 'tier', operator: 'in', values: ['logging'] },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(parseLabelSelector(c.text), c.want));
  }
});

describe('parseLabelSelector() errors', () => {
  const cases: { name: string; text: string; message: string }[] = [
    { name: 'rejects a missing operator', text: 'a b', message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
    { name: 'rejects a leading operator', text: '=a', message: "found '=', expected: !, identifier, or 'end of string'" },
    { name: 'rejects a trailing comma', text: 'a,', message: "found '', expected: identifier after ','" },
    { name: 'rejects text after a requirement', text: '!a=b', message: "found '=', expected: ',' or 'end of string'" },
    { name: 'rejects a lone !', text: '!', message: "unable to parse requirement: found '', expected: identifier" },
    { name: 'rejects a set without parentheses', text: 'a in b', message: "unable to parse requirement: found 'b' expected: '('" },
    { name: 'rejects an unclosed set', text: 'a in (b', message: "unable to parse requirement: found '', expected: ',' or ')'" },
    { name: 'rejects an operator inside a set', text: 'a in (b,=)', message: "unable to parse requirement: found '=', expected: ',', or identifier" },
    { name: 'rejects an operator as a set start', text: 'a in (=)', message: "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
    { name: 'rejects an operator as a value', text: 'a=(', message: "unable to parse requirement: found '(', expected: identifier" },
    {
      name: 'rejects an invalid key with a <nil> path',
      text: 'app:monolith',
      message: `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${namePartMessage}`,
    },
    {
      name: 'rejects an invalid value with its index and key',
      text: 'app=demo-{nginx}',
      message: `unable to parse requirement: values[0][app]: Invalid value: "demo-{nginx}": ${labelValueMessage}`,
    },
    {
      name: 'rejects a non-integer bound',
      text: 'environment>qa',
      message: `unable to parse requirement: values[0]: Invalid value: "qa": for 'Gt', 'Lt' operators, the value must be an integer`,
    },
    {
      name: 'rejects a negative bound, which is not a label value',
      text: 'gen>-5',
      message: `unable to parse requirement: values[0][gen]: Invalid value: "-5": ${labelValueMessage}`,
    },
    {
      name: 'aggregates several value errors',
      text: 'a in (-x,-y)',
      message: `unable to parse requirement: [values[0][a]: Invalid value: "-x": ${labelValueMessage}, values[1][a]: Invalid value: "-y": ${labelValueMessage}]`,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assertBadRequest(() => parseLabelSelector(c.text), c.message));
  }
});

describe('matchesLabels()', () => {
  const labels = { app: 'web', tier: 'front', gen: '7', odd: 'x7' };
  const cases: { name: string; selector: string; labels?: Record<string, string>; want: boolean }[] = [
    { name: 'matches everything with no requirements', selector: '', want: true },
    { name: 'matches unlabelled objects with no requirements', selector: '', labels: undefined, want: true },
    { name: 'matches equality', selector: 'app=web', want: true },
    { name: 'fails equality on another value', selector: 'app=db', want: false },
    { name: 'fails equality on a missing key', selector: 'missing=web', want: false },
    { name: 'matches the empty value only when the label is present', selector: 'missing=', want: false },
    { name: 'matches inequality on a missing key', selector: 'missing!=web', want: true },
    { name: 'fails inequality on the same value', selector: 'app!=web', want: false },
    { name: 'matches a set', selector: 'tier in (back,front)', want: true },
    { name: 'matches notin on a missing key', selector: 'missing notin (a)', want: true },
    { name: 'fails notin on a listed value', selector: 'tier notin (front)', want: false },
    { name: 'matches exists', selector: 'app', want: true },
    { name: 'fails exists on a missing key', selector: 'missing', want: false },
    { name: 'matches does-not-exist', selector: '!missing', want: true },
    { name: 'fails does-not-exist on a present key', selector: '!app', want: false },
    { name: 'matches greater-than numerically', selector: 'gen>10', want: false },
    { name: 'matches greater-than below the label', selector: 'gen>6', want: true },
    { name: 'matches less-than', selector: 'gen<8', want: true },
    { name: 'never matches a non-integer label with gt', selector: 'odd>1', want: false },
    { name: 'never matches a missing label with lt', selector: 'missing<1', want: false },
    { name: 'ANDs requirements', selector: 'app=web,tier=back', want: false },
    { name: 'does not see inherited properties as labels', selector: 'toString', want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const target = 'labels' in c ? c.labels : labels;
      assert.equal(matchesLabels(parseLabelSelector(c.selector), target), c.want);
    });
  }

  it('matchesLabels() matches nothing for the nothing selector', () => {
    assert.equal(matchesLabels('nothing', labels), false);
    assert.equal(matchesLabels('nothing', undefined), false);
  });
});

describe('labelSelectorFromObject()', () => {
  const cases: { name: string; selector: LabelSelector | null | undefined; want: LabelRequirement[] | NothingSelector }[] = [
    { name: 'selects nothing for null', selector: null, want: 'nothing' },
    { name: 'selects nothing for undefined', selector: undefined, want: 'nothing' },
    { name: 'selects everything for {}', selector: {}, want: [] },
    { name: 'selects everything for empty lists', selector: { matchLabels: {}, matchExpressions: [] }, want: [] },
    {
      name: 'turns matchLabels and matchExpressions into requirements sorted by key',
      selector: {
        matchLabels: { tier: 'front', app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
          { key: 'gen', operator: 'In', values: ['2', '1'] },
        ],
      },
      want: [
        { key: 'app', operator: '=', values: ['web'] },
        { key: 'canary', operator: '!', values: [] },
        { key: 'env', operator: 'notin', values: ['dev'] },
        { key: 'gen', operator: 'in', values: ['2', '1'] },
        { key: 'tier', operator: '=', values: ['front'] },
        { key: 'zone', operator: 'exists', values: [] },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(labelSelectorFromObject(c.selector), c.want));
  }

  const errorCases: { name: string; selector: LabelSelector; message: string }[] = [
    {
      name: 'rejects an unknown operator',
      selector: { matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] },
      message: '"Gt" is not a valid pod selector operator',
    },
    {
      name: 'rejects In without values',
      selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      message: "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    },
    {
      name: 'rejects Exists with values',
      selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      message: 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    },
    {
      name: 'rejects an invalid matchLabels key',
      selector: { matchLabels: { 'a b': 'x' } },
      message: `key: Invalid value: "a b": ${namePartMessage}`,
    },
  ];
  for (const c of errorCases) {
    it(c.name, () => assertBadRequest(() => labelSelectorFromObject(c.selector), c.message));
  }

  it('labelSelectorFromObject() results match like the equivalent string selector', () => {
    const requirements = labelSelectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] });
    assert.equal(matchesLabels(requirements, { app: 'web', tier: 'b' }), true);
    assert.equal(matchesLabels(requirements, { app: 'web', tier: 'c' }), false);
  });
});

describe('labelSelectorToString()', () => {
  const cases: { name: string; selector: LabelSelector | null | undefined; want: string }[] = [
    { name: 'shows <none> for a selector that selects everything', selector: {}, want: '<none>' },
    { name: 'shows <none> for a missing selector', selector: undefined, want: '<none>' },
    { name: 'shows matchLabels as k=v', selector: { matchLabels: { app: 'foo' } }, want: 'app=foo' },
    {
      name: 'sorts by key and sorts set values',
      selector: { matchLabels: { tier: 'front', app: 'foo' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }] },
      want: 'app=foo,env in (a,b),tier=front',
    },
    {
      name: 'shows exists and does-not-exist',
      selector: { matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }, { key: 'a', operator: 'Exists' }] },
      want: 'a,!b',
    },
    { name: 'shows notin', selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, want: 'env notin (dev)' },
    { name: 'shows <error> for an invalid selector', selector: { matchExpressions: [{ key: 'a', operator: 'In' }] }, want: '<error>' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(labelSelectorToString(c.selector), c.want));
  }
});

describe('labelRequirementsToString()', () => {
  const cases: { name: string; text: string; want: string }[] = [
    { name: 'prints nothing for no requirements', text: '', want: '' },
    { name: 'prints every operator as upstream', text: 'a=1,b==2,c!=3,d in (x,y),e notin (z),f,!g,h>4,i<5', want: 'a=1,b==2,c!=3,d in (x,y),e notin (z),f,!g,h>4,i<5' },
    { name: 'normalises spacing and order', text: ' z , a  in ( y , x ) ', want: 'a in (x,y),z' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const printed = labelRequirementsToString(parseLabelSelector(c.text));
      assert.equal(printed, c.want);
      assert.deepEqual(parseLabelSelector(printed), parseLabelSelector(c.text));
    });
  }
});

describe('validateLabelSelector()', () => {
  const path = 'spec.selector';
  const cases: { name: string; selector: LabelSelector | undefined; allowInvalidValues?: boolean; want: string[] }[] = [
    { name: 'accepts an absent selector', selector: undefined, want: [] },
    { name: 'accepts a valid selector', selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }, want: [] },
    {
      name: 'checks matchLabels',
      selector: { matchLabels: { app: '-web' } },
      want: [`spec.selector.matchLabels: Invalid value: "-web": ${labelValueMessage}`],
    },
    {
      name: 'requires values for In',
      selector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
      want: ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    },
    {
      name: 'forbids values for DoesNotExist',
      selector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] },
      want: ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    },
    {
      name: 'rejects an unknown operator, then checks the key',
      selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }, { key: 'bad key', operator: 'Equals' as 'In' }] },
      want: [
        'spec.selector.matchExpressions[1].operator: Invalid value: "Equals": not a valid selector operator',
        `spec.selector.matchExpressions[1].key: Invalid value: "bad key": ${namePartMessage}`,
      ],
    },
    {
      name: 'checks expression values by index',
      selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['ok', 'not ok'] }] },
      want: [`spec.selector.matchExpressions[0].values[1]: Invalid value: "not ok": ${labelValueMessage}`],
    },
    {
      name: 'can tolerate invalid expression values',
      selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['not ok'] }] },
      allowInvalidValues: true,
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const errors = validateLabelSelector(c.selector, path, { allowInvalidLabelValueInSelector: c.allowInvalidValues });
      assert.deepEqual(errors.map(fieldErrorMessage), c.want);
    });
  }
});
