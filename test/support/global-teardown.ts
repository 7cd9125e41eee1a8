/** Stops what global-setup started (same process, so the handle is on globalThis). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__POC_TEST_STACK__?.stop();
}
