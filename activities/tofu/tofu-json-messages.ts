/** A machine-readable UI message of `tofu <verb> -json` (one JSON object per line). */
export interface TofuJsonMessage {
  '@level'?: string;
  '@message'?: string;
  type?: string;
  diagnostic?: TofuDiagnostic;
  changes?: { add: number; change: number; remove: number; import?: number; operation: string };
  hook?: { resource?: { addr?: string }; action?: string };
  change?: { resource?: { addr?: string }; action?: string };
}

export interface TofuDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
}

/** Parses one line of -json output; non-JSON lines (plain text tofu may still print) give null. */
export function parseTofuLine(line: string): TofuJsonMessage | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    return JSON.parse(trimmed) as TofuJsonMessage;
  } catch {
    return null;
  }
}

/** Resource progress of a plan, apply or destroy, as heartbeats report it. */
export interface TofuProgress {
  planned: number;
  done: number;
  errored: number;
  lastResource?: string;
}

/** Folds -json messages into progress counts. */
export function advanceProgress(p: TofuProgress, m: TofuJsonMessage): TofuProgress {
  switch (m.type) {
    case 'planned_change':
      return { ...p, planned: p.planned + 1, lastResource: m.change?.resource?.addr };
    case 'apply_complete':
      return { ...p, done: p.done + 1, lastResource: m.hook?.resource?.addr };
    case 'apply_errored':
      return { ...p, errored: p.errored + 1, lastResource: m.hook?.resource?.addr };
    default:
      return p;
  }
}

/** Error diagnostics among the messages. */
export function errorDiagnostics(messages: TofuJsonMessage[]): TofuDiagnostic[] {
  return messages.flatMap((m) => (m.type === 'diagnostic' && m.diagnostic?.severity === 'error' ? [m.diagnostic] : []));
}
