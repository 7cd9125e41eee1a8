import type { ValidationError } from 'class-validator';
import { fieldIssues, validationExceptionFactory } from './validation-exception.factory';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []) =>
  ({ property, constraints, children }) as ValidationError;

describe('validation errors', () => {
  const tree = [
    error('tenant_slug', { matches: 'must be a DNS label', isString: 'must be a string' }),
    error('poc_config', undefined, [error('poc_tier', { isIn: 'must be one of standard, professional, enterprise' })]),
  ];

  it('flattens nested errors into dotted fields, one issue per constraint', () => {
    expect(fieldIssues(tree)).toEqual([
      { field: 'tenant_slug', reason: 'must be a DNS label' },
      { field: 'tenant_slug', reason: 'must be a string' },
      { field: 'poc_config.poc_tier', reason: 'must be one of standard, professional, enterprise' },
    ]);
  });

  it('joins every level of a deeper tree into the dotted path', () => {
    const deep = [error('a', undefined, [error('b', undefined, [error('c', { isInt: 'c must be an integer' })])])];
    expect(fieldIssues(deep)).toEqual([{ field: 'a.b.c', reason: 'c must be an integer' }]);
  });

  it('becomes a VALIDATION_FAILED domain error naming each field once', () => {
    const err = validationExceptionFactory(tree);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('Invalid request: tenant_slug, poc_config.poc_tier');
    expect(err.details).toHaveLength(3);
  });
});
