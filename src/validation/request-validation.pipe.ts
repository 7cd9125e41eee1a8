import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { validationExceptionFactory } from '../errors/validation-exception.factory';
import { DomainError, type FieldIssue } from '../domain/domain-error';
import { reservedKeys } from './reserved-keys';
import { MAX_DEPTH, tooDeep, unstorableText } from './storable-text';

/**
 * The API's one validation pipe for bodies and queries: the DTOs' own rules, plus the check
 * that every string at every depth can be stored as sent (storable-text.ts). It lives here,
 * not on each DTO field, so a field added later cannot forget it. Unknown fields are refused.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // The parser takes any JSON (strict: false, gateway-app.ts) so that `null`, `"str"` or `1`
    // are not called invalid JSON; every body is an object, though: an array would otherwise be
    // read as an empty request (its items as fields "0", "1"), `null` as `{}` by the ValidationPipe.
    // No body at all (undefined) stays the DTO's business: destroy and cancel take none.
    if (metadata.type === 'body' && metadata.data === undefined && value !== undefined && !isJsonObject(value))
      refuse([named({ field: 'body', reason: 'must be a JSON object' })]);
    // Refused before class-transformer walks it: its recursion overflows the stack (a 500)
    // long before the 64 KiB body limit is reached.
    const deep = tooDeep(value);
    if (deep !== null)
      refuse([named({ field: deep, reason: `must not be nested more than ${MAX_DEPTH} levels deep` })]);
    // Inherited names (`__proto__`, `constructor`, ...) would be dropped by class-transformer
    // before the whitelist sees them: refused here as the unknown fields they are.
    if (metadata.type === 'body' || metadata.type === 'query') {
      const reserved = reservedKeys(value);
      if (reserved.length > 0) refuse(reserved);
    }
    // A body or query without a DTO class (typed `unknown`) gets no DTO rules, but its strings
    // are still checked, all as strict text: an endpoint added without a DTO cannot skip this.
    if ((metadata.type === 'body' || metadata.type === 'query') && !this.toValidate(metadata)) {
      const issues = unstorableText(value).map(named);
      if (issues.length > 0) refuse(issues);
    }
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    const text = unstorableText(object)
      .map(named)
      .map(
        ({ field, reason }): ValidationError => ({
          property: field,
          constraints: { storableText: reason },
          children: [],
        }),
      );
    return [...errors, ...text];
  }
}

/** A JSON object: not null, not an array, not a primitive. */
function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reason led by the property's name, as class-validator's own messages are. */
function named({ field, reason }: FieldIssue): FieldIssue {
  return { field, reason: `${field.split('.').pop()} ${reason}` };
}

function refuse(issues: FieldIssue[]): never {
  const fields = [...new Set(issues.map((i) => i.field))].join(', ');
  throw new DomainError('VALIDATION_FAILED', `Invalid request: ${fields}`, issues);
}
