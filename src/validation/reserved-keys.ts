import type { FieldIssue } from '../domain/domain-error';

// Property names that plain JavaScript objects already answer to. class-transformer skips them
// when it builds a DTO, so the whitelist never sees them: `{"__proto__": {...}}` or
// `{"constructor": 1}` would be dropped in silence instead of refused as unknown fields.
const RESERVED = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * Every property of a parsed request (at every depth, array items included) whose name is one
 * that objects inherit (`__proto__`, `constructor`, `toString`, ...), named by its dotted path.
 * No DTO declares such a field, so each is an unknown field: refused, never dropped.
 * Iterative, so any depth is safe to walk.
 */
export function reservedKeys(value: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: '' }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const key of Object.keys(v)) {
      const field = path ? `${path}.${key}` : key;
      if (RESERVED.has(key)) issues.push({ field, reason: `property ${key} should not exist` });
      else stack.push({ v: (v as Record<string, unknown>)[key], path: field });
    }
  }
  return issues;
}
