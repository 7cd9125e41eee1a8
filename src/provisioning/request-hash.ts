import { createHash } from 'node:crypto';

/**
 * SHA-256 of a request as received, keys sorted and request_id left out: the same request
 * retried hashes the same whatever its key order.
 */
export function requestHashOf(body: object): string {
  const { request_id: _id, ...rest } = body as Record<string, unknown>;
  return createHash('sha256').update(canonical(rest)).digest('hex');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
