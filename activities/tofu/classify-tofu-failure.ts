import { DomainError, type DomainErrorCode } from '../../src/domain/domain-error';
import type { TofuDiagnostic } from './tofu-json-messages';

/** What tofu said when it failed: its diagnostics, or the tail of stderr when it said nothing as JSON. */
export interface TofuFailure {
  verb: string;
  /** null when tofu was ended by a signal instead of exiting. */
  exitCode: number | null;
  /** The signal that ended tofu (SIGKILL from the OOM killer or an operator), if one did. */
  signal?: string;
  diagnostics: TofuDiagnostic[];
  stderr: string;
}

/** What the local stack (and this engine's conventions) say when a resource is another tenant's. */
export const OWNED_BY_ANOTHER_TENANT = /already exists and belongs to another tenant/i;

/** A network failure talking to something (the state backend, a cloud API). */
const NETWORK =
  /connection (refused|reset)|no such host|i\/o timeout|\bEOF\b|broken pipe|the database system is (shutting down|starting up|in recovery mode)|terminating connection|server closed the connection/i;

/** What tofu says when it cannot read, write or lock the state in its backend. */
const STATE_BACKEND =
  /failed to (save|persist|load|read|write) state|error (loading|saving|refreshing) state|failed to get existing workspaces|error (acquiring|releasing) the state lock|failed to (lock|unlock) state|error reading state|failed to upload state|backend initiali[sz]ation/i;

/** A cloud quota used up, as Google's APIs and operations word it. */
const QUOTA_EXCEEDED = /\bquotaExceeded\b|\bQUOTA_EXCEEDED\b|\bQuota '[^']+' exceeded|insufficient (regional )?quota/i;

// Order matters: the first rule that matches decides.
const RULES: Array<{ code: DomainErrorCode; matches: (text: string, f: TofuFailure) => boolean }> = [
  { code: 'RESOURCE_OWNED_BY_ANOTHER_TENANT', matches: (text) => OWNED_BY_ANOTHER_TENANT.test(text) },
  {
    // A resource's name is taken and could not be adopted (adopt-existing.ts): retrying cannot
    // help. Only a resource's diagnostic counts: a backend race ("schema already exists") is not one.
    code: 'TOFU_RESOURCE_FAILED',
    matches: (_text, f) =>
      f.diagnostics.some((d) => d.address && /alreadyExists|already exists/i.test(`${d.summary} ${d.detail ?? ''}`)),
  },
  {
    // The state backend, not tofu's work, failed: a dependency outage delays, it is not tofu's fault.
    code: 'DEPENDENCY_UNAVAILABLE',
    matches: (_text, f) =>
      f.diagnostics.some((d) => STATE_BACKEND.test(d.summary) && NETWORK.test(`${d.summary} ${d.detail ?? ''}`)) ||
      (f.diagnostics.length === 0 && STATE_BACKEND.test(f.stderr) && NETWORK.test(f.stderr)),
  },
  {
    code: 'TOFU_STATE_LOCKED',
    matches: (text) =>
      /state lock|acquiring the state lock|lock.*already held|^Lock Info:|Error 412: Precondition failed/im.test(text),
  },
  {
    // A quota the project has used up (Google: 403 quotaExceeded, an operation's QUOTA_EXCEEDED,
    // GKE's "insufficient regional quota"): no retry frees it, someone must raise it. A rate
    // limit worded with "quota metric" (429 rateLimitExceeded) is not one: it passes, retried.
    code: 'TOFU_QUOTA_EXCEEDED',
    matches: (text) => QUOTA_EXCEEDED.test(text),
  },
  {
    code: 'TOFU_TRANSIENT',
    matches: (text) =>
      /timeout|timed out|connection (refused|reset)|no such host|temporar(y|ily)|TLS handshake|too many requests|rate limit|\b(429|500|502|503|504)\b|try again|unavailable|\bEOF\b/i.test(
        text,
      ),
  },
  {
    code: 'TOFU_CONFIGURATION_INVALID',
    matches: (text) =>
      /invalid|unsupported|missing required|reference to undeclared|not expected here|syntax|quota|permission|forbidden|\b403\b|unauthori[sz]ed|validation|not found\s+in any of the search locations/i.test(
        text,
      ),
  },
  {
    code: 'TOFU_RESOURCE_FAILED',
    matches: (text) =>
      /provisioner error|error running command|apply failed|failed to (create|update|delete)/i.test(text),
  },
];

/**
 * Turns a failed tofu run into a coded domain error: transient failures (network, locks,
 * timeouts) are worth a retry, the others are not (an exhausted cloud quota is
 * TOFU_QUOTA_EXCEEDED); a state backend that cannot be reached is
 * DEPENDENCY_UNAVAILABLE; tofu killed by a signal (its work unfinished, nothing wrong with the
 * configuration) is TOFU_TRANSIENT and says which signal. Unknown failures count as transient,
 * so the retry policy's attempt limit, not a guess, decides when to stop.
 */
export function classifyTofuFailure(f: TofuFailure): DomainError {
  const text = [...f.diagnostics.map((d) => `${d.summary} ${d.detail ?? ''}`), f.stderr].join('\n');
  const killed = f.signal !== undefined;
  const rule = killed ? undefined : RULES.find((r) => r.matches(text, f));
  const first = f.diagnostics[0];
  const summary = killed
    ? `was killed by ${f.signal}`
    : `failed: ${first ? first.summary : errorLine(f.stderr) || `exit code ${f.exitCode ?? 'unknown'}`}`;
  return new DomainError(rule?.code ?? 'TOFU_TRANSIENT', `tofu ${f.verb} ${summary}`, [], {
    verb: f.verb,
    exit_code: f.exitCode,
    ...(f.signal ? { signal: f.signal } : {}),
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
