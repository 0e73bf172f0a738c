import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../client/index.js';
import { ControllerExpectations, expectationsTimeoutMs } from './expectations.js';

describe('ControllerExpectations', () => {
  it('is satisfied for an unknown key', () => {
    assert.ok(new ControllerExpectations(new FakeClock()).satisfiedExpectations('ns/ds'));
  });
  it('waits until every create and delete is observed', () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.setExpectations('ns/ds', 2, 1);
    assert.ok(!expectations.satisfiedExpectations('ns/ds'));
    expectations.creationObserved('ns/ds');
    expectations.creationObserved('ns/ds');
    assert.ok(!expectations.satisfiedExpectations('ns/ds'));
    expectations.deletionObserved('ns/ds');
    assert.ok(expectations.satisfiedExpectations('ns/ds'));
    assert.deepEqual(expectations.get('ns/ds'), { add: 0, del: 0 });
  });
  it('observations beyond the expected count leave it satisfied', () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.expectCreations('ns/ds', 1);
    expectations.creationObserved('ns/ds');
    expectations.creationObserved('ns/ds');
    assert.ok(expectations.satisfiedExpectations('ns/ds'));
  });
  it('expires after five minutes', () => {
    const clock = new FakeClock(1000);
    const expectations = new ControllerExpectations(clock);
    expectations.expectDeletions('ns/ds', 3);
    clock.advance(expectationsTimeoutMs);
    assert.ok(!expectations.satisfiedExpectations('ns/ds'));
    clock.advance(1);
    assert.ok(expectations.satisfiedExpectations('ns/ds'));
  });
  it('lowerExpectations and deleteExpectations', () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.setExpectations('ns/ds', 5, 0);
    expectations.lowerExpectations('ns/ds', 5, 0);
    assert.ok(expectations.satisfiedExpectations('ns/ds'));
    expectations.setExpectations('ns/ds', 1, 0);
    expectations.deleteExpectations('ns/ds');
    assert.equal(expectations.get('ns/ds'), undefined);
    assert.ok(expectations.satisfiedExpectations('ns/ds'));
  });
});
