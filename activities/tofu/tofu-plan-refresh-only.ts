import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DriftCheckResult } from '../../src/domain/drift';
import { driftedResources } from './drift-report';
import { LOCK_TIMEOUT_ARG, type TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';
import { tofuShowPlan } from './tofu-show-plan';

/** The saved refresh-only plan (its own file: the provisioning plan `tfplan` is never touched). */
export const DRIFT_PLAN_FILE = 'drift.tfplan';

/** `plan -detailed-exitcode`: 0 no changes, 2 changes present (1 is an error). */
const CHANGES_PRESENT = 2;

/**
 * `tofu plan -refresh-only -detailed-exitcode`: compares the cloud with the state without
 * changing either. Exit 2 means drift: the saved plan is then shown as JSON for the names of the
 * changed attributes. A refresh that only moves outputs is no drift (no resource differs).
 * @throws DomainError (classify-tofu-failure) when tofu fails (exit 1).
 */
export async function tofuPlanRefreshOnly(ctx: TofuContext): Promise<DriftCheckResult> {
  const { exitCode, messages } = await runTofuVerb(
    ctx,
    'plan',
    ['-refresh-only', '-detailed-exitcode', '-input=false', '-json', LOCK_TIMEOUT_ARG, `-out=${DRIFT_PLAN_FILE}`],
    { successExitCodes: [CHANGES_PRESENT] },
  );
  if (exitCode !== CHANGES_PRESENT && !messages.some((m) => m.type === 'resource_drift')) return { drifted: false };
  // The plan is read once and dropped: a later check makes its own, and no one applies it.
  let shown: unknown;
  try {
    shown = await tofuShowPlan(ctx, DRIFT_PLAN_FILE);
  } finally {
    await rm(join(ctx.workspace, DRIFT_PLAN_FILE), { force: true });
  }
  const resources = driftedResources(messages, shown);
  return resources.length > 0 ? { drifted: true, resources } : { drifted: false };
}
