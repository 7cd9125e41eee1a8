import { LOCK_TIMEOUT_ARG, type TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

/** `tofu destroy`: removes every resource in the job's state; a no-op on empty state. */
export async function tofuDestroy(ctx: TofuContext): Promise<{ destroyed: number }> {
  const { messages } = await runTofuVerb(ctx, 'destroy', ['-input=false', '-json', '-auto-approve', LOCK_TIMEOUT_ARG]);
  return { destroyed: messages.filter((m) => m.type === 'apply_complete').length };
}
