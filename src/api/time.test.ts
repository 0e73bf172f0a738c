import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rfc3339Seconds } from './time.js';

describe('rfc3339Seconds()', () => {
  it('writes whole seconds in UTC, whatever order the times come in', () => {
    const cases: [number, string][] = [
      [Date.parse('2026-11-25T03:52:08.000Z'), '2026-11-25T03:52:08Z'],
      [Date.parse('2026-11-25T03:52:08.999Z'), '2026-11-25T03:52:08Z'],
      [Date.parse('2026-11-25T03:52:09.001Z'), '2026-11-25T03:52:09Z'],
      [Date.parse('2026-11-25T03:52:07.500Z'), '2026-11-25T03:52:07Z'],
      [Date.parse('2026-11-25T03:52:09.000Z'), '2026-11-25T03:52:09Z'],
      [0, '1970-01-01T00:00:00Z'],
      [-1, '1969-12-31T23:59:59Z'],
    ];
    for (const [ms, text] of cases) assert.equal(rfc3339Seconds(ms), text, String(ms));
  });
});
