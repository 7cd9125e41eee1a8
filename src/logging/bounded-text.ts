/** The longest piece of a caller's input a log line or an error answer may carry (characters). */
export const INPUT_IN_LOG_MAX = 200;

/**
 * The longest string any log field may hold (characters): a safety net below the targeted
 * bounds, large enough for a stack trace's first frames.
 */
export const LOG_FIELD_MAX = 4096;

/**
 * `text` cut to `max` code points, marked with how much was left out; shorter text is unchanged.
 * Cuts between code points, never inside a surrogate pair.
 */
export function boundedText(text: string, max = INPUT_IN_LOG_MAX): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, max).join('')}…(${points.length - max} more characters)`;
}

/**
 * A log object whose strings, at any depth up to 4, are bounded by LOG_FIELD_MAX. Objects that
 * are not plain (errors, buffers) are left to pino's serializers.
 */
export function boundedLogFields<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return boundedText(value, LOG_FIELD_MAX) as T;
  if (depth >= 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => boundedLogFields(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = boundedLogFields(v, depth + 1);
  return out as T;
}
