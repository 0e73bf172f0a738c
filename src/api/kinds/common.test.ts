import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrFamily,
  intOrPercentValue,
  ipFamily,
  isConfigMapKey,
  isEnvVarName,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  semanticEqual,
} from './common.js';
import { goIntOrString, goLabelSelector, goStringMap, goValue } from './go-format.js';

describe('semanticEqual()', () => {
  const cases: { name: string; a: unknown; b: unknown; want: boolean }[] = [
    { name: 'equal scalars', a: 1, b: 1, want: true },
    { name: 'different scalars', a: 'a', b: 'b', want: false },
    { name: 'missing and empty lists inside objects', a: { matchLabels: { a: 'b' } }, b: { matchLabels: { a: 'b' }, matchExpressions: [] }, want: true },
    { name: 'missing and empty maps inside objects', a: { labels: {} }, b: {}, want: true },
    { name: 'a missing list and an empty one at the top', a: undefined, b: [], want: true },
    { name: 'a missing object and an empty one at the top', a: undefined, b: {}, want: false },
    { name: 'order matters in lists', a: [1, 2], b: [2, 1], want: false },
    { name: 'key order does not matter', a: { x: 1, y: 2 }, b: { y: 2, x: 1 }, want: true },
    { name: 'zero is not missing', a: { n: 0 }, b: {}, want: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(semanticEqual(c.a, c.b), c.want));
  }
});

describe('intOrPercentValue()', () => {
  const cases: { name: string; value: number | string | undefined; want: number }[] = [
    { name: 'an integer', value: 3, want: 3 },
    { name: 'a percentage', value: '25%', want: 25 },
    { name: 'a numeric string', value: '5', want: 5 },
    { name: 'junk counts as zero', value: 'abc', want: 0 },
    { name: 'absent counts as zero', value: undefined, want: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(intOrPercentValue(c.value), c.want));
  }
});

describe('string formats', () => {
  const cases: { name: string; got: () => unknown; want: unknown }[] = [
    { name: 'port 0 is out of range', got: () => isValidPortNum(0), want: ['must be between 1 and 65535, inclusive'] },
    { name: 'port 65535 is fine', got: () => isValidPortNum(65535), want: [] },
    { name: 'a long port name', got: () => isValidPortName('a-very-long-port-name'), want: ['must be no more than 15 characters'] },
    { name: 'a numeric port name', got: () => isValidPortName('8080'), want: ['must contain at least one letter (a-z)'] },
    { name: 'env names may contain dots and dashes', got: () => isEnvVarName('my.env-name'), want: [] },
    { name: 'config keys may not start with ..', got: () => isConfigMapKey('..data'), want: ["must not start with '..'"] },
    { name: 'path segments may not contain %', got: () => isValidPathSegmentName('a%b'), want: ["may not contain '%'"] },
    { name: 'IPv4', got: () => ipFamily('192.168.1.10'), want: 4 },
    { name: 'IPv6 compressed', got: () => ipFamily('fd00::1'), want: 6 },
    { name: 'IPv6 with an IPv4 tail', got: () => ipFamily('::ffff:10.0.0.1'), want: 6 },
    { name: 'not an IP', got: () => ipFamily('10.0.0.256'), want: undefined },
    { name: 'an IPv4 CIDR', got: () => cidrFamily('10.244.0.0/16'), want: 4 },
    { name: 'an IPv6 CIDR', got: () => cidrFamily('fd00:10::/56'), want: 6 },
    { name: 'a prefix too long', got: () => cidrFamily('10.0.0.0/33'), want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(c.got(), c.want));
  }
});

describe('Go value rendering', () => {
  const cases: { name: string; got: string; want: string }[] = [
    { name: 'a nil map', got: goStringMap(undefined), want: 'map[string]string(nil)' },
    { name: 'a map, keys sorted', got: goStringMap({ b: '2', a: '1' }), want: 'map[string]string{"a":"1", "b":"2"}' },
    { name: 'an integer int-or-string', got: goIntOrString(1), want: 'intstr.IntOrString{Type:0, IntVal:1, StrVal:""}' },
    { name: 'a string int-or-string', got: goIntOrString('10%'), want: 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}' },
    {
      name: 'a selector with expressions',
      got: goLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }),
      want: 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"web"}}}}',
    },
    { name: 'a missing selector', got: goLabelSelector(undefined), want: '"null"' },
    { name: 'a missing value', got: goValue(null), want: '"null"' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(c.got, c.want));
  }
});
