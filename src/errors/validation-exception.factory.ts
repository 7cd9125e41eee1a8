import type { ValidationError } from 'class-validator';
import { DomainError, type FieldIssue } from '../domain/domain-error';

/** Flattens class-validator's tree into one issue per failed constraint, with dotted field paths. */
export function fieldIssues(errors: ValidationError[], parent = ''): FieldIssue[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...fieldIssues(e.children ?? [], field)];
  });
}

/** ValidationPipe's exceptionFactory: a coded domain error naming every bad field. */
export function validationExceptionFactory(errors: ValidationError[]): DomainError {
  const details = fieldIssues(errors);
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return new DomainError('VALIDATION_FAILED', `Invalid request: ${fields}`, details);
}
