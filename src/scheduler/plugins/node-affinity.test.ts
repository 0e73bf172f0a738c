import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { NodeSelectorTerm, PodSpec } from '../../api/types.js';
import { fits, newNodeInfo, unresolvable, type FilterResult, type PreFilterResult } from '../framework.js';
import { daemonPod, makeNode, makePod } from '../testdata/fixtures.js';
import { nodeAffinity } from './node-affinity.js';

const mismatch = unresolvable("node(s) didn't match Pod's node affinity/selector");
const required = (...nodeSelectorTerms: NodeSelectorTerm[]): Partial<PodSpec> => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
});

describe('nodeAffinity.filter()', () => {
  const labels = { zone: 'a', disk: 'ssd', cores: '8' };
  const cases: { name: string; spec: Partial<PodSpec>; want: FilterResult }[] = [
    { name: 'fits without selector or affinity', spec: {}, want: fits },
    { name: 'fits a matching nodeSelector', spec: { nodeSelector: { zone: 'a', disk: 'ssd' } }, want: fits },
    { name: 'rejects a nodeSelector with another value', spec: { nodeSelector: { zone: 'b' } }, want: mismatch },
    { name: 'rejects a nodeSelector on a missing label', spec: { nodeSelector: { gpu: 'true' } }, want: mismatch },
    { name: 'fits an In expression', spec: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }), want: fits },
    { name: 'rejects a NotIn expression', spec: required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }), want: mismatch },
    { name: 'fits NotIn on a missing label', spec: required({ matchExpressions: [{ key: 'gpu', operator: 'NotIn', values: ['x'] }] }), want: fits },
    { name: 'fits Exists', spec: required({ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }), want: fits },
    { name: 'rejects DoesNotExist on a present label', spec: required({ matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }), want: mismatch },
    { name: 'fits Gt', spec: required({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }), want: fits },
    { name: 'rejects Lt', spec: required({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4'] }] }), want: mismatch },
    { name: 'a malformed term (Gt with a non-integer) matches nothing', spec: required({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['x'] }] }), want: mismatch },
    { name: 'an empty term matches nothing', spec: required({}), want: mismatch },
    { name: 'no terms match nothing', spec: required(), want: mismatch },
    {
      name: 'terms are ORed',
      spec: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }),
      want: fits,
    },
    {
      name: 'requirements in a term are ANDed',
      spec: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'In', values: ['hdd'] }] }),
      want: mismatch,
    },
    { name: 'fits matchFields metadata.name In [own name]', spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }), want: fits },
    { name: 'rejects matchFields metadata.name In [other]', spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }), want: mismatch },
    { name: 'fits matchFields metadata.name NotIn [other]', spec: required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n2'] }] }), want: fits },
    { name: 'matchFields In with two values is malformed', spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }] }), want: mismatch },
    {
      name: 'nodeSelector and affinity must both match',
      spec: { nodeSelector: { zone: 'b' }, ...required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }) },
      want: mismatch,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(nodeAffinity.filter(makePod(c.spec), newNodeInfo(makeNode('n1', { labels }))), c.want));
  }
});

describe('nodeAffinity.preFilter()', () => {
  const names = (...n: string[]): PreFilterResult => ({ nodeNames: new Set(n) });
  const cases: { name: string; spec: Partial<PodSpec>; want: PreFilterResult }[] = [
    { name: 'says nothing without affinity', spec: { nodeSelector: { zone: 'a' } }, want: undefined },
    { name: 'confines a daemon pod to its node', spec: daemonPod('n3').spec, want: names('n3') },
    {
      name: 'unites names across terms',
      spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }),
      want: names('a', 'b'),
    },
    {
      name: 'says nothing when one term has no name requirement',
      spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }, { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }),
      want: undefined,
    },
    {
      name: 'rejects contradicting name requirements in one term',
      spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }, { key: 'metadata.name', operator: 'In', values: ['b'] }] }),
      want: { rejected: true, reason: 'pod affinity terms conflict', unresolvable: true },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(nodeAffinity.preFilter!(makePod(c.spec)), c.want));
});
