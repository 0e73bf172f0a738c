import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convergeChart, rolloutChart } from './charts.js';
import type { ConvergeBenchResult } from './converge.js';
import { Timeline, buildSvgPlot, escapeXml, ticks, type Point } from './plot.js';
import type { RolloutBenchResult } from './rollout.js';

/**
 * A small well-formedness check: tags nest and close, attributes are quoted, no stray `<` or `&` in text.
 * Returns the elements as [name, attributes, text] in document order.
 */
function parseXml(xml: string): { name: string; attrs: Record<string, string>; text: string }[] {
  const elements: { name: string; attrs: Record<string, string>; text: string }[] = [];
  const open: { name: string; text: string }[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < xml.length) {
    token.lastIndex = at;
    match = token.exec(xml);
    if (!match) throw new Error(`not well-formed at ${at}: ${xml.slice(at, at + 60)}`);
    at = token.lastIndex;
    const [, closing, name, attrText, selfClosing, text] = match;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`bare & in text: ${text}`);
      if (open.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text}`);
      if (open.length > 0) open[open.length - 1]!.text += text;
      continue;
    }
    if (closing) {
      const expected = open.pop();
      if (expected?.name !== name) throw new Error(`</${name}> closes <${expected?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, key, value] of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (key! in attrs) throw new Error(`attribute ${key} twice on <${name}>`);
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(value!)) throw new Error(`bare & in attribute ${key}`);
      attrs[key!] = value!;
    }
    if (open.length === 0 && elements.length > 0) throw new Error('a second root element');
    const element = { name: name!, attrs, text: '' };
    elements.push(element);
    if (!selfClosing) open.push(element);
  }
  if (open.length > 0) throw new Error(`unclosed: ${open.map((e) => e.name).join(', ')}`);
  return elements;
}

const line = (n: number, seconds: number): Point[] => Array.from({ length: n }, (_, i) => [(seconds * i) / (n - 1), i * 10]);

describe('bench plots', () => {
  it('ticks: round steps from 0 to at least the maximum', () => {
    assert.deepEqual(ticks(1000), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(ticks(1.37), [0, 0.5, 1, 1.5]);
    assert.deepEqual(ticks(300), [0, 100, 200, 300]);
    assert.deepEqual(ticks(0), [0, 1]);
    for (const max of [0.07, 3, 7.3, 42, 999, 5000, 123456]) {
      const t = ticks(max);
      assert.ok(t[t.length - 1]! >= max, `ticks(${max}) reaches ${max}`);
      assert.ok(t.length >= 3 && t.length <= 11, `ticks(${max}) has ${t.length} ticks`);
    }
  });

  it('builds a well-formed SVG with one polyline per series and every point', () => {
    const svg = buildSvgPlot({
      title: 'converge <1,000 nodes> & more',
      subtitle: "the watch client's view",
      xLabel: 'seconds',
      yLabel: 'pods',
      series: [
        { name: 'Ready', points: line(11, 2), color: '#2ca02c', width: 3 },
        { name: 'scheduled', points: line(5, 1.5), color: '#f28e2b' },
      ],
    });
    const elements = parseXml(svg.trim());
    assert.equal(elements[0]!.name, 'svg');
    assert.equal(elements[0]!.attrs.xmlns, 'http://www.w3.org/2000/svg');
    const polylines = elements.filter((e) => e.name === 'polyline');
    assert.equal(polylines.length, 2);
    const pointsOf = (name: string) => polylines.find((p) => p.attrs['data-series'] === name)!.attrs.points!.split(' ');
    assert.equal(pointsOf('Ready').length, 11);
    assert.equal(pointsOf('scheduled').length, 5);
    for (const point of pointsOf('Ready')) assert.match(point, /^-?\d+(\.\d)?,-?\d+(\.\d)?$/);
    const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);
    assert.ok(texts.includes('seconds'), 'x axis label');
    assert.ok(texts.includes('pods'), 'y axis label');
    assert.ok(texts.includes(escapeXml('converge <1,000 nodes> & more')), 'escaped title');
    assert.ok(texts.includes('Ready') && texts.includes('scheduled'), 'legend entries');
    // Tick labels: 0…2 s in steps of 0.5, 0…100 pods.
    assert.ok(['0.0', '0.5', '1.0', '1.5', '2.0'].every((t) => texts.includes(t)), `x ticks in ${texts.join('|')}`);
    assert.ok(['0', '20', '100'].every((t) => texts.includes(t)), 'y ticks');
  });

  it('thins a long series to about maxPoints, keeping its last point', () => {
    const points = line(10_000, 5);
    const svg = buildSvgPlot({ title: 't', xLabel: 'seconds', yLabel: 'pods', maxPoints: 400, series: [{ name: 's', points, color: '#000' }] });
    const coords = parseXml(svg.trim()).find((e) => e.name === 'polyline')!.attrs.points!.split(' ');
    assert.ok(coords.length <= 402 && coords.length >= 200, `${coords.length} points`);
    const unthinned = buildSvgPlot({ title: 't', xLabel: 'seconds', yLabel: 'pods', series: [{ name: 's', points: [points[0]!, points[points.length - 1]!], color: '#000' }] });
    const ends = parseXml(unthinned.trim()).find((e) => e.name === 'polyline')!.attrs.points!.split(' ');
    assert.equal(coords[coords.length - 1], ends[1]);
  });

  it('a timeline keeps a point per change and closes every series at the end', () => {
    const timeline = new Timeline(['a', 'b']);
    timeline.record('a', 0, 0);
    timeline.record('b', 0, 5);
    timeline.record('a', 0.1, 0);
    timeline.record('a', 0.2, 3);
    timeline.record('a', 0.3, 3);
    timeline.finish(1);
    assert.deepEqual([...timeline.series.keys()], ['a', 'b']);
    assert.deepEqual(timeline.series.get('a'), [[0, 0], [0.2, 3], [1, 3]]);
    assert.deepEqual(timeline.series.get('b'), [[0, 5], [1, 5]]);
  });

  it('the converge chart: median run bold, the other runs thin, title with nodes and result', () => {
    const runs: ConvergeBenchResult[] = [1.2, 0.9, 1.0].map((seconds) => ({ scenario: 'converge', nodes: 1000, ready: 1000, seconds, rssMB: 170, limitSeconds: 0.25, ratioToLimit: seconds / 0.25 }));
    const timelines = runs.map((run) => {
      const timeline = new Timeline(['created', 'scheduled', 'Ready']);
      for (const [i, name] of ['created', 'scheduled', 'Ready'].entries()) {
        timeline.record(name, 0, 0);
        timeline.record(name, run.seconds * (0.5 + i / 6), 1000);
      }
      timeline.finish(run.seconds);
      return timeline;
    });
    const elements = parseXml(convergeChart(runs, timelines).trim());
    const polylines = elements.filter((e) => e.name === 'polyline');
    assert.equal(polylines.length, 5, 'three series of the median run, plus Ready of the two others');
    const bold = polylines.filter((p) => p.attrs['stroke-width'] === '3');
    assert.equal(bold.length, 1);
    assert.equal(bold[0]!.attrs['data-series'], 'Ready');
    const title = elements.find((e) => e.name === 'text')!.text;
    assert.match(title, /converge, 1,000 nodes: 1,000 pods Ready in 1 s = 4× the limit/);
    const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);
    assert.ok(texts.some((t) => t.startsWith('median of 3 runs')));
    assert.ok(texts.includes('seconds since the DaemonSet was created'));
  });

  it('the rollout chart: updated, new pods Ready and old pods Ready', () => {
    const run: RolloutBenchResult = { scenario: 'rollout', nodes: 300, maxUnavailable: '10%', ready: 300, seconds: 0.8, p99WriteMs: 30, p99GetMs: 18, p99ListMs: 24, p99WatchMs: 24, rssMB: 135, limitSeconds: 0.1, ratioToLimit: 8 };
    const timeline = new Timeline(['updated', 'new pods Ready', 'old pods Ready']);
    timeline.record('updated', 0, 0);
    timeline.record('new pods Ready', 0, 0);
    timeline.record('old pods Ready', 0, 300);
    timeline.record('old pods Ready', 0.1, 270);
    timeline.record('updated', 0.2, 30);
    timeline.record('new pods Ready', 0.3, 30);
    timeline.finish(0.8);
    const elements = parseXml(rolloutChart([run], [timeline]).trim());
    const polylines = elements.filter((e) => e.name === 'polyline');
    assert.deepEqual(polylines.map((p) => p.attrs['data-series']).sort(), ['new pods Ready', 'old pods Ready', 'updated (new template)']);
    assert.equal(polylines.find((p) => p.attrs['data-series'] === 'old pods Ready')!.attrs.points!.split(' ').length, 3);
    const title = elements.find((e) => e.name === 'text')!.text;
    assert.match(title, /rollout, 300 nodes, maxUnavailable 10%: done in 0.8 s = 8× the limit/);
  });
});
