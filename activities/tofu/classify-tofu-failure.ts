import { DomainError, type DomainErrorCode } from '../../src/domain/domain-error';
import type { TofuDiagnostic } from './tofu-json-messages';

/** What tofu said when it failed: its diagnostics, or the tail of stderr when it said nothing as JSON. */
export interface TofuFailure {
  verb: string;
  exitCode: number;
  diagnostics: TofuDiagnostic[];
  stderr: string;
}

// Order matters: the first rule that matches decides.
const RULES: Array<{ code: DomainErrorCode; pattern: RegExp }> = [
  {
    code: 'TOFU_STATE_LOCKED',
    pattern: /state lock|acquiring the state lock|lock.*already held|^Lock Info:|Error 412: Precondition failed/im,
  },
  {
    code: 'TOFU_TRANSIENT',
    pattern:
      /timeout|timed out|connection (refused|reset)|no such host|temporar(y|ily)|TLS handshake|too many requests|rate limit|\b(429|500|502|503|504)\b|try again|unavailable|\bEOF\b/i,
  },
  {
    code: 'TOFU_CONFIGURATION_INVALID',
    pattern:
      /invalid|unsupported|missing required|reference to undeclared|not expected here|syntax|quota|permission|forbidden|\b403\b|unauthori[sz]ed|validation|not found\s+in any of the search locations/i,
  },
  { code: 'TOFU_RESOURCE_FAILED', pattern: /provisioner error|error running command|apply failed|failed to create/i },
];

/**
 * Turns a failed tofu run into a coded domain error: transient failures (network, locks,
 * timeouts) are worth a retry, the others are not. Unknown failures count as transient, so
 * the retry policy's attempt limit, not a guess, decides when to stop.
 */
export function classifyTofuFailure(f: TofuFailure): DomainError {
  const text = [...f.diagnostics.map((d) => `${d.summary} ${d.detail ?? ''}`), f.stderr].join('\n');
  const rule = RULES.find((r) => r.pattern.test(text));
  const first = f.diagnostics[0];
  const summary = first ? first.summary : errorLine(f.stderr) || `exit code ${f.exitCode}`;
  return new DomainError(rule?.code ?? 'TOFU_TRANSIENT', `tofu ${f.verb} failed: ${summary}`, [], {
    verb: f.verb,
    exit_code: f.exitCode,
    diagnostics: f.diagnostics.map((d) => ({ summary: d.summary, detail: d.detail, address: d.address })),
  });
}

/** The line that says what went wrong: tofu's first "Error: …" line, else the last line. */
function errorLine(s: string): string {
  const lines = s
    .trim()
    .split('\n')
    .map((l) => l.replace(/^[\s│╷╵]+/, '').trim())
    .filter((l) => l);
  return lines.find((l) => l.startsWith('Error: ')) ?? lines.pop() ?? '';
}
