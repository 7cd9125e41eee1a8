import { registerDecorator, type ValidationOptions } from 'class-validator';

/** The value is an ISO-8601 instant later than now (and than `minLeadSeconds` from now). */
export function IsFutureInstant(minLeadSeconds = 0, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isFutureInstant',
      target: target.constructor,
      propertyName,
      constraints: [minLeadSeconds],
      options: { message: `$property must be at least ${minLeadSeconds} s in the future`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          const t = Date.parse(value);
          return Number.isFinite(t) && t > Date.now() + minLeadSeconds * 1000;
        },
      },
    });
}
