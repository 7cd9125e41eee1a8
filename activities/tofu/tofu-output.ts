import type { TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

/** One output of `tofu output -json`. */
export interface TofuOutput {
  value: unknown;
  sensitive: boolean;
  type?: unknown;
}

/** `tofu output -json` (output takes no -input flag). */
export async function tofuOutput(ctx: TofuContext): Promise<Record<string, TofuOutput>> {
  const { stdout } = await runTofuVerb(ctx, 'output', ['-json']);
  return JSON.parse(stdout || '{}') as Record<string, TofuOutput>;
}
