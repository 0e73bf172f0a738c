import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/errors.js';
import { WireReader, WireType } from './wire.js';

const reader = (...bytes: number[]) => new WireReader(Uint8Array.from(bytes));

function assertMalformed(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (error: unknown) => error instanceof StatusError && error.code === 400 && pattern.test(error.message));
}

describe('WireReader', () => {
  it('reads varints of every length', () => {
    assert.equal(reader(0x00).varintNumber(), 0);
    assert.equal(reader(0x7f).varintNumber(), 127);
    assert.equal(reader(0xac, 0x02).varintNumber(), 300);
    assert.equal(reader(0xff, 0xff, 0xff, 0xff, 0x0f).varintNumber(), 2 ** 32 - 1);
    assert.equal(reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).varintNumber(), 2 ** 35);
    assert.equal(reader(...Array(9).fill(0xff), 0x01).varintBig(), 2n ** 64n - 1n);
  });

  it('sign-extends int32 and int64 the way Go encodes negatives (10 bytes)', () => {
    const minusFive = [0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    assert.equal(reader(...minusFive).int32(), -5);
    assert.equal(reader(...minusFive).int64(), -5);
    assert.equal(reader(0x80, 0x80, 0x80, 0x80, 0x08).int32(), -(2 ** 31));
  });

  it('rejects lengths and tags that are not safe integers', () => {
    assertMalformed(() => reader(...Array(9).fill(0xff), 0x01).varintNumber(), /out of range/);
  });

  it('reads tags, strings, bools and fixed words, and knows when it is done', () => {
    const r = reader(0x0a, 0x02, 0x68, 0x69, 0x10, 0x01, 0x1d, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8);
    assert.deepEqual(r.tag(), [1, WireType.LengthDelimited]);
    assert.equal(r.string(), 'hi');
    assert.deepEqual(r.tag(), [2, WireType.Varint]);
    assert.equal(r.bool(), true);
    assert.deepEqual(r.tag(), [3, WireType.Fixed32]);
    assert.deepEqual([...r.fixed32()], [1, 2, 3, 4]);
    assert.deepEqual(r.tag(), [4, WireType.Fixed64]);
    assert.equal(r.fixed64().length, 8);
    assert.equal(r.done, true);
  });

  it('skips every wire type, including nested groups', () => {
    // field 1 group { field 2 varint; field 3 group { field 4 bytes } } then field 5 varint 9
    const r = reader(0x0b, 0x10, 0x01, 0x1b, 0x22, 0x01, 0x00, 0x1c, 0x0c, 0x28, 0x09);
    const [field, wire] = r.tag();
    r.skip(field, wire);
    assert.deepEqual(r.tag(), [5, WireType.Varint]);
    assert.equal(r.int32(), 9);
  });

  it('stays within its bounds', () => {
    const buf = Uint8Array.from([0x0a, 0x01, 0x41, 0x10, 0x01]);
    const inner = new WireReader(buf, 2, 3);
    assert.equal(inner.done, false);
    assertMalformed(() => inner.string(), /unexpected end/);
    assertMalformed(() => new WireReader(buf, 3, 9), /bad bounds/);
    assertMalformed(() => reader(0x05, 0x41).span(), /past the end/);
    assertMalformed(() => reader(1, 2).skip(3, WireType.Fixed32), /unexpected end/);
  });
});
