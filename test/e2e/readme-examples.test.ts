import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { freePort } from '../../scripts/stack/free-port';
import { loadConfig } from '../../src/config/app-config';
import { createGatewayApp } from '../../src/gateway-app';
import { KEYS } from '../support/gateway';
import { openIsolatedDatabase } from '../support/test-database';
import { TEST_ENCRYPTION_KEY, TEST_GATEWAY_ENV, testEnv } from '../support/test-env';
import { realActivityDeps, startWorker, withStateDatabase, type RunningWorker } from '../support/test-stack';
import { curlBlocks, curlExamples, mismatches, parseAnswerPattern } from './readme-examples.pattern';

const run = promisify(execFile);
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const TASK_QUEUE = 'readme';
// The README's examples talk to the dev stack as a user runs it.
const DEV_ORIGIN = 'http://localhost:8081';

/**
 * Each top-level `curl` answer of a block is appended to $POC_ANSWERS (record separator 0x1e),
 * and the last job_id seen is kept in $POC_JOB_ID, which stands for the README's <job_id>.
 * Calls inside loops and pipelines (subshells) are not examples and are not recorded.
 */
const CURL_RECORDER = String.raw`
curl() {
  local out rc id
  out=$(command curl -w '\n%{http_code}' "$@"); rc=$?
  printf '%s\n' "$out"
  if [ "$BASHPID" = "$$" ]; then
    printf '%s\x1e' "$out" >> "$POC_ANSWERS"
    id=$(printf '%s' "$out" | grep -o '"job_id":"[0-9a-f-]\{36\}"' | head -n1 | cut -d'"' -f4)
    if [ -n "$id" ]; then POC_JOB_ID=$id; fi
  fi
  return $rc
}
`;

/** The block as this run sends it: this stack's origin, fresh tenants, <job_id> from earlier answers. */
function forThisRun(block: string, origin: string): string {
  let text = block.split(DEV_ORIGIN).join(origin);
  for (const [, id] of block.matchAll(/"tenant_id":\s*"([0-9a-f-]{36})"/g)) text = text.split(id).join(randomUUID());
  for (const [, slug] of block.matchAll(/"tenant_slug":\s*"([a-z0-9-]+)"/g)) {
    text = text.replace(new RegExp(`\\b${slug}\\b`, 'g'), `${slug}-${randomBytes(3).toString('hex')}`);
  }
  return text.replaceAll('<job_id>', '${POC_JOB_ID}');
}

// Every curl example of README.md, run with bash against a real stack (gateway, worker,
// Temporal, Postgres, tofu on the local stack) as a user would run it from the project folder;
// each answer must be what its "# →" line shows, so a README that drifts from the API fails.
describe('the README examples', () => {
  let app: NestExpressApplication;
  let worker: RunningWorker;
  let origin: string;
  let userDir: string;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // A database of its own: estimates and job lists then start from nothing, as on a new stack.
    const iso = await openIsolatedDatabase('readme');
    dropDatabase = () => iso.drop();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const config = loadConfig(
      {
        // The examples poll like a user; the caller's rate limit is not under test here.
        ...TEST_GATEWAY_ENV,
        DATABASE_URL: iso.url,
        TEMPORAL_ADDRESS: testEnv('temporalAddress'),
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        PROVISIONING_API_KEYS: KEYS.all,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        PUBLIC_BASE_URL: origin,
      },
      'gateway',
    );
    app = await createGatewayApp(config, { logger: false });
    await app.listen(port, '127.0.0.1');
    expect((app.getHttpServer().address() as AddressInfo).port).toBe(port);
    worker = await startWorker(TASK_QUEUE, withStateDatabase(realActivityDeps(iso.db, TASK_QUEUE), iso.url));
    // The project folder as `npm run dev` leaves it: the API key in .data/dev-api-key.
    userDir = mkdtempSync(join(tmpdir(), 'readme-'));
    mkdirSync(join(userDir, '.data'));
    writeFileSync(join(userDir, '.data/dev-api-key'), `${KEYS.all}\n`);
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await dropDatabase?.();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  it('has curl examples, each with the answer it gets', () => {
    const blocks = curlBlocks(README);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks.flatMap(curlExamples).length).toBeGreaterThanOrEqual(10);
  });

  it('tells a differing answer apart from the one shown', () => {
    const shown = parseAnswerPattern('202 {"status":"queued","job_id":"…","eta":"…m0s","more":[1,…],…}');
    expect(mismatches(shown.body, { status: 'queued', job_id: 'x', eta: '15m0s', more: [1, 2], extra: 1 })).toEqual([]);
    expect(mismatches(shown.body, { status: 'failed', job_id: 'x', eta: 'PT15M', more: [] })).toEqual([
      '$.status: expected "queued", got "failed"',
      '$.eta: expected "…m0s", got "PT15M"',
      '$.more: expected at least 1 elements, got 0',
    ]);
    const closed = parseAnswerPattern('200 {"a":…}');
    expect(mismatches(closed.body, { a: null, b: 2 })).toEqual(['$.b: not shown in the README']);
  });

  it('runs every curl example of README.md and gets the answer shown under it', async () => {
    let jobId = '';
    for (const original of curlBlocks(README)) {
      const block = forThisRun(original, origin);
      const examples = curlExamples(block);
      const answersFile = join(userDir, `answers-${randomUUID()}`);
      writeFileSync(answersFile, '');
      await run('bash', ['-c', `${CURL_RECORDER}\n${block}`], {
        cwd: userDir,
        env: { PATH: process.env.PATH, HOME: userDir, POC_ANSWERS: answersFile, POC_JOB_ID: jobId },
        // Two environments are provisioned and one destroyed: minutes on a loaded machine.
        timeout: 540_000,
        maxBuffer: 16 * 1024 * 1024,
      }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
        // A failing command need not end the block (curl prints the answer anyway): report it.
        throw new Error(`${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
      });
      const answers = readFileSync(answersFile, 'utf8').split('\x1e').slice(0, -1);
      expect(answers).toHaveLength(examples.length);
      examples.forEach((example, i) => {
        const lines = answers[i].split('\n');
        const status = Number(lines.pop());
        const text = lines.join('\n');
        const shown = parseAnswerPattern(example.expected);
        const body: unknown = JSON.parse(text);
        const found =
          status === shown.status ? mismatches(shown.body, body) : [`HTTP ${status}, shown ${shown.status}`];
        // On failure: which example, what it answered, and how that differs from the README.
        expect({ example: example.command, answer: text, differences: found }).toEqual({
          example: example.command,
          answer: text,
          differences: [],
        });
        jobId = /"job_id":"([0-9a-f-]{36})"/.exec(text)?.[1] ?? jobId;
      });
    }
  }, 1_200_000);
});
