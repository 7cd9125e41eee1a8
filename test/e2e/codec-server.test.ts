import type { NestExpressApplication } from '@nestjs/platform-express';
import { defaultPayloadConverter } from '@temporalio/common';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/app-config';
import { EncryptionCodec } from '../../src/crypto/encryption-codec';
import { createGatewayApp } from '../../src/gateway-app';
import { TEST_ENCRYPTION_KEY, testEnv, TEST_GATEWAY_ENV } from '../support/test-env';

const API_KEY = 'codec-key-0123456789abcdefgh';
const UI_ORIGIN = 'http://localhost:8233';

async function gateway(extra: Record<string, string> = {}) {
  const config = loadConfig(
    {
      ...TEST_GATEWAY_ENV,
      DATABASE_URL: testEnv('databaseUrl'),
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      PROVISIONING_API_KEYS: API_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      CODEC_CORS_ORIGINS: UI_ORIGIN,
      ...extra,
    },
    'gateway',
  );
  const app = await createGatewayApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1/codec` };
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

// Temporal's codec server protocol: POST {payloads: [{metadata: {k: base64}, data: base64}]}.
describe('codec server endpoints', () => {
  let secured: { app: NestExpressApplication; base: string };
  let open: { app: NestExpressApplication; base: string };

  beforeAll(async () => {
    secured = await gateway();
    open = await gateway({ CODEC_AUTH: 'none' });
  });
  afterAll(async () => {
    await secured?.app.close();
    await open?.app.close();
  });

  const post = (url: string, body: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('decodes what the engine encrypted into the JSON payload the workflow saw', async () => {
    const plain = defaultPayloadConverter.toPayload({ tenant_slug: 'acme', contact_email: 'poc@acme.test' });
    const [sealed] = await new EncryptionCodec(Buffer.from(TEST_ENCRYPTION_KEY, 'base64')).encode([plain]);
    const res = await post(`${secured.base}/decode`, {
      payloads: [{ metadata: { encoding: b64(sealed.metadata!.encoding) }, data: b64(sealed.data!) }],
    });
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payloads[0].data, 'base64').toString())).toEqual({
      tenant_slug: 'acme',
      contact_email: 'poc@acme.test',
    });
  });

  it('encodes payloads that its own decode turns back into the same bytes', async () => {
    const payload = { metadata: { encoding: b64(Buffer.from('json/plain')) }, data: b64(Buffer.from('{"a":1}')) };
    const encoded = (await (await post(`${secured.base}/encode`, { payloads: [payload] })).json()) as {
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    };
    expect(Buffer.from(encoded.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(encoded.payloads[0].data).not.toContain(payload.data);
    const decoded = (await (await post(`${secured.base}/decode`, encoded)).json()) as { payloads: unknown[] };
    expect(decoded.payloads).toEqual([payload]);
  });

  it('refuses to decode without an API key, and with CODEC_AUTH=none decodes without one', async () => {
    const body = { payloads: [] };
    expect((await post(`${secured.base}/decode`, body, {})).status).toBe(401);
    expect(
      (await post(`${secured.base}/decode`, body, { authorization: 'Bearer not-a-valid-key-at-all' })).status,
    ).toBe(401);
    expect((await post(`${open.base}/decode`, body, {})).status).toBe(200);
  });

  it('answers 400 to a body that is not a list of base64 payloads', async () => {
    const res = await post(`${secured.base}/decode`, { payloads: [{ data: 42 }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it.each(['encode', 'decode'])(
    '%s answers 400 naming the body to a body that is JSON but no object, and "not valid JSON" to one that is no JSON',
    async (endpoint) => {
      const raw = (text: string) =>
        fetch(`${secured.base}/${endpoint}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
          body: text,
        });
      for (const text of ['[]', '[1,2]', 'null', '"str"', '123', 'true']) {
        const res = await raw(text);
        expect(res.status).toBe(400);
        expect((await res.json()).error.details).toEqual([{ field: 'body', reason: 'body must be a JSON object' }]);
      }
      const broken = await raw('{"payloads": [');
      expect(broken.status).toBe(400);
      expect((await broken.json()).error.details).toEqual([{ field: 'body', reason: 'is not valid JSON' }]);
    },
  );

  it("answers the Web UI's CORS preflight for its origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${secured.base}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const ui = await preflight(UI_ORIGIN);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const decoded = await post(`${secured.base}/decode`, { payloads: [] }, { 'x-api-key': API_KEY, origin: UI_ORIGIN });
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });
});
