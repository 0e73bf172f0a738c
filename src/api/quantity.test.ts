import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  QuantityError,
  addQuantity,
  compareQuantity,
  formatQuantity,
  isValidQuantity,
  newMilliQuantity,
  newQuantity,
  parseQuantity,
  quantityMilliValue,
  quantityScaledValue,
  quantityValue,
  subtractQuantity,
  type QuantityFormat,
} from './quantity.js';

const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const badSuffix = "unable to parse quantity's suffix";
const badNumber = 'unable to parse numeric part of quantity';

describe('parseQuantity() and formatQuantity()', () => {
  const cases: { name: string; text: string; canonical: string; format: QuantityFormat }[] = [
    { name: 'keeps millicores', text: '100m', canonical: '100m', format: 'DecimalSI' },
    { name: 'keeps a whole number', text: '1', canonical: '1', format: 'DecimalSI' },
    { name: 'keeps a pod count', text: '110', canonical: '110', format: 'DecimalSI' },
    { name: 'keeps gibibytes', text: '16Gi', canonical: '16Gi', format: 'BinarySI' },
    { name: 'keeps 1500m', text: '1500m', canonical: '1500m', format: 'DecimalSI' },
    { name: 'prints a fraction in millis', text: '1.5', canonical: '1500m', format: 'DecimalSI' },
    { name: 'prints fractional binary in a smaller binary unit', text: '1.5Gi', canonical: '1536Mi', format: 'BinarySI' },
    { name: 'moves binary up a unit when it divides', text: '1024Mi', canonical: '1Gi', format: 'BinarySI' },
    { name: 'prints small binary values in decimal', text: '0.5Ki', canonical: '512', format: 'BinarySI' },
    { name: 'prints non-power binary values without suffix', text: '1536', canonical: '1536', format: 'DecimalSI' },
    { name: 'moves decimal up a unit when it divides', text: '1000', canonical: '1k', format: 'DecimalSI' },
    { name: 'uses the largest SI suffix', text: '2000000000', canonical: '2G', format: 'DecimalSI' },
    { name: 'keeps precision beyond 64 bits', text: '12345678901234567890m', canonical: '12345678901234567890m', format: 'DecimalSI' },
    { name: 'keeps many digits before the point', text: '123456789012345678901234567890', canonical: '123456789012345678901234567890', format: 'DecimalSI' },
    { name: 'keeps exponent notation', text: '1e3', canonical: '1e3', format: 'DecimalExponent' },
    { name: 'moves exponents to a multiple of three', text: '1e1', canonical: '10', format: 'DecimalExponent' },
    { name: 'accepts a signed exponent', text: '15e-1', canonical: '1500e-3', format: 'DecimalExponent' },
    { name: 'keeps a canonical upper-case exponent verbatim', text: '1E3', canonical: '1E3', format: 'DecimalExponent' },
    { name: 'accepts a leading point', text: '.001', canonical: '1m', format: 'DecimalSI' },
    { name: 'scales a fraction by its suffix', text: '.0001k', canonical: '100m', format: 'DecimalSI' },
    { name: 'keeps a trailing point verbatim, as upstream', text: '1.', canonical: '1.', format: 'DecimalSI' },
    { name: 'keeps an explicit plus verbatim, as upstream', text: '+1', canonical: '+1', format: 'DecimalSI' },
    { name: 'handles negatives', text: '-1Gi', canonical: '-1Gi', format: 'BinarySI' },
    { name: 'prints small negative binary values in decimal', text: '-512Mi', canonical: '-512Mi', format: 'BinarySI' },
    { name: 'prints 0.1m in micro', text: '0.1m', canonical: '100u', format: 'DecimalSI' },
    { name: 'rounds sub-nano values up', text: '0.5n', canonical: '1n', format: 'DecimalSI' },
    { name: 'rounds tiny binary values up and prints them in decimal', text: '0.000000000001Ki', canonical: '2n', format: 'DecimalSI' },
    { name: 'rounds negative sub-nano values away from zero', text: '-0.1n', canonical: '-1n', format: 'DecimalSI' },
    { name: 'keeps leading zeros verbatim, as upstream', text: '007', canonical: '007', format: 'DecimalSI' },
    { name: 'drops leading zeros when it reformats', text: '001000m', canonical: '1', format: 'DecimalSI' },
    { name: 'reads zero', text: '0', canonical: '0', format: 'DecimalSI' },
    { name: 'reads zero with a suffix', text: '0Gi', canonical: '0', format: 'BinarySI' },
    { name: 'reads a bare suffix as zero, as upstream', text: 'Ki', canonical: '0', format: 'BinarySI' },
    { name: 'caps binary values at 2^63-1', text: '9999Ei', canonical: '9223372036854775807', format: 'BinarySI' },
    { name: 'keeps the E suffix past exa instead of dropping it', text: '1000E', canonical: '1000E', format: 'DecimalSI' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const q = parseQuantity(c.text);
      assert.equal(formatQuantity(q), c.canonical);
      assert.equal(q.format, c.format);
      assert.equal(compareQuantity(parseQuantity(formatQuantity(q)), q), 0, 'the canonical form parses back to the same value');
    });
  }
});

describe('parseQuantity() errors', () => {
  const cases: { name: string; text: string; message: string }[] = [
    { name: 'rejects the empty string', text: '', message: formatWrong },
    { name: 'rejects a space before the suffix', text: '1 Gi', message: formatWrong },
    { name: 'rejects leading whitespace', text: ' 1', message: formatWrong },
    { name: 'rejects trailing whitespace', text: '1 ', message: formatWrong },
    { name: 'rejects two points', text: '1.1.M', message: formatWrong },
    { name: 'rejects a sign in the middle', text: '1+1.0M', message: formatWrong },
    { name: 'rejects words', text: 'aoeu', message: formatWrong },
    { name: 'rejects digits after a binary suffix', text: '1Ki3', message: badSuffix },
    { name: 'rejects a lone i', text: '1i', message: badSuffix },
    { name: 'rejects mi', text: '0.1mi', message: badSuffix },
    { name: 'rejects a lower-case binary suffix', text: '1ki', message: badSuffix },
    { name: 'rejects an exponent without digits', text: '-3.01e-', message: badSuffix },
    { name: 'rejects a number without digits that needs rounding', text: 'e-20', message: badNumber },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(() => parseQuantity(c.text), (error: unknown) => error instanceof QuantityError && error.message === c.message);
      assert.equal(isValidQuantity(c.text), false);
    });
  }

  it('isValidQuantity() accepts a valid quantity', () => {
    assert.equal(isValidQuantity('250m'), true);
  });
});

describe('quantityMilliValue() and quantityValue()', () => {
  const cases: { name: string; text: string; milli: number; value: number }[] = [
    { name: 'reads millicores', text: '100m', milli: 100, value: 1 },
    { name: 'reads whole cores', text: '2', milli: 2000, value: 2 },
    { name: 'reads fractional cores', text: '1.5', milli: 1500, value: 2 },
    { name: 'reads memory in bytes', text: '16Gi', milli: 17179869184000, value: 17179869184 },
    { name: 'reads decimal memory', text: '128M', milli: 128000000000, value: 128000000 },
    { name: 'rounds sub-milli values up', text: '1u', milli: 1, value: 1 },
    { name: 'rounds negatives away from zero', text: '-1.5', milli: -1500, value: -2 },
    { name: 'reads zero', text: '0', milli: 0, value: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const q = parseQuantity(c.text);
      assert.equal(quantityMilliValue(q), c.milli);
      assert.equal(quantityValue(q), c.value);
    });
  }

  it('quantityScaledValue() is exact past 2^53', () => {
    assert.equal(quantityScaledValue(parseQuantity('12345678901234567890m'), -3), 12345678901234567890n);
    assert.equal(quantityScaledValue(parseQuantity('12345678901234567890m'), 0), 12345678901234568n);
  });

  it('quantityValue() is Infinity for astronomically large quantities', () => {
    assert.equal(quantityValue(parseQuantity('1e2147483647')), Infinity);
  });
});

describe('compareQuantity()', () => {
  const cases: { name: string; a: string; b: string; want: -1 | 0 | 1 }[] = [
    { name: 'equates different spellings', a: '1Gi', b: '1073741824', want: 0 },
    { name: 'equates 1 and 1000m', a: '1', b: '1000m', want: 0 },
    { name: 'orders millicores', a: '100m', b: '1', want: -1 },
    { name: 'orders binary and decimal memory', a: '1Gi', b: '1G', want: 1 },
    { name: 'orders negatives below positives', a: '-1', b: '1m', want: -1 },
    { name: 'orders negatives by magnitude', a: '-2', b: '-1', want: -1 },
    { name: 'orders zero against positives', a: '0', b: '1n', want: -1 },
    { name: 'equates zeros of any format', a: '0Gi', b: '0', want: 0 },
    { name: 'orders by exact digits beyond 64 bits', a: '12345678901234567891m', b: '12345678901234567890m', want: 1 },
    { name: 'orders huge exponents without expanding them', a: '1e2147483647', b: '9e2147483646', want: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(compareQuantity(parseQuantity(c.a), parseQuantity(c.b)), c.want);
      assert.equal(compareQuantity(parseQuantity(c.b), parseQuantity(c.a)), c.want === 0 ? 0 : -c.want);
    });
  }
});

describe('addQuantity() and subtractQuantity()', () => {
  const cases: { name: string; a: string; b: string; sum: string; difference: string }[] = [
    { name: 'adds millicores', a: '100m', b: '250m', sum: '350m', difference: '-150m' },
    { name: 'adds cores and millicores', a: '1', b: '500m', sum: '1500m', difference: '500m' },
    { name: 'adds binary memory and keeps it binary', a: '1Gi', b: '512Mi', sum: '1536Mi', difference: '512Mi' },
    { name: 'keeps the first format', a: '1G', b: '1Gi', sum: '2073741824', difference: '-73741824' },
    { name: 'takes the second format when the first is zero', a: '0', b: '1Gi', sum: '1Gi', difference: '-1Gi' },
    { name: 'keeps every digit', a: '12345678901234567890m', b: '1m', sum: '12345678901234567891m', difference: '12345678901234567889m' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const a = parseQuantity(c.a);
      const b = parseQuantity(c.b);
      assert.equal(formatQuantity(addQuantity(a, b)), c.sum);
      assert.equal(formatQuantity(subtractQuantity(a, b)), c.difference);
    });
  }

  it('addQuantity() refuses to align absurdly distant exponents', () => {
    assert.throws(() => addQuantity(parseQuantity('1'), parseQuantity('1e2147483647')), QuantityError);
  });
});

describe('newQuantity() and newMilliQuantity()', () => {
  const cases: { name: string; make: () => ReturnType<typeof newQuantity>; want: string }[] = [
    { name: 'builds a count', make: () => newQuantity(110), want: '110' },
    { name: 'builds binary memory', make: () => newQuantity(2n ** 34n, 'BinarySI'), want: '16Gi' },
    { name: 'builds millicores', make: () => newMilliQuantity(250), want: '250m' },
    { name: 'builds whole cores from millis', make: () => newMilliQuantity(2000), want: '2' },
    { name: 'builds zero', make: () => newQuantity(0), want: '0' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(formatQuantity(c.make()), c.want));
  }

  it('newQuantity() rejects numbers that are not safe integers', () => {
    assert.throws(() => newQuantity(1.5), RangeError);
    assert.throws(() => newQuantity(2 ** 60), RangeError);
  });
});
