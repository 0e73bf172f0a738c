/**
 * The benchmarks' plots: what `--plot FILE` writes for converge and rollout. Pure (text in, text out).
 */
import type { ConvergeBenchResult } from './converge.js';
import { buildSvgPlot, thousands, type PlotSeries, type Timeline } from './plot.js';
import { combineRuns, medianRunIndex } from './repeat.js';
import type { RolloutBenchResult } from './rollout.js';

const colors = {
  created: '#9ecae1',
  scheduled: '#f28e2b',
  ready: '#2ca02c',
  updated: '#4e79a7',
  old: '#d62728',
};

/** The other runs' main curve, thin and pale behind the median run's. */
function otherRuns(timelines: readonly Timeline[], median: number, series: string, label: string): PlotSeries[] {
  return timelines.flatMap((timeline, i) =>
    i === median ? [] : [{ name: label, points: timeline.series.get(series) ?? [], color: colors.ready, width: 1, opacity: 0.4, legend: false }],
  ).map((s, i) => (i === 0 ? { ...s, legend: true } : s));
}

const runsNote = (count: number) => (count > 1 ? `median of ${count} runs (bold: the median run)` : '1 run');

/** Pods created, scheduled and Ready over time; with several runs, the median run bold and the others' Ready thin. */
export function convergeChart(runs: readonly ConvergeBenchResult[], timelines: readonly Timeline[]): string {
  const median = medianRunIndex(runs);
  const run = runs[median]!;
  const timeline = timelines[median]!;
  const series: PlotSeries[] = [
    { name: 'created', points: timeline.series.get('created') ?? [], color: colors.created, width: 2, dash: '5 4' },
    { name: 'scheduled', points: timeline.series.get('scheduled') ?? [], color: colors.scheduled, width: 2 },
    { name: 'Ready', points: timeline.series.get('Ready') ?? [], color: colors.ready, width: 3 },
    ...otherRuns(timelines, median, 'Ready', 'Ready, other runs'),
  ];
  const summary = combineRuns(runs);
  return buildSvgPlot({
    title: `converge, ${thousands(run.nodes)} nodes: ${thousands(summary.ready)} pods Ready in ${summary.seconds} s = ${summary.ratioToLimit}× the limit`,
    subtitle: `${runsNote(runs.length)} · limit ${summary.limitSeconds} s (the same writes, store and JSON only)`,
    xLabel: 'seconds since the DaemonSet was created',
    yLabel: "pods, as the benchmark's watch client saw them",
    xMax: Math.max(...runs.map((r) => r.seconds)),
    yMax: run.nodes,
    series,
  });
}

/** Pods of the new template, new pods Ready and old pods Ready over time; with several runs, as for converge. */
export function rolloutChart(runs: readonly RolloutBenchResult[], timelines: readonly Timeline[]): string {
  const median = medianRunIndex(runs);
  const run = runs[median]!;
  const timeline = timelines[median]!;
  const series: PlotSeries[] = [
    { name: 'updated (new template)', points: timeline.series.get('updated') ?? [], color: colors.updated, width: 2 },
    { name: 'new pods Ready', points: timeline.series.get('new pods Ready') ?? [], color: colors.ready, width: 3 },
    { name: 'old pods Ready', points: timeline.series.get('old pods Ready') ?? [], color: colors.old, width: 2, dash: '6 4' },
    ...otherRuns(timelines, median, 'new pods Ready', 'new pods Ready, other runs'),
  ];
  const summary = combineRuns(runs);
  return buildSvgPlot({
    title: `rollout, ${thousands(run.nodes)} nodes, maxUnavailable ${run.maxUnavailable}: done in ${summary.seconds} s = ${summary.ratioToLimit}× the limit`,
    subtitle: `${runsNote(runs.length)} · limit ${summary.limitSeconds} s (a converge's writes, store and JSON only) · p99 write ${summary.p99WriteMs} ms`,
    xLabel: 'seconds since the image change',
    yLabel: "pods, as the benchmark's watch client saw them",
    xMax: Math.max(...runs.map((r) => r.seconds)),
    yMax: run.nodes,
    series,
  });
}
