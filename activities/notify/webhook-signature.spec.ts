import { signWebhook, verifyWebhook } from './webhook-signature';

const secret = 'whsec-0123456789abcdef0123456789abcdef';
const body = '{"event":"environment.ready"}';

describe('webhook signatures', () => {
  it('signs the timestamp and body with HMAC-SHA256', () => {
    expect(signWebhook(secret, body, 1_700_000_000)).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(signWebhook(secret, body, 1_700_000_000)).not.toBe(signWebhook(secret, body, 1_700_000_001));
  });

  it('verifies a fresh signature of the same body and secret', () => {
    expect(verifyWebhook(secret, body, signWebhook(secret, body, 1000), 1010)).toBe(true);
  });

  it.each([
    ['a tampered body', secret, '{"event":"environment.destroyed"}', 1010],
    ['another secret', 'another-secret-0123456789abcdef0123', body, 1010],
    ['a stale timestamp', secret, body, 1000 + 301],
  ])('refuses %s', (_what, verifySecret, verifyBody, now) => {
    expect(verifyWebhook(verifySecret, verifyBody, signWebhook(secret, body, 1000), now)).toBe(false);
  });

  it('refuses a malformed header', () => {
    expect(verifyWebhook(secret, body, 'garbage', 1000)).toBe(false);
  });
});
