import { DomainError } from '../../src/domain/domain-error';
import type { Notification } from '../../src/domain/notification';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/** Where notifications go; without a URL they are not sent. */
export interface WebhookTarget {
  url?: string;
  secret?: string;
  timeoutMs: number;
}

export type WebhookResult = { sent: true; status: number } | { sent: false; reason: 'no webhook configured' };

/**
 * POSTs one signed notification (Node's built-in fetch). 5xx, 408, 429 and network errors are
 * transient (Temporal retries them); other 4xx answers and redirects (3xx, never followed) are
 * permanent.
 */
export async function sendWebhook(
  target: WebhookTarget,
  n: Notification,
  signal?: AbortSignal,
): Promise<WebhookResult> {
  if (!target.url || !target.secret) return { sent: false, reason: 'no webhook configured' };
  const body = JSON.stringify(n);
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-poc-event': n.event,
        'x-poc-delivery': n.delivery_id,
        [SIGNATURE_HEADER]: signWebhook(target.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      // A redirect could carry the signed notification (personal data) to another host:
      // never followed, and a 3xx answer is a failed delivery.
      redirect: 'manual',
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(target.timeoutMs)])
        : AbortSignal.timeout(target.timeoutMs),
    });
  } catch (err) {
    throw new DomainError('NOTIFY_TRANSIENT', `webhook ${n.event} not delivered: ${(err as Error).message}`);
  }
  await res.body?.cancel();
  if (res.ok) return { sent: true, status: res.status };
  if (res.status >= 300 && res.status < 400) {
    throw new DomainError(
      'NOTIFY_REJECTED',
      `webhook ${n.event} answered ${res.status} (a redirect, which is not followed)`,
      [],
      { status: res.status },
    );
  }
  const transient = res.status >= 500 || res.status === 408 || res.status === 429;
  throw new DomainError(
    transient ? 'NOTIFY_TRANSIENT' : 'NOTIFY_REJECTED',
    `webhook ${n.event} answered ${res.status}`,
    [],
    { status: res.status },
  );
}
