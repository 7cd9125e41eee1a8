import { ValidationPipe } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { validationExceptionFactory } from '../errors/validation-exception.factory';
import { unstorableText } from './storable-text';

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
