import { classifyTofuFailure } from './classify-tofu-failure';
import type { TofuContext } from './tofu-context';
import { errorDiagnostics } from './tofu-json-messages';
import { runTofu, type TofuRunResult } from './tofu-process';

/** Thrown when tofu was stopped because its activity was cancelled. */
export class TofuCancelledError extends Error {
  constructor(verb: string) {
    super(`tofu ${verb} was stopped by cancellation`);
    this.name = 'TofuCancelledError';
  }
}

/** Runs one verb; returns its successful result or throws a classified domain error. */
export async function runTofuVerb(
  ctx: TofuContext,
  verb: string,
  args: string[],
  opts: { successExitCodes?: readonly number[]; discardOutput?: boolean } = {},
): Promise<Extract<TofuRunResult, { outcome: 'succeeded' }>> {
  const result = await runTofu({
    binary: ctx.binary,
    cwd: ctx.workspace,
    args: [verb, ...args],
    env: ctx.env,
    killGraceMs: ctx.killGraceMs,
    signal: ctx.signal,
    onMessage: ctx.onMessage,
    successExitCodes: opts.successExitCodes,
    discardOutput: opts.discardOutput,
  });
  switch (result.outcome) {
    case 'succeeded':
      return result;
    case 'cancelled':
      throw new TofuCancelledError(verb);
    case 'failed':
      throw classifyTofuFailure({
        verb,
        exitCode: result.exitCode,
        signal: result.signal,
        diagnostics: errorDiagnostics(result.messages),
        stderr: result.stderr,
      });
  }
}
