import type { TofuJsonMessage } from './tofu-json-messages';

/** Everything a tofu verb needs to run in one job's workspace. */
export interface TofuContext {
  binary: string;
  workspace: string;
  env: Record<string, string>;
  killGraceMs: number;
  /** `-backend-config` arguments for init (the gcs backend's bucket and prefix). */
  initArgs?: string[];
  signal?: AbortSignal;
  onMessage?: (m: TofuJsonMessage) => void;
}

/**
 * How long a verb waits for the state lock. Long enough for an apply left running by a
 * worker that died to finish and release it (see tofu-process.ts).
 */
export const LOCK_TIMEOUT_ARG = '-lock-timeout=10m';

/**
 * What tofu's environment holds for a stack, besides the backend's and the process basics.
 *
 * The local stack's one plugin is the repository's own localcloud provider (ADR 25), which tofu
 * starts two or three times in every plan, apply and destroy (schemas, validation, the walk).
 * With go-plugin's automatic mutual TLS each start generates a P-521 certificate on both sides
 * (provider handshake 5 → 18 ms idle, far more on a loaded machine): that alone made the
 * local stack's provisioning ~45 % slower than on terraform_data (docs/benchmarks.md). The
 * plugin's socket is a local one of the worker's own user, so the local stack runs its plugins
 * without TLS (TF_DISABLE_PLUGIN_TLS, which OpenTofu keeps for exactly this: rapidly started
 * local plugins). The Google stack's providers keep TLS.
 */
export function stackTofuEnv(stack: string): Record<string, string> {
  return stack === 'local' ? { TF_DISABLE_PLUGIN_TLS: '1' } : {};
}
