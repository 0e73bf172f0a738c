import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineRuns, median, medianRunIndex, numericFields, repeatScenario, summarizeRuns } from './repeat.js';

const run = (seconds: number, rssMB: number) => ({ scenario: 'converge', nodes: 300, seconds, rssMB, ratioToLimit: seconds / 0.1 });

describe('bench --repeat', () => {
  it('median: the middle value, or the mean of the middle two', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
  });

  it('numeric fields are those that are numbers in every run', () => {
    assert.deepEqual(numericFields([{ a: 1, b: 'x', c: 2 }, { a: 2, b: 'y', c: 'z' }]), ['a']);
    assert.deepEqual(numericFields([]), []);
  });

  it('one run is returned unchanged: --repeat 1 prints the line it always printed', () => {
    const only = run(0.5, 120);
    assert.equal(combineRuns([only]), only);
    assert.ok(!('runs' in combineRuns([only])));
  });

  it('several runs: the median of each figure, other fields from the first run, and every run', () => {
    const runs = [run(0.6, 130), run(0.4, 125), run(0.5, 140)];
    const combined = combineRuns(runs);
    assert.equal(combined.scenario, 'converge');
    assert.equal(combined.nodes, 300);
    assert.equal(combined.seconds, 0.5);
    assert.equal(combined.rssMB, 130);
    assert.equal(combined.ratioToLimit, 5);
    assert.equal(combined.repeat, 3);
    assert.deepEqual(combined.runs, runs);
    // The field names stay those of a single run, so lines stay comparable.
    for (const field of Object.keys(runs[0]!)) assert.ok(field in combined);
    // It serializes as one JSON line.
    assert.ok(!JSON.stringify(combined).includes('\n'));
  });

  it('an even count takes the mean of the middle two, rounded', () => {
    const combined = combineRuns([run(0.1, 100), run(0.2, 101), run(0.4, 102), run(0.8, 103)]);
    assert.equal(combined.seconds, 0.3);
    assert.equal(combined.rssMB, 101.5);
  });

  it('the median run is the one with the median seconds (the lower middle for an even count)', () => {
    assert.equal(medianRunIndex([run(0.6, 1), run(0.4, 1), run(0.5, 1)]), 2);
    assert.equal(medianRunIndex([run(0.6, 1), run(0.4, 1), run(0.5, 1), run(0.9, 1)]), 2);
    assert.equal(medianRunIndex([run(0.6, 1)]), 0);
    assert.equal(medianRunIndex([{ rssMB: 3 }, { rssMB: 1 }, { rssMB: 2 }], 'rssMB'), 2);
  });

  it('the summary gives each run, the median, min and max of every figure that varies', () => {
    const lines = summarizeRuns([run(0.6, 130), run(0.4, 130), run(0.5, 130)], 'converge (300 nodes)');
    assert.equal(lines[0], 'converge (300 nodes): 3 runs');
    const seconds = lines.find((line) => line.trim().startsWith('seconds:'));
    assert.equal(seconds?.trim(), 'seconds: median 0.5 (min 0.4, max 0.6); runs 0.6, 0.4, 0.5');
    assert.ok(lines.some((line) => line.includes('same in every run: nodes 300, rssMB 130')));
    assert.ok(!lines.some((line) => line.includes('scenario')));
  });

  it('repeatScenario runs the scenario N times in order, prefixes its lines and prints the summary', async () => {
    const logged: string[] = [];
    const runs = await repeatScenario({
      repeat: 3,
      label: 'fake',
      log: (line) => logged.push(line),
      run: async (i, log) => {
        log(`running ${i}`);
        return { seconds: i + 1 };
      },
    });
    assert.deepEqual(runs, [{ seconds: 1 }, { seconds: 2 }, { seconds: 3 }]);
    assert.deepEqual(logged.slice(0, 3), ['[run 1/3] running 0', '[run 2/3] running 1', '[run 3/3] running 2']);
    assert.equal(logged[3], 'fake: 3 runs');
    assert.equal(logged[4]?.trim(), 'seconds: median 2 (min 1, max 3); runs 1, 2, 3');
  });

  it('a single run is logged without a prefix or summary', async () => {
    const logged: string[] = [];
    await repeatScenario({ repeat: 1, label: 'fake', log: (line) => logged.push(line), run: async (_, log) => (log('once'), { seconds: 1 }) });
    assert.deepEqual(logged, ['once']);
  });
});
