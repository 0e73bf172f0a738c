import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkBase64, checkQuantity, checkTime, goQuote, quantityFormatError, quantitySuffixError, rfc3339, rfc3339Micro } from './go-codecs.js';

describe('checkBase64()', () => {
  const cases: Array<[string, string | undefined]> = [
    ['', undefined],
    ['aGVsbG8=', undefined],
    ['aGVs\nbG8=', undefined],
    ['aGVsbA==', undefined],
    ['aGVsbG8', 'illegal base64 data at input byte 4'],
    ['=', 'illegal base64 data at input byte 0'],
    ['ab=c', 'illegal base64 data at input byte 2'],
    ['ab==x', 'illegal base64 data at input byte 4'],
    ['ab-_', 'illegal base64 data at input byte 2'],
  ];
  for (const [text, want] of cases) it(`checkBase64() ${JSON.stringify(text)}`, () => assert.equal(checkBase64(text), want));
});

describe('checkQuantity()', () => {
  const cases: Array<[string, string | undefined]> = [
    ['0', undefined],
    ['100m', undefined],
    ['1.5Gi', undefined],
    ['-2', undefined],
    ['1e3', undefined],
    ['12E-2', undefined],
    [' 64Mi ', undefined],
    ['', quantityFormatError],
    ['abc', quantityFormatError],
    ['1.2.3', quantityFormatError],
    ['1Gb', quantityFormatError],
    ['1mi', quantitySuffixError],
    ['1e', quantitySuffixError],
  ];
  for (const [text, want] of cases) it(`checkQuantity() ${JSON.stringify(text)}`, () => assert.equal(checkQuantity(text), want));
});

describe('checkTime()', () => {
  it('accepts RFC 3339 with any fraction and offset', () => {
    for (const t of ['2024-02-29T23:59:59Z', '2024-01-01T00:00:00.123456789Z', '2024-01-01T00:00:00+24:00', '2024-01-01T1:00:00Z']) assert.equal(checkTime(t, rfc3339), undefined, t);
  });

  it('needs exactly six fraction digits for MicroTime', () => {
    assert.equal(checkTime('2024-01-01T00:00:00.000001Z', rfc3339Micro), undefined);
    assert.equal(
      checkTime('2024-01-01T00:00:00.1Z', rfc3339Micro),
      'parsing time "2024-01-01T00:00:00.1Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".1Z" as ".000000"',
    );
  });

  it('reports the element that failed, or the range', () => {
    assert.equal(checkTime('2024-1-01T00:00:00Z', rfc3339), 'parsing time "2024-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01"');
    assert.equal(checkTime('2024-01-01T00:60:00Z', rfc3339), 'parsing time "2024-01-01T00:60:00Z": minute out of range');
    assert.equal(checkTime('2024-01-01T00:00:00+01:61', rfc3339), 'parsing time "2024-01-01T00:00:00+01:61": time zone offset minute out of range');
    assert.equal(checkTime('2024-01-01T00:00:00', rfc3339), 'parsing time "2024-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"');
    assert.equal(checkTime('2024-01-01T00:00:00é', rfc3339), 'parsing time "2024-01-01T00:00:00\\xc3\\xa9" as "2006-01-02T15:04:05Z07:00": cannot parse "\\xc3\\xa9" as "Z07:00"');
  });
});

describe('goQuote()', () => {
  it('escapes like strconv.Quote', () => {
    assert.equal(goQuote('a.b[0]'), '"a.b[0]"');
    assert.equal(goQuote('tab\there "q" \\ \u0001 é'), '"tab\\there \\"q\\" \\\\ \\x01 é"');
  });
});
