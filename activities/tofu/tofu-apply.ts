import { LOCK_TIMEOUT_ARG, type TofuContext } from './tofu-context';
import { PLAN_FILE } from './tofu-plan';
import { runTofuVerb } from './run-tofu-verb';

/** `tofu apply` of the saved plan; returns how many resources it created, changed or deleted. */
export async function tofuApply(ctx: TofuContext): Promise<{ applied: number }> {
  const { messages } = await runTofuVerb(ctx, 'apply', ['-input=false', '-json', LOCK_TIMEOUT_ARG, PLAN_FILE]);
  return { applied: messages.filter((m) => m.type === 'apply_complete').length };
}
