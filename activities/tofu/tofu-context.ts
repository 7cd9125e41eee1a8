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
