/**
 * The one error type that travels from the store to the wire: a Kubernetes `Status`.
 *
 * Everything that can fail in a way a client should see throws a `StatusError`; the API server turns it
 * into a response in exactly one place, and the HTTP client rebuilds the same class from a response body,
 * so callers see one vocabulary in-process and over HTTP.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'NotImplemented'
  | 'ServiceUnavailable'
  | 'Timeout';

/** Upstream's field error types (k8s.io/apimachinery/pkg/util/validation/field), as they appear in causes. */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;

  constructor(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'> & { status?: 'Failure' }, options?: { cause?: unknown }) {
    super(status.message ?? status.reason ?? `status ${status.code}`, options);
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

/** A group and plural resource, as it appears in messages: `daemonsets.apps`, or `pods` for the core group. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResource({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 404,
    reason: 'NotFound',
    message: `${qualifiedResource(gr)} "${name}" not found`,
    details: { name, group: gr.group || undefined, kind: gr.resource },
  });
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualifiedResource(gr)} "${name}" already exists`,
    details: { name, group: gr.group || undefined, kind: gr.resource },
  });
}

/** 409 Conflict, as for a stale resourceVersion: `Operation cannot be fulfilled on daemonsets.apps "x": <why>`. */
export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
    details: { name, group: gr.group || undefined, kind: gr.resource },
  });
}

export const staleObjectMessage = 'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): StatusError {
  return new StatusError({ code: 400, reason: 'BadRequest', message });
}

export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const target = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return new StatusError({
    code: 403,
    reason: 'Forbidden',
    message: `${target} is forbidden: ${why}`,
    details: { name: name || undefined, group: gr.group || undefined, kind: gr.resource },
  });
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): StatusError {
  return new StatusError({ code: 405, reason: 'MethodNotAllowed', message, details: {} });
}

export function notImplemented(message: string): StatusError {
  return new StatusError({ code: 501, reason: 'NotImplemented', message });
}

export function internalError(message: string, cause?: unknown): StatusError {
  return new StatusError(
    { code: 500, reason: 'InternalError', message: `Internal error occurred: ${message}`, details: { causes: [{ message }] } },
    { cause },
  );
}

export function tooLarge(message = 'Request entity too large: limit is 3145728'): StatusError {
  return new StatusError({ code: 413, reason: 'RequestEntityTooLarge', message });
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError({ code: 415, reason: 'UnsupportedMediaType', message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf; got ${contentType}` });
}

export function tooManyRequests(message: string, retryAfterSeconds?: number): StatusError {
  return new StatusError({ code: 429, reason: 'TooManyRequests', message, details: retryAfterSeconds ? { retryAfterSeconds } : {} });
}

/** 410 Expired for a watch or list from a resourceVersion older than the history kept. */
export function expired(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Expired', message });
}

// ---------------------------------------------------------------------------------------------
// Field errors (validation) and 422 Invalid.

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indices and map keys as upstream prints them: `spec.template.spec.containers[0].name`. */
  field: string;
  /** The offending value, printed in the message for Invalid / NotSupported / Duplicate / TooLong. */
  badValue?: unknown;
  /** Free-text detail after the type, e.g. `must be greater than or equal to 0`. */
  detail?: string;
  /** Whether badValue is printed at all (upstream omits it for some errors). */
  omitValue?: boolean;
}

function formatBadValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

const fieldErrorTypeText: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotFound: 'Not found',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The message of one cause without its field path, e.g. `Invalid value: -1: must be greater than or equal to 0`. */
export function fieldErrorBody(error: FieldError): string {
  const parts = [fieldErrorTypeText[error.type]];
  const showsValue =
    !error.omitValue &&
    error.badValue !== undefined &&
    ['FieldValueInvalid', 'FieldValueNotSupported', 'FieldValueDuplicate', 'FieldValueNotFound', 'FieldValueTypeInvalid'].includes(error.type);
  if (showsValue) parts.push(formatBadValue(error.badValue));
  if (error.detail) parts.push(error.detail);
  return parts.join(': ');
}

/** `spec.selector: Required value` */
export function fieldErrorMessage(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

export const fieldErrors = {
  required: (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, badValue: unknown, detail?: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail }),
  notSupported: (field: string, badValue: unknown, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    badValue,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  duplicate: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue }),
  notFound: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue }),
  tooLong: (field: string, maxLength: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `may not be more than ${maxLength} bytes` }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field, detail: `must have at most ${max} items`, badValue: actual, omitValue: true }),
};

/**
 * 422 Invalid with one cause per field error. kubectl prints
 * `The DaemonSet "x" is invalid:` followed by `* <cause message>` lines.
 */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  // The summary lists each message once (upstream's ToAggregate); the causes keep every error.
  const messages = [...new Set(errors.map(fieldErrorMessage))];
  const summary = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
  const kindText = group ? `${kind}.${group}` : kind;
  return new StatusError({
    code: 422,
    reason: 'Invalid',
    message: `${kindText} "${name}" is invalid: ${summary}`,
    details: {
      name,
      group: group || undefined,
      kind,
      causes: errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
    },
  });
}

export const isNotFound = (e: unknown): boolean => e instanceof StatusError && e.status.reason === 'NotFound';
export const isAlreadyExists = (e: unknown): boolean => e instanceof StatusError && e.status.reason === 'AlreadyExists';
export const isConflict = (e: unknown): boolean => e instanceof StatusError && e.status.reason === 'Conflict';
export const isInvalid = (e: unknown): boolean => e instanceof StatusError && e.status.reason === 'Invalid';
export const isGone = (e: unknown): boolean => e instanceof StatusError && (e.status.code === 410);
