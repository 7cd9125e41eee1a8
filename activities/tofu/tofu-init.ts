import type { TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

/** `tofu init` (1.6 has no -json for init). The backend is configured through the environment. */
export async function tofuInit(ctx: TofuContext): Promise<void> {
  // A new gcs prefix gets its empty state under the lock, without waiting for a held one
  // (tofu 1.6 ignores -lock-timeout there): that fails as TOFU_STATE_LOCKED and is retried.
  await runTofuVerb(ctx, 'init', ['-input=false', '-no-color', '-reconfigure', ...(ctx.initArgs ?? [])]);
}
