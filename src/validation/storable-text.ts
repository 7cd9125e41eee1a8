import type { FieldIssue } from '../domain/domain-error';

// What Postgres (text, jsonb) and JSON can store faithfully, checked for every string a caller
// sends before anything is written: Postgres refuses U+0000 in text and jsonb, a lone UTF-16
// surrogate has no UTF-8 form (it would be stored as U+FFFD, not as sent), and control
// characters corrupt logs, labels and file names downstream.

/** Longest string any field may hold; fields document tighter limits of their own. */
export const MAX_TEXT_LENGTH = 2000;

/** Deepest nesting of objects and arrays a request may have. */
export const MAX_DEPTH = 16;

/** `strict`: no control characters at all. `free`: documented free text, which may hold tab, CR and LF. */
export type TextKind = 'strict' | 'free';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls, DEL and C1 controls; free text keeps tab, LF and CR. Matching control
// characters is the point of these two expressions.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_FREE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Why `value` cannot be stored as sent, or null when it can. */
export function textProblem(value: string, kind: TextKind): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain an unpaired UTF-16 surrogate (not valid Unicode text)';
  if ((kind === 'free' ? CONTROL_IN_FREE_TEXT : CONTROL).test(value)) {
    return kind === 'free'
      ? 'must not contain control characters other than tab, line feed and carriage return'
      : 'must not contain control characters (U+0000-U+001F, U+007F-U+009F)';
  }
  if (value.length > MAX_TEXT_LENGTH) return `must be at most ${MAX_TEXT_LENGTH} characters`;
  return null;
}

const freeTextFields = new WeakMap<object, Set<string>>();

/**
 * Marks a DTO property as documented free text (names, reasons): it may hold tab, CR and LF.
 * Every other string of a request is `strict`. NUL and lone surrogates are refused in both.
 */
export function FreeText(): PropertyDecorator {
  return (target, property) => {
    const ctor = target.constructor;
    const fields = freeTextFields.get(ctor) ?? new Set<string>();
    fields.add(String(property));
    freeTextFields.set(ctor, fields);
  };
}

function kindOf(owner: object, key: string): TextKind {
  const parent = (o: object) => Object.getPrototypeOf(o) as object | null;
  for (let proto = parent(owner); proto; proto = parent(proto)) {
    if (freeTextFields.get(proto.constructor)?.has(key)) return 'free';
  }
  return 'strict';
}

/**
 * Every string of a request (a DTO instance or plain data, at every depth, array items
 * included) that cannot be stored as sent, named by its dotted path. A string in an array is
 * named by its array (as class-validator's `each` rules name it), with the index in the
 * reason; an object in an array by the array and the index (`list.0.name`).
 */
export function unstorableText(value: unknown, path = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const visit = (v: unknown, field: string, kind: TextKind, depth: number, item: string): void => {
    if (typeof v === 'string') {
      const problem = textProblem(v, kind);
      if (problem) issues.push({ field: field || '(body)', reason: item + problem });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= MAX_DEPTH) {
      issues.push({ field: field || '(body)', reason: `must not be nested more than ${MAX_DEPTH} levels deep` });
      return;
    }
    if (Array.isArray(v)) {
      // Strings are named by their array, as `each` rules name them; objects by their index.
      v.forEach((entry, i) =>
        typeof entry === 'string'
          ? visit(entry, field, kind, depth + 1, `item ${i} `)
          : visit(entry, `${field}.${i}`, kind, depth + 1, ''),
      );
      return;
    }
    for (const [key, entry] of Object.entries(v)) {
      const name = field ? `${field}.${key}` : key;
      const keyProblem = textProblem(key, 'strict');
      if (keyProblem) {
        issues.push({ field: field || '(body)', reason: `a property name ${keyProblem}` });
        continue;
      }
      visit(entry, name, kindOf(v, key), depth + 1, '');
    }
  };
  visit(value, path, 'strict', 0, '');
  return issues;
}

/** The path of the first place `value` nests deeper than MAX_DEPTH, or null; iterative, so any depth is safe to check. */
export function tooDeep(value: unknown): string | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return path || '(body)';
    for (const [key, entry] of Object.entries(v)) {
      stack.push({ v: entry, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}
