/**
 * `--repeat N`: a scenario run N times, summarized by the median of each figure. Pure helpers (no I/O)
 * plus the loop that runs a scenario and prints the summary.
 */
import { round } from './lib.js';

/** A benchmark's JSON line: figures (numbers) and descriptions (strings, booleans). */
export type BenchResult = object;

const fields = (run: BenchResult) => run as Record<string, unknown>;

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The fields that are a finite number in every run, in the first run's order. */
export function numericFields(runs: readonly BenchResult[]): string[] {
  if (runs.length === 0) return [];
  return Object.keys(runs[0]!).filter((field) => runs.every((run) => typeof fields(run)[field] === 'number' && Number.isFinite(fields(run)[field])));
}

/**
 * One JSON line for N runs: every numeric field is the median over the runs (rounded to 3 decimals), every
 * other field is the first run's, and `runs` holds each run's own line. A single run is returned as is,
 * so `--repeat 1` prints exactly what the scenario always printed.
 */
export function combineRuns<T extends BenchResult>(runs: readonly T[]): T & { repeat?: number; runs?: T[] } {
  if (runs.length === 0) throw new Error('no runs to combine');
  if (runs.length === 1) return runs[0]!;
  const combined: Record<string, unknown> = { ...fields(runs[0]!) };
  for (const field of numericFields(runs)) combined[field] = round(median(runs.map((run) => fields(run)[field] as number)), 3);
  combined.repeat = runs.length;
  combined.runs = [...runs];
  return combined as T & { repeat: number; runs: T[] };
}

/**
 * The run that stands for the median: the one whose `field` is the median value (for an even count, the
 * lower of the middle two). Its index in `runs`.
 */
export function medianRunIndex(runs: readonly BenchResult[], field = 'seconds'): number {
  const order = runs.map((run, index) => ({ index, value: Number(fields(run)[field]) })).sort((a, b) => a.value - b.value || a.index - b.index);
  return order[(order.length - 1) >> 1]!.index;
}

/**
 * The human summary of N runs: one line per numeric field with the median, min and max and each run's
 * value in run order. Fields equal in every run are gathered on one line.
 */
export function summarizeRuns(runs: readonly BenchResult[], label: string): string[] {
  const lines = [`${label}: ${runs.length} runs`];
  const constant: string[] = [];
  for (const field of numericFields(runs)) {
    const values = runs.map((run) => fields(run)[field] as number);
    const min = Math.min(...values);
    const max = Math.max(...values);
    if (min === max) {
      constant.push(`${field} ${format(min)}`);
      continue;
    }
    lines.push(`  ${field}: median ${format(round(median(values), 3))} (min ${format(min)}, max ${format(max)}); runs ${values.map(format).join(', ')}`);
  }
  if (constant.length > 0) lines.push(`  same in every run: ${constant.join(', ')}`);
  return lines;
}

function format(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export interface RepeatOptions<T extends BenchResult> {
  repeat: number;
  /** A name for the summary, e.g. "converge (1,000 nodes)". */
  label: string;
  log: (line: string) => void;
  /** Runs the scenario once; `index` counts from 0. */
  run: (index: number, log: (line: string) => void) => Promise<T>;
}

/**
 * Runs a scenario `repeat` times, one after the other. With more than one run each run's lines are
 * prefixed with its number, and the summary follows. Returns every run's result, in order.
 */
export async function repeatScenario<T extends BenchResult>(options: RepeatOptions<T>): Promise<T[]> {
  const { repeat, log } = options;
  const runs: T[] = [];
  for (let i = 0; i < repeat; i++) {
    const prefix = repeat > 1 ? `[run ${i + 1}/${repeat}] ` : '';
    runs.push(await options.run(i, (line) => log(`${prefix}${line}`)));
  }
  if (repeat > 1) for (const line of summarizeRuns(runs, options.label)) log(line);
  return runs;
}
