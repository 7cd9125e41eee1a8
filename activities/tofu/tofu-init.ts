import type { TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

/** `tofu init` (1.6 has no -json for init). The backend is configured through the environment. */
export async function tofuInit(ctx: TofuContext): Promise<void> {
  await runTofuVerb(ctx, 'init', ['-input=false', '-no-color', '-reconfigure']);
}
