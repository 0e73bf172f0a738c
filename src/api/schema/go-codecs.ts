/**
 * The value checks upstream's decoder runs inside custom codecs, with their exact error text:
 * RFC 3339 times (`time.Parse`), base64 (`encoding/base64`), quantities (`resource.ParseQuantity`),
 * and Go's string quoting. Each check returns the error message, or undefined when the value is fine.
 */

const utf8 = new TextEncoder();

/** Go's `strconv.Quote` for the strings that occur in field paths. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c in goEscapes) out += goEscapes[c];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const goEscapes: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

// ---------------------------------------------------------------------------------------------
// time.Parse for the two layouts metav1 uses.

/** `time.RFC3339`, used by metav1.Time. */
export const rfc3339 = '2006-01-02T15:04:05Z07:00';
/** `metav1.RFC3339Micro`, used by metav1.MicroTime. */
export const rfc3339Micro = '2006-01-02T15:04:05.000000Z07:00';

type TimeElem = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'micros' | 'zone';

/** The layouts as Go splits them: literal prefix, then a layout element and its text. */
const layouts: Record<string, ReadonlyArray<[string, TimeElem, string]>> = {
  [rfc3339]: [
    ['', 'year', '2006'],
    ['-', 'month', '01'],
    ['-', 'day', '02'],
    ['T', 'hour', '15'],
    [':', 'minute', '04'],
    [':', 'second', '05'],
    ['', 'zone', 'Z07:00'],
  ],
};
layouts[rfc3339Micro] = [...layouts[rfc3339]!.slice(0, 6), ['', 'micros', '.000000'], ['', 'zone', 'Z07:00']];

const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** Go's time-package quoting: ASCII as is (with `"` and `\` escaped), everything else as \x bytes. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) for (const b of utf8.encode(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

/** Two digits (or one when not `fixed`), as Go's getnum reads them. */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Checks `value` the way Go's `time.Parse(layout, value)` does, for `rfc3339` or `rfc3339Micro`, and
 * returns Go's error text, e.g. `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`.
 */
export function checkTime(value: string, layout: string): string | undefined {
  const cannotParse = (valueElem: string, layoutElem: string) =>
    `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`;
  const outOfRange = (what: string) => `parsing time ${timeQuote(value)}: ${what} out of range`;
  let rest = value;
  let year = 0;
  let month = 0;
  let day = 0;
  for (const [prefix, elem, elemText] of layouts[layout]!) {
    for (let i = 0; i < prefix.length; i++) {
      if (rest[0] !== prefix[i]) return cannotParse(rest, prefix);
      rest = rest.slice(1);
    }
    const hold = rest;
    let ok = true;
    let range = '';
    switch (elem) {
      case 'year':
        if (rest.length < 4 || !/^\d{4}/.test(rest)) ok = false;
        else [year, rest] = [Number(rest.slice(0, 4)), rest.slice(4)];
        break;
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second': {
        const got = getnum(rest, elem !== 'hour');
        if (!got) {
          ok = false;
          break;
        }
        const [n, after] = got;
        rest = after;
        if (elem === 'month') [month, range] = [n, n < 1 || n > 12 ? 'month' : ''];
        else if (elem === 'day') day = n; // validated against the month at the end, as Go does
        else if (elem === 'hour') range = n >= 24 ? 'hour' : '';
        else range = n >= 60 ? elem : '';
        // RFC3339 has no fraction in its layout but accepts one after the seconds.
        if (elem === 'second' && !range && layout === rfc3339 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1)) {
          let n = 2;
          while (isDigit(rest, n)) n++;
          rest = rest.slice(n);
        }
        break;
      }
      case 'micros':
        if (rest.length < 7 || (rest[0] !== '.' && rest[0] !== ',') || !/^\d{6}$/.test(rest.slice(1, 7))) ok = false;
        else rest = rest.slice(7);
        break;
      case 'zone': {
        if (rest[0] === 'Z') {
          rest = rest.slice(1);
          break;
        }
        if (rest.length < 6 || rest[3] !== ':') {
          ok = false;
          break;
        }
        const sign = rest[0];
        const hh = getnum(rest.slice(1, 3), true);
        const mm = hh && getnum(rest.slice(4, 6), true);
        rest = rest.slice(6);
        if (!hh || !mm) {
          ok = false;
          break;
        }
        // Go tests both and the minute message wins; offsets of exactly 24h or 60m are accepted.
        if (hh[0] > 24) range = 'time zone offset hour';
        if (mm[0] > 60) range = 'time zone offset minute';
        if (sign !== '+' && sign !== '-') ok = false;
        break;
      }
    }
    if (range) return outOfRange(range);
    if (!ok) return cannotParse(hold, elemText);
  }
  if (rest.length > 0) return `parsing time ${timeQuote(value)}: extra text: ${timeQuote(rest)}`;
  if (day < 1 || day > daysIn(month, year)) return outOfRange('day');
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// encoding/base64 StdEncoding.Decode.

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const base64Value = new Map([...base64Alphabet].map((ch, i) => [ch.charCodeAt(0), i]));
const [cr, lf, pad] = [13, 10, 61];

/**
 * Checks base64 text as Go's `base64.StdEncoding.Decode` does (padding required, CR/LF ignored) and
 * returns its error, `illegal base64 data at input byte N`, with N a byte offset.
 */
export function checkBase64(text: string): string | undefined {
  const src = utf8.encode(text);
  const corrupt = (at: number) => `illegal base64 data at input byte ${at}`;
  const isNewline = (b: number | undefined) => b === cr || b === lf;
  let si = 0;
  // One 4-character quantum per iteration, as Go's decodeQuantum.
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return corrupt(si - j);
      }
      const b = src[si++]!;
      if (base64Value.has(b)) continue;
      if (isNewline(b)) {
        j--;
        continue;
      }
      if (b !== pad || j < 2) return corrupt(si - 1);
      if (j === 2) {
        // "==" is expected; the first "=" is consumed already.
        while (isNewline(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== pad) return corrupt(si - 1);
        si++;
      }
      while (isNewline(src[si])) si++;
      return si < src.length ? corrupt(si) : undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// resource.ParseQuantity.

const splitRE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** `resource.ErrFormatWrong`. */
export const quantityFormatError = `quantities must match the regular expression '${splitRE}'`;
/** `resource.ErrSuffix`. */
export const quantitySuffixError = "unable to parse quantity's suffix";

const knownSuffixes = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/**
 * Checks quantity text (a JSON string's content, or a JSON number's literal) as
 * `resource.Quantity.UnmarshalJSON` does, returning upstream's error text.
 */
export function checkQuantity(text: string): string | undefined {
  const str = text.trim();
  if (str === '') return quantityFormatError;
  if (str === '0') return undefined;
  // parseQuantityString: sign, digits, optional fraction, then the suffix.
  const number = /^[+-]?[0-9]*(\.[0-9]*)?/.exec(str)![0];
  const suffixAndRest = str.slice(number.length);
  const suffix = /^[eEinumkKMGTP]*[-+]?[0-9]*/.exec(suffixAndRest)![0];
  if (suffix.length !== suffixAndRest.length) return quantityFormatError;
  if (knownSuffixes.has(suffix)) return undefined;
  // An exponent, "e3" or "E-2": Go's strconv.ParseInt of what follows the letter.
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Number.isSafeInteger(exponent) && Math.abs(exponent) < 2 ** 63) return undefined;
  }
  return quantitySuffixError;
}
