import type { Payload } from '@temporalio/common';

/** A payload as Temporal's codec server protocol carries it: bytes as base64 strings. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** The body of a codec server request and of its answer. */
export interface CodecBody {
  payloads: JsonPayload[];
}

/** Standard base64 (Temporal's JSON form of bytes); Buffer.from would skip any other character silently. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads a request body; null when it is not `{payloads: [...]}` of base64 strings. */
export function parseCodecBody(body: unknown): Payload[] | null {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) return null;
  const out: Payload[] = [];
  for (const p of payloads as unknown[]) {
    if (typeof p !== 'object' || p === null) return null;
    const { metadata = {}, data } = p as { metadata?: unknown; data?: unknown };
    if (typeof metadata !== 'object' || metadata === null) return null;
    if (data !== undefined && data !== null && (typeof data !== 'string' || !BASE64.test(data))) return null;
    const meta: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string' || !BASE64.test(v)) return null;
      meta[k] = Buffer.from(v, 'base64');
    }
    out.push({ metadata: meta, data: typeof data === 'string' ? Buffer.from(data, 'base64') : undefined });
  }
  return out;
}

/** Writes payloads in the protocol's JSON shape. */
export function toCodecBody(payloads: Payload[]): CodecBody {
  return {
    payloads: payloads.map((p) => {
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
      return { metadata, ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}) };
    }),
  };
}
