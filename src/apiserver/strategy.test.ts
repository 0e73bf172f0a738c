import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodSpec } from '../api/types.js';
import { jsonEqual, podQosClass } from './strategy.js';

describe('podQosClass()', () => {
  const cases: { name: string; spec: PodSpec; want: string }[] = [
    { name: 'no resources is BestEffort', spec: { containers: [{ name: 'a' }] }, want: 'BestEffort' },
    { name: 'requests only is Burstable', spec: { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }, want: 'Burstable' },
    { name: 'equal requests and limits for cpu and memory is Guaranteed', spec: { containers: [{ name: 'a', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } } }] }, want: 'Guaranteed' },
    { name: 'limits only (requests default to them) is Guaranteed', spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }, want: 'Guaranteed' },
    { name: 'a memory limit missing is Burstable', spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }] }, want: 'Burstable' },
    { name: 'one best-effort container among guaranteed ones is Burstable', spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'b' }] }, want: 'Burstable' },
    { name: 'the seed node-exporter (limits above requests) is Burstable', spec: { containers: [{ name: 'a', resources: { limits: { cpu: '250m', memory: '180Mi' }, requests: { cpu: '102m', memory: '180Mi' } } }] }, want: 'Burstable' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(podQosClass(c.spec), c.want));
});

describe('jsonEqual()', () => {
  const cases: { name: string; a: unknown; b: unknown; want: boolean }[] = [
    { name: 'key order does not matter', a: { x: 1, y: [1, { z: 2 }] }, b: { y: [1, { z: 2 }], x: 1 }, want: true },
    { name: 'undefined members equal missing ones', a: { x: 1, y: undefined }, b: { x: 1 }, want: true },
    { name: 'null differs from missing', a: { x: null }, b: {}, want: false },
    { name: 'array order matters', a: [1, 2], b: [2, 1], want: false },
    { name: 'an array is not an object', a: [], b: {}, want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(jsonEqual(c.a, c.b), c.want));
});
