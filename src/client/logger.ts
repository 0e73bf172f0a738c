/**
 * Structured logging for controllers: a constant message and the variable parts as fields, e.g.
 * `log('deleting dependent', { dependent: 'default/web-abc', owner: 'DaemonSet default/web' })`.
 */
export type Logger = (message: string, fields?: Record<string, unknown>) => void;

/** Drops everything; the default when a controller is given no logger. */
export const silentLogger: Logger = () => {};

/** A short printable form of an error for a log field. */
export function errorText(error: unknown): string {
  if (error instanceof AggregateError) return [error.message, ...error.errors.map(errorText)].join('; ');
  if (error instanceof Error) return error.message;
  return String(error);
}
