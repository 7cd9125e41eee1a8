import type { PlanSummary } from '../../src/domain/progress-update';
import { LOCK_TIMEOUT_ARG, type TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

export const PLAN_FILE = 'tfplan';

/** `tofu plan -out`: saves the plan to apply and returns what it would do. */
export async function tofuPlan(ctx: TofuContext, opts: { destroy?: boolean } = {}): Promise<PlanSummary> {
  const args = ['-input=false', '-json', LOCK_TIMEOUT_ARG, `-out=${PLAN_FILE}`];
  if (opts.destroy) args.push('-destroy');
  const { messages } = await runTofuVerb(ctx, 'plan', args);
  const summary = messages.find((m) => m.type === 'change_summary')?.changes;
  return { add: summary?.add ?? 0, change: summary?.change ?? 0, destroy: summary?.remove ?? 0 };
}
