/**
 * The two ways the upstream API server answers a patch failure that is not a plain 400, so that each
 * format can fail exactly as upstream does.
 */

import { StatusError } from '../../api/errors.js';

/** Upstream's fixed text for a 422 built by `NewGenericServerResponse`; the cause is not sent. */
export const genericUnprocessableMessage = 'the server rejected our request due to an error in our request';

/**
 * 422 Invalid with upstream's generic message and empty details, as `patch.go` answers when a JSON
 * patch operation cannot apply or a strategic patch nests lists. Upstream drops the underlying error
 * text from the response; it is kept here as the `cause` so it can be logged and tested.
 */
export function unprocessablePatch(detail: string): StatusError {
  return new StatusError(
    { code: 422, reason: 'Invalid', message: genericUnprocessableMessage, details: {} },
    { cause: new Error(detail) },
  );
}

/**
 * 500 with no reason and the error text as the message: how upstream answers an error that is not a
 * Status (most strategic merge patch failures, such as a missing merge key). kubectl prints it as
 * `Error from server: <message>`.
 */
export function unclassifiedError(message: string): StatusError {
  return new StatusError({ code: 500, message });
}
