import { createHash, createHmac, hkdfSync } from 'node:crypto';

/**
 * The hashes a request as received may be stored under, the first being the one a new job
 * stores: HMAC-SHA256 with a key derived (HKDF, purpose `request-hash`) from each master key,
 * current first, then retired ones, then the unkeyed SHA-256 that jobs accepted before ADR 20
 * stored. Keys are sorted and request_id left out, so the same request retried hashes the same
 * whatever its key order. Keyed, because the request's other fields rest in clear: a plain
 * hash would let anyone with a database dump confirm a guessed contact e-mail (ADR 20).
 */
export function requestHashesOf(body: object, masterKeys: readonly Buffer[]): string[] {
  const { request_id: _id, ...rest } = body as Record<string, unknown>;
  const text = canonical(rest);
  return [
    ...masterKeys.map((m) => createHmac('sha256', requestHashKey(m)).update(text).digest('hex')),
    createHash('sha256').update(text).digest('hex'),
  ];
}

function requestHashKey(master: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'poc-engine/request-hash', 32));
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
