// The Go client (clients/go) builds, is `go vet` clean and passes its unit tests, which need
// no network (a local httptest server plays the engine). Its integration test is skipped
// here (no engine variables); test/e2e/go-client.test.ts runs it against the running stack.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const goModule = join(__dirname, '..', '..', 'clients', 'go');

function go(args: string[]): string {
  const env = { ...process.env };
  delete env.POC_ENGINE_BASE_URL;
  delete env.POC_ENGINE_API_KEY;
  try {
    return execFileSync('go', args, { cwd: goModule, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`go ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('the Go client module', () => {
  it('is go vet clean', () => {
    expect(go(['vet', './...'])).toBe('');
  });

  it('passes its unit tests and skips the integration test without a running engine', () => {
    const out = go(['test', '-count=1', '-v', './...']);
    expect(out).toMatch(/--- PASS: TestSubmitRetriesLostAnswersUnderOneIdempotencyKey/);
    expect(out).toMatch(/--- PASS: TestConvertSignupFollowsTheSeedsRules/);
    expect(out).toMatch(/--- SKIP: TestAgainstTheRunningEngineASignupIsProvisionedThenDestroyed/);
    expect(out).not.toMatch(/--- FAIL/);
  });
});
