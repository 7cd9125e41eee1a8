import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from '../../activities/notify/send-webhook';
import { DomainError } from '../../src/domain/domain-error';
import type { Notification } from '../../src/domain/notification';

/** A real HTTP server on 127.0.0.1 answering every request with `status` (and `location`), counting them. */
async function server(
  status: number,
  location?: string,
): Promise<{ url: string; hits: () => number; stop: () => Promise<void> }> {
  let hits = 0;
  const s: Server = createServer((req, res) => {
    hits += 1;
    req.resume();
    if (location) res.setHeader('location', location);
    res.statusCode = status;
    res.end();
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hooks`,
    hits: () => hits,
    stop: () => new Promise<void>((resolve) => s.close(() => resolve())),
  };
}

const notification: Notification = {
  delivery_id: 'd-1',
  event: 'environment.ready',
  job_id: '00000000-0000-4000-8000-000000000001',
  tenant_id: '00000000-0000-4000-8000-000000000002',
  tenant_slug: 'acme',
  status: 'completed',
  occurred_at: '2026-11-29T12:00:00.000Z',
  expires_at: '2026-12-02T12:00:00.000Z',
};

// Real HTTP over loopback: the signup backend's endpoint redirects elsewhere.
describe('webhook deliveries and redirects', () => {
  it.each([301, 302, 307, 308])(
    'treats a %i answer as a failed delivery and never follows it to the other host',
    async (status) => {
      const elsewhere = await server(204);
      const redirecting = await server(status, elsewhere.url);
      try {
        const attempt = sendWebhook({ url: redirecting.url, secret: 's'.repeat(32), timeoutMs: 10_000 }, notification);
        await expect(attempt).rejects.toBeInstanceOf(DomainError);
        await expect(attempt).rejects.toMatchObject({ code: 'NOTIFY_REJECTED', context: { status } });
        expect(redirecting.hits()).toBe(1);
        expect(elsewhere.hits()).toBe(0);
      } finally {
        await redirecting.stop();
        await elsewhere.stop();
      }
    },
  );
});
