/**
 * Kubernetes resource quantities (`100m`, `16Gi`, `1.5`, `1e3`) as exact fixed-point numbers on BigInt.
 *
 * A quantity is `unscaled × 10^exponent` plus the format it was written in, which decides how it prints:
 * binary suffixes stay binary (`1.5Gi` prints as `1536Mi`), decimal ones decimal (`1.5` prints as `1500m`).
 * Parsing rounds up to whole nano-units (`0.5n` becomes `1n`), as upstream does, and never goes through a
 * float, so `12345678901234567890m` survives a round trip.
 *
 * Upstream: `k8s.io/apimachinery/pkg/api/resource/quantity.go`, `amount.go`, `suffix.go`.
 *
 * Isomorphic: no `node:` imports.
 */

/** How a quantity prints: `12M` (DecimalSI), `12Mi` (BinarySI) or `12e6` (DecimalExponent). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** An exact quantity. Treat as immutable; the arithmetic functions return new ones. */
export interface Quantity {
  /** The value is `unscaled × 10^exponent`. */
  readonly unscaled: bigint;
  readonly exponent: number;
  readonly format: QuantityFormat;
  /**
   * The text it was parsed from, kept only where upstream keeps it (text already in canonical form, such
   * as `100m` or `1Gi`); `formatQuantity` prints it as is. Arithmetic results never carry it.
   */
  readonly text?: string;
}

/** A quantity that cannot be parsed, or arithmetic too large to carry out. Messages are upstream's. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

const formatWrongMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const numericMessage = 'unable to parse numeric part of quantity';
const suffixMessage = "unable to parse quantity's suffix";

const int64Max = 2n ** 63n - 1n;

/** Smallest power of ten a quantity keeps; anything finer rounds up to it (nano). */
const minExponent = -9;

/**
 * Most decimal digits an operation may materialise when it aligns two exponents (as in `1 + 1e99999999`).
 * Real resource amounts are nowhere near it; the cap keeps absurd input from exhausting memory.
 */
const maxAlignmentDigits = 100_000;

// ---------------------------------------------------------------------------------------------
// Suffixes.

interface Unit {
  base: 2 | 10;
  /** Power of `base` the suffix stands for. */
  exponent: number;
  format: QuantityFormat;
}

const decimalSuffixExponents: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixExponents: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixByExponent = new Map(Object.entries(decimalSuffixExponents).map(([suffix, exponent]) => [exponent, suffix]));
const binarySuffixByPower = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Reads a suffix as upstream's suffixer: SI letters, binary `Ki`..`Ei`, or `e`/`E` with a signed integer. */
function interpretSuffix(suffix: string): Unit | undefined {
  if (Object.hasOwn(decimalSuffixExponents, suffix)) return { base: 10, exponent: decimalSuffixExponents[suffix], format: 'DecimalSI' };
  if (Object.hasOwn(binarySuffixExponents, suffix)) return { base: 2, exponent: binarySuffixExponents[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    const parsed = BigInt(digits);
    if (parsed < -(2n ** 63n) || parsed > int64Max) return undefined;
    // Upstream parses 64 bits and keeps the low 32 (Go's int32 conversion).
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Parsing.

interface ScannedQuantity {
  negative: boolean;
  /** Integer digits without leading zeros; `'0'` when there are none. */
  whole: string;
  /** Digits after the point, as written. */
  fraction: string;
  suffix: string;
  /** Whether the number part (before the suffix) has any digit; upstream's slow path needs one. */
  hasDigits: boolean;
}

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const suffixLetters = 'eEinumkKMGTP';

/** Splits text into sign, digits and suffix the way upstream's scanner does, including what it tolerates (`1.`, `.5`). */
function scanQuantity(text: string): ScannedQuantity {
  const end = text.length;
  let pos = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    pos++;
  }
  while (pos < end && text[pos] === '0') pos++;
  if (pos >= end) return { negative, whole: '0', fraction: '', suffix: '', hasDigits: true };

  const wholeStart = pos;
  while (pos < end && isDigit(text[pos])) pos++;
  const whole = text.slice(wholeStart, pos) || '0';
  let fraction = '';
  if (pos < end && text[pos] === '.') {
    const fractionStart = ++pos;
    while (pos < end && isDigit(text[pos])) pos++;
    fraction = text.slice(fractionStart, pos);
  }
  const hasDigits = /[0-9]/.test(text.slice(0, pos));

  const suffixStart = pos;
  while (pos < end && suffixLetters.includes(text[pos])) pos++;
  if (pos < end && (text[pos] === '+' || text[pos] === '-')) pos++;
  while (pos < end && isDigit(text[pos])) pos++;
  if (pos < end) throw new QuantityError(formatWrongMessage);
  return { negative, whole, fraction, suffix: text.slice(suffixStart), hasDigits };
}

/**
 * Upstream's int64 fast path, taken for up to 18 significant digits. Its only observable effect beyond the
 * value is which texts are kept verbatim, so it is mirrored exactly.
 */
function parseSmall(text: string, scanned: ScannedQuantity, unit: Unit): Quantity | undefined {
  const { negative, whole, fraction } = scanned;
  const sign = negative ? -1n : 1n;
  if (unit.base === 10) {
    if (whole.length + fraction.length > 18) return undefined;
    const exponent = unit.exponent - fraction.length;
    if (exponent < minExponent) return undefined;
    const digits = whole + fraction;
    const keepsText = exponent % 3 === 0 && !digits.endsWith('000') && digits[0] !== '0';
    return withText({ unscaled: sign * BigInt(digits), exponent, format: unit.format }, keepsText ? text : undefined);
  }
  if (fraction.length > 0) return undefined;
  // Upstream's estimate of the decimal digits the binary multiplier adds.
  const precision = 15 - whole.length - Math.trunc((unit.exponent * 3) / 10) - 1;
  if (precision < 0) return undefined;
  const magnitude = BigInt(whole) << BigInt(unit.exponent);
  if (magnitude > int64Max) return undefined;
  const keepsText = unit.exponent % 10 === 0 && (BigInt(whole) & 7n) !== 0n;
  return withText({ unscaled: sign * magnitude, exponent: 0, format: unit.format }, keepsText ? text : undefined);
}

/** The general path: exact, then rounded up to nano; binary values are capped at 2^63-1 as upstream does. */
function parseLarge(scanned: ScannedQuantity, unit: Unit): Quantity {
  if (!scanned.hasDigits) throw new QuantityError(numericMessage);
  let magnitude = BigInt(scanned.whole + scanned.fraction);
  let exponent = -scanned.fraction.length;
  if (unit.base === 10) exponent += unit.exponent;
  else magnitude <<= BigInt(unit.exponent);
  if (magnitude === 0n) return { unscaled: 0n, exponent: 0, format: unit.format };

  if (exponent < minExponent) {
    // Round away from zero: asking for a sliver of a resource still gets the smallest unit.
    magnitude = ceilDivPow10(magnitude, minExponent - exponent);
    exponent = minExponent;
  }
  let format = unit.format;
  if (format === 'BinarySI') {
    if (compareMagnitudes(magnitude, exponent, int64Max, 0) > 0) {
      magnitude = int64Max;
      exponent = 0;
    }
    // Below one, a binary suffix could only round; print it in decimal instead.
    if (exponent < 0 && magnitude < 10n ** BigInt(-exponent)) format = 'DecimalSI';
  }
  return { unscaled: scanned.negative ? -magnitude : magnitude, exponent, format };
}

function withText(quantity: Quantity, text: string | undefined): Quantity {
  return text === undefined ? quantity : { ...quantity, text };
}

/**
 * Parses a quantity string as the API server does (`100m`, `1.5Gi`, `1e3`, `-2`, `.5`, `1.`).
 *
 * @throws QuantityError with upstream's message, e.g.
 *   `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`
 *   for `1 Gi`, or `unable to parse quantity's suffix` for `1Ki3`.
 */
export function parseQuantity(text: string): Quantity {
  if (text.length === 0) throw new QuantityError(formatWrongMessage);
  if (text === '0') return { unscaled: 0n, exponent: 0, format: 'DecimalSI', text };
  const scanned = scanQuantity(text);
  const unit = interpretSuffix(scanned.suffix);
  if (!unit) throw new QuantityError(suffixMessage);
  return parseSmall(text, scanned, unit) ?? parseLarge(scanned, unit);
}

/** Whether `parseQuantity` accepts `text`. */
export function isValidQuantity(text: string): boolean {
  try {
    parseQuantity(text);
    return true;
  } catch (error) {
    if (error instanceof QuantityError) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Construction.

function toBigInt(value: bigint | number, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`cannot make a quantity from ${what} ${value}: it must be a safe integer`);
  return BigInt(value);
}

/** A whole-number quantity, e.g. `newQuantity(110)` for a pod capacity or `newQuantity(2n ** 30n, 'BinarySI')`. */
export function newQuantity(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: toBigInt(value, 'value'), exponent: 0, format };
}

/** A quantity of `milli` thousandths, e.g. `newMilliQuantity(250)` is `250m` of CPU. */
export function newMilliQuantity(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: toBigInt(milli, 'milli value'), exponent: -3, format };
}

// ---------------------------------------------------------------------------------------------
// Arithmetic and comparison.

const abs = (value: bigint): bigint => (value < 0n ? -value : value);
const signOf = (value: bigint): -1 | 0 | 1 => (value < 0n ? -1 : value > 0n ? 1 : 0);
const digitCount = (value: bigint): number => abs(value).toString().length;

function pow10(power: number): bigint {
  if (power > maxAlignmentDigits) throw new QuantityError(`quantity arithmetic needs more than ${maxAlignmentDigits} digits`);
  return 10n ** BigInt(power);
}

/** `ceil(magnitude / 10^power)` for a positive magnitude, without building huge powers. */
function ceilDivPow10(magnitude: bigint, power: number): bigint {
  if (power >= digitCount(magnitude)) return 1n;
  const divisor = 10n ** BigInt(power);
  return (magnitude + divisor - 1n) / divisor;
}

/** Compares two non-negative `m × 10^e`, settling by order of magnitude before aligning. */
function compareMagnitudes(a: bigint, aExponent: number, b: bigint, bExponent: number): -1 | 0 | 1 {
  if (a === 0n || b === 0n) return signOf(a - b);
  const aOrder = digitCount(a) + aExponent;
  const bOrder = digitCount(b) + bExponent;
  if (aOrder !== bOrder) return aOrder > bOrder ? 1 : -1;
  const [alignedA, alignedB] = align(a, aExponent, b, bExponent);
  return signOf(alignedA - alignedB);
}

/** Brings two values to the smaller exponent so their unscaled parts can be added or compared. */
function align(a: bigint, aExponent: number, b: bigint, bExponent: number): [bigint, bigint, number] {
  if (aExponent === bExponent) return [a, b, aExponent];
  if (aExponent > bExponent) return [a * pow10(aExponent - bExponent), b, bExponent];
  return [a, b * pow10(bExponent - aExponent), aExponent];
}

/** `-1`, `0` or `1` as `a` is less than, equal to or greater than `b`; formats do not matter. */
export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const aSign = signOf(a.unscaled);
  const bSign = signOf(b.unscaled);
  if (aSign !== bSign) return aSign < bSign ? -1 : 1;
  if (aSign === 0) return 0;
  const byMagnitude = compareMagnitudes(abs(a.unscaled), a.exponent, abs(b.unscaled), b.exponent);
  if (aSign > 0 || byMagnitude === 0) return byMagnitude;
  return byMagnitude > 0 ? -1 : 1;
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.unscaled === 0n;
}

/** `a + b`, exact. Keeps `a`'s format unless `a` is zero, then takes `b`'s (as upstream's `Add`). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  const format = isZeroQuantity(a) ? b.format : a.format;
  if (isZeroQuantity(b)) return { unscaled: a.unscaled, exponent: a.exponent, format };
  if (isZeroQuantity(a)) return { unscaled: b.unscaled, exponent: b.exponent, format };
  const [x, y, exponent] = align(a.unscaled, a.exponent, b.unscaled, b.exponent);
  return { unscaled: x + y, exponent, format };
}

/** `a - b`, exact. Format as for `addQuantity`. */
export function subtractQuantity(a: Quantity, b: Quantity): Quantity {
  return addQuantity(a, { unscaled: -b.unscaled, exponent: b.exponent, format: b.format });
}

/**
 * `q / 10^scale` rounded away from zero, exact: scale `0` is the value, `-3` the milli value.
 * (Upstream's `ScaledValue`, without int64 overflow.)
 */
export function quantityScaledValue(q: Quantity, scale: number): bigint {
  const shift = q.exponent - scale;
  if (q.unscaled === 0n) return 0n;
  if (shift >= 0) return q.unscaled * pow10(shift);
  const magnitude = ceilDivPow10(abs(q.unscaled), -shift);
  return q.unscaled < 0n ? -magnitude : magnitude;
}

/** As a JS number; beyond `Number.MAX_VALUE` the result is ±Infinity rather than an error. */
function scaledNumber(q: Quantity, scale: number): number {
  if (q.unscaled !== 0n && digitCount(q.unscaled) + q.exponent - scale > 309) return q.unscaled < 0n ? -Infinity : Infinity;
  return Number(quantityScaledValue(q, scale));
}

/**
 * The value rounded up (away from zero) to a whole number: bytes of memory, a pod count.
 * Exact up to 2^53; use `quantityScaledValue(q, 0)` or `compareQuantity` where that may not hold.
 */
export function quantityValue(q: Quantity): number {
  return scaledNumber(q, 0);
}

/** The value in thousandths, rounded up (away from zero): millicores of CPU. Exact up to 2^53. */
export function quantityMilliValue(q: Quantity): number {
  return scaledNumber(q, -3);
}

// ---------------------------------------------------------------------------------------------
// Printing.

/** The exact integer value, or undefined when there is a fractional part. */
function exactInteger(q: Quantity): bigint | undefined {
  if (q.exponent >= 0) return q.unscaled * pow10(q.exponent);
  const divisor = pow10(-q.exponent);
  return q.unscaled % divisor === 0n ? q.unscaled / divisor : undefined;
}

/**
 * Decimal canonical form: no fractional digits, exponent a multiple of three and as large as possible.
 * Differs from upstream past `E` (10^18): upstream drops the suffix there and misprints the value; this
 * keeps the `E` suffix and a longer mantissa (`1000E`), which parses back to the same number.
 */
function formatDecimal(unscaled: bigint, exponent: number, format: 'DecimalSI' | 'DecimalExponent'): string {
  if (unscaled === 0n) return '0';
  let mantissa = unscaled;
  let power = exponent;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    power++;
  }
  const down = ((power % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(down);
  power -= down;
  if (format === 'DecimalExponent') return power === 0 ? `${mantissa}` : `${mantissa}e${power}`;
  if (power > 18) {
    mantissa *= pow10(power - 18);
    power = 18;
  }
  const suffix = decimalSuffixByExponent.get(power);
  // Below nano only arithmetic on hand-built quantities can reach; print those with an exponent.
  return suffix === undefined ? `${mantissa}e${power}` : `${mantissa}${suffix}`;
}

/** Binary canonical form: the largest power of 1024 that divides the value (up to `Ei`). */
function formatBinary(integer: bigint): string {
  let mantissa = integer;
  let power = 0;
  while (power < binarySuffixByPower.length - 1 && mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    power++;
  }
  return `${mantissa}${binarySuffixByPower[power]}`;
}

/**
 * The canonical string, as upstream serializes a quantity: `100m`, `1`, `16Gi`, `1500m`, `110`, `1536Mi`.
 * Binary values print in decimal when they are under 1024 in magnitude or not whole (`512`, `1500m`).
 * A parsed quantity whose text was already canonical prints that text.
 */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.unscaled === 0n) return '0';
  if (q.format === 'BinarySI') {
    const integer = exactInteger(q);
    if (integer !== undefined && abs(integer) >= 1024n) return formatBinary(integer);
    return formatDecimal(q.unscaled, q.exponent, 'DecimalSI');
  }
  return formatDecimal(q.unscaled, q.exponent, q.format);
}
