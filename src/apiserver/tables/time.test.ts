import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { formatRFC3339, humanDuration, parseTimestamp, translateTimestampSince } from './time.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

describe('humanDuration()', () => {
  const cases: { name: string; ms: number; want: string }[] = [
    { name: 'more than one second in the future is invalid', ms: -2 * SECOND, want: '<invalid>' },
    { name: 'just under two seconds in the future is now', ms: -1999, want: '0s' },
    { name: 'half a second in the future is now', ms: -500, want: '0s' },
    { name: 'zero', ms: 0, want: '0s' },
    { name: 'fractions of a second are truncated', ms: 999, want: '0s' },
    { name: 'seconds', ms: 45 * SECOND, want: '45s' },
    { name: 'seconds up to two minutes', ms: 119 * SECOND + 999, want: '119s' },
    { name: 'two minutes exactly', ms: 2 * MINUTE, want: '2m' },
    { name: 'minutes and seconds', ms: 3 * MINUTE + 20 * SECOND, want: '3m20s' },
    { name: 'minutes and seconds up to ten minutes', ms: 9 * MINUTE + 59 * SECOND, want: '9m59s' },
    { name: 'ten minutes drops the seconds', ms: 10 * MINUTE + 30 * SECOND, want: '10m' },
    { name: 'minutes', ms: 45 * MINUTE, want: '45m' },
    { name: 'minutes up to three hours', ms: 3 * HOUR - SECOND, want: '179m' },
    { name: 'three hours exactly', ms: 3 * HOUR, want: '3h' },
    { name: 'hours and minutes', ms: 5 * HOUR + 10 * MINUTE, want: '5h10m' },
    { name: 'hours and minutes up to eight hours', ms: 8 * HOUR - MINUTE, want: '7h59m' },
    { name: 'eight hours drops the minutes', ms: 8 * HOUR + 59 * MINUTE, want: '8h' },
    { name: 'hours', ms: 30 * HOUR, want: '30h' },
    { name: 'hours up to two days', ms: 48 * HOUR - SECOND, want: '47h' },
    { name: 'two days exactly', ms: 2 * DAY, want: '2d' },
    { name: 'days and hours', ms: 3 * DAY + 4 * HOUR, want: '3d4h' },
    { name: 'days and hours up to eight days', ms: 8 * DAY - HOUR, want: '7d23h' },
    { name: 'eight days drops the hours', ms: 8 * DAY + 23 * HOUR, want: '8d' },
    { name: 'days', ms: 200 * DAY, want: '200d' },
    { name: 'days up to two years', ms: 2 * YEAR - SECOND, want: '729d' },
    { name: 'two years exactly', ms: 2 * YEAR, want: '2y' },
    { name: 'years and days', ms: 3 * YEAR + 20 * DAY, want: '3y20d' },
    { name: 'years and days up to eight years', ms: 8 * YEAR - DAY, want: '7y364d' },
    { name: 'eight years drops the days', ms: 8 * YEAR + 100 * DAY, want: '8y' },
    { name: 'years', ms: 9 * YEAR, want: '9y' },
    { name: 'not a number', ms: Number.NaN, want: '<invalid>' },
  ];
  for (const { name, ms, want } of cases) {
    it(`humanDuration() ${name}`, () => assert.equal(humanDuration(ms), want));
  }
});

describe('translateTimestampSince()', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  const cases: { name: string; ts: string | undefined | null; want: string }[] = [
    { name: 'missing timestamp is unknown', ts: undefined, want: '<unknown>' },
    { name: 'null timestamp is unknown', ts: null, want: '<unknown>' },
    { name: 'empty timestamp is unknown', ts: '', want: '<unknown>' },
    { name: "Go's zero time is unknown", ts: '0001-01-01T00:00:00Z', want: '<unknown>' },
    { name: 'unparseable timestamp is unknown', ts: 'yesterday', want: '<unknown>' },
    { name: 'second-precision timestamp', ts: '2024-06-01T11:55:00Z', want: '5m' },
    { name: 'micro-time is truncated to seconds', ts: '2024-06-01T11:59:00.123456Z', want: '59s' },
    { name: 'timestamp with an offset', ts: '2024-06-01T13:00:00+02:00', want: '60m' },
    { name: 'one second in the future is now', ts: '2024-06-01T12:00:01Z', want: '0s' },
    { name: 'a minute in the future is invalid', ts: '2024-06-01T12:01:00Z', want: '<invalid>' },
  ];
  for (const { name, ts, want } of cases) {
    it(`translateTimestampSince() ${name}`, () => assert.equal(translateTimestampSince(ts, now), want));
  }
});

describe('parseTimestamp()', () => {
  it('parseTimestamp() returns epoch milliseconds', () => {
    assert.equal(parseTimestamp('1970-01-01T00:00:01Z'), 1000);
  });
});

describe('formatRFC3339()', () => {
  const cases: { name: string; ts: string | undefined; want: string }[] = [
    { name: 'keeps a UTC timestamp', ts: '2024-06-01T10:00:00Z', want: '2024-06-01T10:00:00Z' },
    { name: 'converts an offset to UTC', ts: '2024-06-01T10:00:00+02:00', want: '2024-06-01T08:00:00Z' },
    { name: 'truncates fractions of a second', ts: '2024-06-01T10:00:00.999Z', want: '2024-06-01T10:00:00Z' },
    { name: "prints Go's zero time for a missing timestamp", ts: undefined, want: '0001-01-01T00:00:00Z' },
  ];
  for (const { name, ts, want } of cases) {
    it(`formatRFC3339() ${name}`, () => assert.equal(formatRFC3339(ts), want));
  }
});
