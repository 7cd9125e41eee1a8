/** Names of the variables global-setup hands to the test files (Jest workers inherit them). */
export const TEST_ENV = {
  databaseUrl: 'POC_TEST_DATABASE_URL',
  temporalAddress: 'POC_TEST_TEMPORAL_ADDRESS',
  runDir: 'POC_TEST_RUN_DIR',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value)
    throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (global-setup starts the stack)`);
  return value;
}

/** Test-only master key (never used outside tests); fixed so recorded histories stay decodable. */
export const TEST_ENCRYPTION_KEY = Buffer.from('poc-engine-test-key-not-a-secret').toString('base64');

/**
 * Configuration every test gateway gets: a per-caller rate limit and a failed-authentication
 * limit far above anything a test sends, so that no test's own polling (every 200 ms, for
 * minutes on a slow machine) or its refused keys meet a limit meant for callers. The counters
 * live in the run's shared database: the rate-limit tests set low limits on their own gateways
 * and use keys and client addresses of their own.
 */
export const TEST_GATEWAY_ENV: Readonly<Record<string, string>> = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_FAILURE_LIMIT: '1000000',
};
