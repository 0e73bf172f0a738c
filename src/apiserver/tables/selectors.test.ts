import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { LabelSelector } from '../../api/types.js';
import { formatLabels, formatLabelSelector } from './selectors.js';

describe('formatLabels()', () => {
  const cases: { name: string; labels: Record<string, string> | undefined; want: string }[] = [
    { name: 'missing map is <none>', labels: undefined, want: '<none>' },
    { name: 'empty map is <none>', labels: {}, want: '<none>' },
    { name: 'one label', labels: { 'kubernetes.io/os': 'linux' }, want: 'kubernetes.io/os=linux' },
    { name: 'sorted', labels: { zone: 'a', app: 'x' }, want: 'app=x,zone=a' },
    { name: 'sorted as whole pairs, not by key', labels: { a: '2', 'a.b': '1' }, want: 'a.b=1,a=2' },
    { name: 'empty value', labels: { gpu: '' }, want: 'gpu=' },
  ];
  for (const { name, labels, want } of cases) {
    it(`formatLabels() ${name}`, () => assert.equal(formatLabels(labels), want));
  }
});

describe('formatLabelSelector()', () => {
  const cases: { name: string; selector: LabelSelector | undefined; want: string }[] = [
    { name: 'missing selector is <none>', selector: undefined, want: '<none>' },
    { name: 'empty selector is <none>', selector: {}, want: '<none>' },
    { name: 'empty lists are <none>', selector: { matchLabels: {}, matchExpressions: [] }, want: '<none>' },
    { name: 'match labels', selector: { matchLabels: { name: 'fluentd', app: 'logs' } }, want: 'app=logs,name=fluentd' },
    {
      name: 'in and notin sort their values',
      selector: {
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'api'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
        ],
      },
      want: 'env notin (dev),tier in (api,web)',
    },
    {
      name: 'exists and does-not-exist',
      selector: {
        matchExpressions: [
          { key: 'b', operator: 'DoesNotExist' },
          { key: 'a', operator: 'Exists' },
        ],
      },
      want: 'a,!b',
    },
    {
      name: 'labels and expressions sorted together by key',
      selector: { matchLabels: { m: '1' }, matchExpressions: [{ key: 'k', operator: 'Exists' }] },
      want: 'k,m=1',
    },
    {
      name: 'unknown operator is <error>',
      selector: { matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] },
      want: '<error>',
    },
    { name: 'in without values is <error>', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, want: '<error>' },
    {
      name: 'exists with values is <error>',
      selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      want: '<error>',
    },
    { name: 'malformed key is <error>', selector: { matchLabels: { 'bad key': 'x' } }, want: '<error>' },
    { name: 'malformed value is <error>', selector: { matchLabels: { app: 'not/valid' } }, want: '<error>' },
  ];
  for (const { name, selector, want } of cases) {
    it(`formatLabelSelector() ${name}`, () => assert.equal(formatLabelSelector(selector), want));
  }
});
