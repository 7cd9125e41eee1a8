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
