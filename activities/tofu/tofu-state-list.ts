import type { TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

/** `tofu state list`: the address of every resource the state tracks (the verb has no -json or -input). */
export async function tofuStateList(ctx: TofuContext): Promise<string[]> {
  const { stdout } = await runTofuVerb(ctx, 'state', ['list']);
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
