import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrors, invalid } from './errors.js';

describe('invalid()', () => {
  const negative = fieldErrors.invalid('spec.minReadySeconds', -1, 'must be greater than or equal to 0');
  const required = fieldErrors.required('spec.selector');

  it('names one error without brackets, several in brackets, in order', () => {
    assert.equal(invalid('DaemonSet', 'apps', 'a', [negative]).status.message, 'DaemonSet.apps "a" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(
      invalid('Pod', '', 'p', [required, negative]).status.message,
      'Pod "p" is invalid: [spec.selector: Required value, spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0]',
    );
  });

  it('lists a repeated error once in the message but keeps every cause, as upstream', () => {
    // An update is validated as a whole and then as an update, so the same error can come twice.
    const error = invalid('DaemonSet', 'apps', 'a', [negative, { ...negative }]);
    assert.equal(error.status.message, 'DaemonSet.apps "a" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(error.status.details?.causes?.length, 2);
  });
});
