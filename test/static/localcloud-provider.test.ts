// The local cloud's provider (providers/localcloud, ADR 25) builds, is `go vet` clean and passes
// its unit tests (a temporary cloud directory each; tofu drives it in the integration tests).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const goModule = join(__dirname, '..', '..', 'providers', 'localcloud');

function go(args: string[]): string {
  try {
    return execFileSync('go', args, { cwd: goModule, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`go ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('the localcloud provider module', () => {
  it('is go vet clean', () => {
    expect(go(['vet', './...'])).toBe('');
  });

  it('passes its unit tests', () => {
    const out = go(['test', '-count=1', '-v', './...']);
    expect(out).toMatch(/--- PASS: TestCreateOfATakenNameAnswers409NamingTheObjectsPath/);
    expect(out).toMatch(/--- PASS: TestReadOfAnObjectDeletedOutsideTofuRemovesItFromState/);
    expect(out).toMatch(/--- PASS: TestConfiguredFaultsFailEachObjectsCallCountTimesThenLetItThrough/);
    expect(out).not.toMatch(/--- FAIL/);
  });
});
