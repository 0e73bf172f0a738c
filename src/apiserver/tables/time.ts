/**
 * Time formatting for Table cells: the short "age" strings kubectl shows (`45s`, `3m20s`, `2d`) and the
 * RFC 3339 form the default printer uses. Every function takes `now` explicitly so tests need no clock.
 *
 * Upstream: `HumanDuration` in k8s.io/apimachinery/pkg/util/duration and `translateTimestampSince` in
 * pkg/printers/internalversion/printers.go.
 */

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;
const HOURS_PER_DAY = 24;
const DAYS_PER_YEAR = 365;

/** Go's zero `time.Time` (0001-01-01T00:00:00Z), which upstream treats the same as a missing timestamp. */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/** What upstream prints for a timestamp that is not set. */
export const UNKNOWN_TIME = '<unknown>';

/**
 * Formats a duration the way kubectl shows ages, with two or three significant figures.
 *
 * The unit steps down as the value grows: seconds below 2 minutes, minutes-and-seconds below 10 minutes,
 * minutes below 3 hours, hours-and-minutes below 8 hours, hours below 2 days, days-and-hours below 8 days,
 * days below 2 years, years-and-days below 8 years, then whole years. A zero lower part is left out
 * (`5m`, not `5m0s`).
 *
 * Clock skew: a value down to -1.999s prints `0s`; anything more negative prints `<invalid>`, as does a
 * non-finite input.
 *
 * @param ms the duration in milliseconds; fractions of a second are truncated, as upstream does.
 * @example humanDuration(200_000) // '3m20s'
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = Math.trunc(ms / MS_PER_SECOND);
  // Up to two seconds in the future is tolerated as "now": clocks of different machines drift.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * SECONDS_PER_MINUTE) return `${seconds}s`;

  const minutes = Math.trunc(seconds / SECONDS_PER_MINUTE);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % SECONDS_PER_MINUTE, 's');
  if (minutes < 3 * MINUTES_PER_HOUR) return `${minutes}m`;

  const hours = Math.trunc(minutes / MINUTES_PER_HOUR);
  if (hours < 8) return withRemainder(hours, 'h', minutes % MINUTES_PER_HOUR, 'm');
  if (hours < 2 * HOURS_PER_DAY) return `${hours}h`;

  const days = Math.trunc(hours / HOURS_PER_DAY);
  if (days < 8) return withRemainder(days, 'd', hours % HOURS_PER_DAY, 'h');
  if (days < 2 * DAYS_PER_YEAR) return `${days}d`;

  const years = Math.trunc(days / DAYS_PER_YEAR);
  if (years < 8) return withRemainder(years, 'y', days % DAYS_PER_YEAR, 'd');
  return `${years}y`;
}

/** `5m` when the lower unit is zero, `5m20s` otherwise. */
function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/**
 * Parses an RFC 3339 timestamp to epoch milliseconds, or returns `undefined` when it is missing,
 * unparseable or Go's zero time (all of which upstream would hold as the zero `time.Time`).
 */
export function parseTimestamp(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || ms === GO_ZERO_TIME_MS) return undefined;
  return ms;
}

/**
 * How long ago `ts` was, as a human duration (`humanDuration(now - ts)`), or `<unknown>` when the
 * timestamp is missing or zero. Works for both second-precision times and micro-times.
 *
 * @param now the current time in epoch milliseconds.
 */
export function translateTimestampSince(ts: string | undefined | null, now: number): string {
  const ms = parseTimestamp(ts);
  return ms === undefined ? UNKNOWN_TIME : humanDuration(now - ms);
}

/**
 * A timestamp as RFC 3339 in UTC with whole seconds (`2024-05-01T10:00:00Z`), like Go's
 * `t.UTC().Format(time.RFC3339)`. A missing timestamp prints Go's zero time, as upstream does.
 */
export function formatRFC3339(ts: string | undefined | null): string {
  const ms = parseTimestamp(ts) ?? GO_ZERO_TIME_MS;
  // toISOString always has milliseconds; RFC3339 (not RFC3339Nano) truncates them.
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
