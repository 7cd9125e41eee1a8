import { isISO8601, registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * An RFC 3339 instant: date, time and an explicit offset (Z or ±hh:mm), e.g.
 * 2026-12-06T09:26:48Z or 2026-12-06T10:26:48.5+01:00. A date-time without an offset names no
 * instant (it would be read in the host's time zone), so it is refused. The offset is one a
 * place can have (at most 14 hours): RFC 3339's grammar allows up to ±23:59, but Postgres
 * refuses offsets beyond ±15:59, so a wider one would reach the database and fail there.
 */
const RFC3339_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

export const INSTANT_RULE =
  'must be an RFC 3339 instant with an offset (Z or ±hh:mm, at most ±14:00), such as 2026-12-06T09:26:48Z';

/** Whether `value` is an RFC 3339 instant with an offset and a real calendar date and time. */
export function isInstant(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    RFC3339_INSTANT.test(value) &&
    isISO8601(value, { strict: true, strictSeparator: true }) &&
    Number.isFinite(Date.parse(value))
  );
}

/** The property is an RFC 3339 instant with an offset (isInstant); every instant the API takes uses this. */
export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: { message: `$property ${INSTANT_RULE}`, ...options },
      validator: { validate: (value: unknown) => isInstant(value) },
    });
}
