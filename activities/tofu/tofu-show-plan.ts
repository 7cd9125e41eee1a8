import type { TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

/**
 * `tofu show -json <plan>`: the saved plan as one JSON document (show has no -input). It holds
 * attribute values, secrets included: callers keep it in memory and take names from it only.
 */
export async function tofuShowPlan(ctx: TofuContext, planFile: string): Promise<unknown> {
  const { stdout } = await runTofuVerb(ctx, 'show', ['-json', planFile], { discardOutput: true });
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith('{'));
  return line ? (JSON.parse(line) as unknown) : null;
}
