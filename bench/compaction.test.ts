import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchCompaction } from './compaction.js';

describe('bench compaction', () => {
  it('compacts a small fleet\'s renewals and times the writes that ran meanwhile', async () => {
    const lines: string[] = [];
    const result = await benchCompaction({ nodes: 20, minutes: 1, log: (line) => lines.push(line) });
    assert.equal(result.superseded, 20 * 6);
    assert.ok(result.writes >= 1, 'at least one write is timed');
    assert.ok(result.p50WriteMs <= result.p99WriteMs && result.p99WriteMs <= result.maxWriteMs);
    assert.match(lines.join('\n'), /120 superseded Lease rows written[\s\S]*compacted in/);
  });
});
