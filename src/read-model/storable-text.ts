/**
 * What Postgres cannot store, removed from free text before it is written: NUL (refused in
 * text and in jsonb, SQLSTATE 22021 / 22P05) and lone UTF-16 surrogates (refused in jsonb's
 * \u escapes, silently mangled in text). Defence in depth: requests are checked at the API;
 * messages that quote tofu, a webhook or a caller must still never make a write fail.
 */
export function storableText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A JSON value with every string (keys too) made storable; other values as they are. */
export function storableJson<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), clean(v)]));
  }
  return value;
}

/** Whether a database error is a refusal of the data itself (SQLSTATE class 22), which no retry can fix. */
export function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
