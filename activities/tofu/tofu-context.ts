import type { TofuJsonMessage } from './tofu-json-messages';

/** Everything a tofu verb needs to run in one job's workspace. */
export interface TofuContext {
  binary: string;
  workspace: string;
  env: Record<string, string>;
  killGraceMs: number;
  signal?: AbortSignal;
  onMessage?: (m: TofuJsonMessage) => void;
}
