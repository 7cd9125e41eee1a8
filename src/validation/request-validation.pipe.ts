import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { validationExceptionFactory } from '../errors/validation-exception.factory';
import { DomainError } from '../domain/domain-error';
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
    // Refused before class-transformer walks it: its recursion overflows the stack (a 500)
    // long before the 64 KiB body limit is reached.
    const deep = tooDeep(value);
    if (deep !== null) {
      throw new DomainError('VALIDATION_FAILED', `Invalid request: ${deep}`, [
        { field: deep, reason: `must not be nested more than ${MAX_DEPTH} levels deep` },
      ]);
    }
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    const text = unstorableText(object).map(
      ({ field, reason }): ValidationError => ({
        property: field,
        constraints: { storableText: `${field.split('.').pop()} ${reason}` },
        children: [],
      }),
    );
    return [...errors, ...text];
  }
}
