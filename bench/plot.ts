/**
 * Plots for the benchmarks: a hand-written SVG line chart (no dependency) of counts over time, and the
 * timeline a benchmark's watch client fills while it runs.
 *
 * Pure: nothing here reads a clock or touches the disk, so tests check the output as text.
 */

/** A point: seconds since the benchmark's start, and a count of pods. */
export type Point = readonly [seconds: number, value: number];

/**
 * Counts over time, one named series each, as a benchmark's watch client saw them. A sample is kept only
 * when the value changed, so a series is a step curve with one point per change.
 */
export class Timeline {
  readonly series = new Map<string, Point[]>();

  /** Creates the (empty) series in this order, the plot's legend order. */
  constructor(names: readonly string[]) {
    for (const name of names) this.series.set(name, []);
  }

  /** Records `value` for `name` at `seconds`, unless it equals the series' last value. */
  record(name: string, seconds: number, value: number): void {
    let points = this.series.get(name);
    if (!points) this.series.set(name, (points = []));
    const last = points[points.length - 1];
    if (last && last[1] === value) return;
    points.push([seconds, value]);
  }

  /** Closes every series at `seconds` with its last value, so each curve runs to the end of the run. */
  finish(seconds: number): void {
    for (const points of this.series.values()) {
      const last = points[points.length - 1];
      if (last && last[0] < seconds) points.push([seconds, last[1]]);
    }
  }
}

export interface PlotSeries {
  name: string;
  points: readonly Point[];
  /** A CSS colour. */
  color: string;
  /** Stroke width in pixels. @default 2 */
  width?: number;
  /** 0–1. @default 1 */
  opacity?: number;
  /** An SVG stroke-dasharray, e.g. "6 4". */
  dash?: string;
  /** Whether the series has an entry in the legend. @default true */
  legend?: boolean;
}

export interface PlotOptions {
  title: string;
  /** A second, smaller line under the title. */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: readonly PlotSeries[];
  /** The axes' maxima; by default the data's, rounded up to a tick. */
  xMax?: number;
  yMax?: number;
  /** Pixels. @default 800 × 460 */
  width?: number;
  height?: number;
  /** A series with more points is thinned to about this many (first and last point per pixel column kept). @default 800 */
  maxPoints?: number;
}

const margin = { left: 76, right: 28, top: 84, bottom: 56 };
/** Where the title, subtitle and legend start. */
const textLeft = 20;

/** Builds a line chart as a standalone SVG document. */
export function buildSvgPlot(options: PlotOptions): string {
  const width = options.width ?? 800;
  const height = options.height ?? 460;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = options.series.flatMap((s) => s.points);
  const xTicks = ticks(options.xMax ?? Math.max(0, ...all.map((p) => p[0])));
  const yTicks = ticks(options.yMax ?? Math.max(0, ...all.map((p) => p[1])));
  const xMax = xTicks[xTicks.length - 1]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const px = (x: number) => margin.left + (x / xMax) * plotW;
  const py = (y: number) => margin.top + plotH - (y / yMax) * plotH;
  const font = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${font} font-size="12">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${textLeft}" y="24" font-size="15" font-weight="600" fill="#111111">${escapeXml(options.title)}</text>`);
  if (options.subtitle) out.push(`<text x="${textLeft}" y="43" fill="#555555">${escapeXml(options.subtitle)}</text>`);

  // Grid and ticks.
  out.push('<g class="grid" stroke="#e5e5e5" stroke-width="1">');
  for (const t of xTicks) out.push(`<line x1="${fmt(px(t))}" y1="${margin.top}" x2="${fmt(px(t))}" y2="${margin.top + plotH}"/>`);
  for (const t of yTicks) out.push(`<line x1="${margin.left}" y1="${fmt(py(t))}" x2="${margin.left + plotW}" y2="${fmt(py(t))}"/>`);
  out.push('</g>');
  out.push('<g class="x-ticks" fill="#333333" text-anchor="middle">');
  for (const t of xTicks) out.push(`<text x="${fmt(px(t))}" y="${margin.top + plotH + 18}">${escapeXml(formatTick(t, xTicks))}</text>`);
  out.push('</g>');
  out.push('<g class="y-ticks" fill="#333333" text-anchor="end">');
  for (const t of yTicks) out.push(`<text x="${margin.left - 8}" y="${fmt(py(t) + 4)}">${escapeXml(formatTick(t, yTicks))}</text>`);
  out.push('</g>');

  // Axes and their labels.
  out.push(`<g class="axes" stroke="#333333" stroke-width="1"><line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}"/><line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}"/></g>`);
  out.push(`<text class="x-label" x="${fmt(margin.left + plotW / 2)}" y="${height - 14}" text-anchor="middle" fill="#111111">${escapeXml(options.xLabel)}</text>`);
  const yLabelX = 18;
  const yLabelY = margin.top + plotH / 2;
  out.push(`<text class="y-label" x="${yLabelX}" y="${fmt(yLabelY)}" text-anchor="middle" fill="#111111" transform="rotate(-90 ${yLabelX} ${fmt(yLabelY)})">${escapeXml(options.yLabel)}</text>`);

  // Series: thin (background) ones first, so the bold ones stay on top.
  const ordered = [...options.series].sort((a, b) => (a.width ?? 2) - (b.width ?? 2));
  out.push('<g class="series" fill="none" stroke-linejoin="round" stroke-linecap="round">');
  for (const s of ordered) {
    const points = thin(s.points, options.maxPoints ?? 800, xMax);
    const coords = points.map(([x, y]) => `${fmt(px(x))},${fmt(py(y))}`).join(' ');
    const attrs = [`stroke="${escapeXml(s.color)}"`, `stroke-width="${s.width ?? 2}"`];
    if ((s.opacity ?? 1) !== 1) attrs.push(`stroke-opacity="${s.opacity}"`);
    if (s.dash) attrs.push(`stroke-dasharray="${escapeXml(s.dash)}"`);
    out.push(`<polyline data-series="${escapeXml(s.name)}" ${attrs.join(' ')} points="${coords}"/>`);
  }
  out.push('</g>');

  // Legend: one row above the plot area.
  const legend = options.series.filter((s) => s.legend !== false);
  if (legend.length > 0) {
    out.push('<g class="legend" fill="#111111">');
    let x = textLeft;
    const y = 66;
    for (const s of legend) {
      const dash = s.dash ? ` stroke-dasharray="${escapeXml(s.dash)}"` : '';
      out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 22}" y2="${y - 4}" stroke="${escapeXml(s.color)}" stroke-width="${Math.max(2, s.width ?? 2)}"${dash}/>`);
      out.push(`<text x="${x + 28}" y="${y}">${escapeXml(s.name)}</text>`);
      x += 28 + s.name.length * 7 + 24;
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Round tick values from 0 to at least `max` (1, 2 or 5 times a power of ten apart, 4–10 ticks). */
export function ticks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Tick text: thousands separated; as many decimals as the step needs. */
function formatTick(value: number, all: readonly number[]): string {
  const step = all.length > 1 ? all[1]! - all[0]! : 1;
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * At most about `max` points: when there are more, each pixel-sized column of x keeps its first and last
 * point (a step curve keeps its shape), and the series' last point is always kept.
 */
function thin(points: readonly Point[], max: number, xMax: number): readonly Point[] {
  if (points.length <= max) return points;
  const columns = Math.max(1, Math.floor(max / 2));
  const kept: Point[] = [];
  let column = -1;
  let lastInColumn: Point | undefined;
  for (const point of points) {
    const c = Math.min(columns - 1, Math.floor((point[0] / xMax) * columns));
    if (c !== column) {
      if (lastInColumn && kept[kept.length - 1] !== lastInColumn) kept.push(lastInColumn);
      kept.push(point);
      column = c;
      lastInColumn = point;
    } else {
      lastInColumn = point;
    }
  }
  if (lastInColumn && kept[kept.length - 1] !== lastInColumn) kept.push(lastInColumn);
  return kept;
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Thousands separators for titles: 1000 → "1,000". */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}
