// Offline check of the test suite itself: every gateway a test starts (in process through
// createGatewayApp, or as a process from dist/src/main.js) gets TEST_GATEWAY_ENV, whose rate
// limit no test's own polling can meet. A slow machine polls longer, not faster, so a test
// that polled a gateway with the callers' default limit failed only under load (issue 16,
// item 10). The rate-limit test keeps a low limit of its own on top of it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const testRoot = join(__dirname, '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Whether a test file starts a gateway of its own rather than through startGateway(). */
function startsItsOwnGateway(source: string): boolean {
  return source.includes('createGatewayApp(') || /dist\/src\/main\.js/.test(source);
}

describe('test gateways', () => {
  const files = tsFiles(testRoot).filter((f) => !f.includes(`${join('test', 'static')}`));

  it('are all started with the test rate limit, so no test polling meets a limit meant for callers', () => {
    const own = files.filter((f) => startsItsOwnGateway(readFileSync(f, 'utf8')));
    expect(own.length).toBeGreaterThan(0);
    const without = own.filter((f) => !readFileSync(f, 'utf8').includes('TEST_GATEWAY_ENV'));
    expect(without.map((f) => relative(testRoot, f))).toEqual([]);
  });

  it('started through startGateway() get the test rate limit unless a test asks for its own', () => {
    const source = readFileSync(join(testRoot, 'support', 'gateway.ts'), 'utf8');
    expect(source).toMatch(/\.\.\.TEST_GATEWAY_ENV,[\s\S]*\.\.\.env,/);
  });
});
