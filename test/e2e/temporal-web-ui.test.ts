import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startCodecRelay, type CodecRelay } from '../../scripts/stack/codec-relay';
import { freePort } from '../../scripts/stack/free-port';
import { dataPath, toolPath } from '../../scripts/stack/project-paths';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/stack/temporal-dev-server';
import { loadConfig } from '../../src/config/app-config';
import { createGatewayApp } from '../../src/gateway-app';
import { aProvisionRequest } from '../support/requests';
import { TEST_ENCRYPTION_KEY, testEnv, TEST_GATEWAY_ENV } from '../support/test-env';

const API_KEY = 'webui-key-0123456789abcdefg';
/** The system Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = dataPath('test-artifacts');

// A dev stack as `npm run dev` wires it: a Temporal dev server with its Web UI, whose codec
// endpoint is the launcher's relay, which adds the dev key on the way to the gateway's codec
// endpoints (they take credentials, as in production). No worker: the run waits for one, which
// is all the UI needs to list it.
describe('the Temporal Web UI of a dev stack', () => {
  let temporal: TemporalDevServer;
  let app: NestExpressApplication;
  let relay: CodecRelay;
  let browser: Browser;
  let api: string;
  let uiUrl: string;

  beforeAll(async () => {
    const [temporalPort, uiPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
    uiUrl = `http://127.0.0.1:${uiPort}`;
    const config = loadConfig(
      {
        ...TEST_GATEWAY_ENV,
        PORT: String(gatewayPort),
        DATABASE_URL: testEnv('databaseUrl'),
        TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
        TEMPORAL_TASK_QUEUE: 'web-ui',
        PROVISIONING_API_KEYS: API_KEY,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        CODEC_CORS_ORIGINS: uiUrl,
      },
      'gateway',
    );
    app = await createGatewayApp(config, { logger: false });
    await app.listen(gatewayPort, '127.0.0.1');
    api = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
    relay = await startCodecRelay({ host: '127.0.0.1', target: `${api}/codec`, apiKey: API_KEY });
    temporal = await startTemporalDevServer({
      binary: toolPath('temporal'),
      port: temporalPort,
      uiPort,
      logFile: join(testEnv('runDir'), 'temporal-web-ui.log'),
      codecEndpoint: relay.url,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await relay?.close();
    await temporal?.stop();
  });

  it('finds a run by its TenantSlug, shows its input decoded by the codec endpoint, and saves a screenshot', async () => {
    const request = aProvisionRequest();
    const res = await fetch(`${api}/provisioning/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(request),
    });
    expect(res.status).toBe(202);
    const workflowId = `poc-${request.tenant_id}`;

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'temporal-web-ui-run.png');
    try {
      // Search attributes are indexed shortly after the start: reload the search until it lists the run.
      const query = encodeURIComponent(`TenantSlug="${request.tenant_slug}"`);
      const deadline = Date.now() + 60_000;
      for (;;) {
        await page.goto(`${uiUrl}/namespaces/default/workflows?query=${query}`);
        // The app renders after its scripts load (slow on a cold, busy machine); then the list.
        await page
          .getByText(/\d+ Workflows?/)
          .first()
          .waitFor({ timeout: 30_000 });
        const found = page.getByRole('link', { name: workflowId }).first();
        const listed = await found.waitFor({ state: 'visible', timeout: 5000 }).then(
          () => true,
          () => false,
        );
        if (listed) {
          await found.click();
          break;
        }
        if (Date.now() > deadline) throw new Error(`the Web UI did not list ${workflowId}`);
      }
      // The input is encrypted in Temporal: readable text here means the UI went through the codec.
      await page.getByText(request.company_info.company_name).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: screenshot, fullPage: true });
    } catch (err) {
      await page.screenshot({ path: join(ARTIFACTS, 'temporal-web-ui-failure.png'), fullPage: true });
      throw err;
    }
    expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(10_000);
  });
});
