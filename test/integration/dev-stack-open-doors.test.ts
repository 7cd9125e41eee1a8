import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { freePort, isListening } from '../../scripts/stack/free-port';
import { projectRoot } from '../../scripts/stack/project-paths';
import { DEV_LAUNCHER_KEY, devLauncherEnv, startDevLauncher, type DevLauncher } from '../support/dev-launcher';
import { testEnv } from '../support/test-env';

const JWT = {
  issuer: 'https://ops.dev.test',
  audience: 'poc-engine-dev',
  secret: 'dev-stack-jwt-secret-0123456789abcdef',
};

/** An IPv4 address of this machine other than loopback, if it has one. */
const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const token = (scope: string) =>
  new SignJWT({ scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('ops-console')
    .setIssuer(JWT.issuer)
    .setAudience(JWT.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(JWT.secret));

// Issue 11, item 3: `npm run dev` served everything on every interface with CODEC_AUTH=none, so
// anyone on the network could decode a payload from the Temporal history. Now it listens on
// 127.0.0.1 only, the codec endpoints take credentials, and the Web UI decodes through the
// launcher's relay, which adds the dev key.
describe('the dev stack', () => {
  let launcher: DevLauncher | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const dataDir = join(testEnv('runDir'), 'dev-stack-open-doors');
    mkdirSync(dataDir, { recursive: true });
    env = await devLauncherEnv(dataDir, {
      METRICS_PORT: String(await freePort()),
      JWT_ISSUER: JWT.issuer,
      JWT_AUDIENCE: JWT.audience,
      JWT_SECRET: JWT.secret,
    });
    launcher = startDevLauncher(projectRoot(), env, join(dataDir, 'launcher.log'));
    await launcher.up;
  }, 300_000);
  afterAll(async () => {
    if (!launcher) return;
    launcher.interrupt();
    await launcher.exited;
  }, 120_000);

  const ports = () => ({
    gateway: Number(env.PORT),
    'Temporal frontend': Number(env.TEMPORAL_PORT),
    'Temporal UI': Number(env.TEMPORAL_UI_PORT),
    Postgres: Number(env.EMBEDDED_PG_PORT),
    'worker metrics': Number(env.METRICS_PORT),
  });

  /** The codec endpoint the launcher gave the Web UI (its settings, as the browser reads them). */
  const uiCodecEndpoint = async () => {
    const res = await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/api/v1/settings`);
    return ((await res.json()) as { Codec?: { Endpoint?: string } }).Codec?.Endpoint ?? '';
  };

  it('answers on 127.0.0.1 on every port it serves', async () => {
    expect((await fetch(`http://127.0.0.1:${env.PORT}/api/v1/health`)).status).toBe(200);
    for (const [name, port] of Object.entries(ports())) expect([name, await isListening(port)]).toEqual([name, true]);
  });

  (otherAddress ? it : it.skip)(
    `does not answer on the machine's other address${otherAddress ? '' : ' (skipped: this machine has no non-loopback IPv4 address)'}`,
    async () => {
      const address = otherAddress as string;
      const relayPort = Number(new URL(await uiCodecEndpoint()).port);
      for (const [name, port] of Object.entries({ ...ports(), 'codec relay': relayPort })) {
        expect([name, await isListening(port, address)]).toEqual([name, false]);
      }
    },
  );

  it('refuses to decode without credentials (401), with a JWT lacking the credentials scope (403), and decodes with one holding it', async () => {
    const decode = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${env.PORT}/api/v1/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ payloads: [] }),
      });
    expect((await decode({})).status).toBe(401);
    expect((await decode({ authorization: `Bearer ${await token('read provision')}` })).status).toBe(403);
    expect((await decode({ authorization: `Bearer ${await token('read credentials')}` })).status).toBe(200);
    expect((await decode({ 'x-api-key': DEV_LAUNCHER_KEY })).status).toBe(200);
  });

  it("gives the Web UI a loopback codec endpoint that adds the dev key, for the UI's origin", async () => {
    const endpoint = await uiCodecEndpoint();
    expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    const origin = `http://localhost:${env.TEMPORAL_UI_PORT}`;
    const res = await fetch(`${endpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await res.json()).toEqual({ payloads: [] });
    // It relays the codec calls only: the dev key it adds opens nothing else of the API.
    expect((await fetch(`${endpoint}/api/v1/provisioning/jobs`)).status).toBe(404);
    expect((await fetch(`${endpoint}/decode`)).status).toBe(404);
  });
});
