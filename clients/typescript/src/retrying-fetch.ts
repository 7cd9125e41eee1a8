/** How often and how patiently a call is repeated after a network error, 408, 429 or 5xx. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First delay in ms (default 500), doubled per attempt up to maxDelayMs (default 10 s), with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout in ms (default 10 s). */
  timeoutMs?: number;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/**
 * A fetch that repeats a request (body and headers, so its idempotency key, included) after a
 * network error or a retryable status, backing off; the last answer or error is the result.
 * A Retry-After (seconds) longer than the backoff is honoured, up to maxDelayMs.
 */
export function retryingFetch(
  policy: RetryPolicy = {},
  base: (input: Request) => Promise<Response> = (input) => fetch(input),
): (input: Request) => Promise<Response> {
  const retries = Math.max(0, policy.retries ?? 4);
  const baseDelay = policy.baseDelayMs ?? 500;
  const maxDelay = policy.maxDelayMs ?? 10_000;
  const timeout = policy.timeoutMs ?? 10_000;
  return async (input) => {
    for (let attempt = 0; ; attempt += 1) {
      const signal = AbortSignal.any([input.signal, AbortSignal.timeout(timeout)]);
      const last = attempt >= retries;
      try {
        const answer = await base(new Request(input.clone(), { signal }));
        if (last || !RETRYABLE.has(answer.status)) return answer;
        await answer.body?.cancel();
        await sleep(delay(attempt, answer), input.signal);
      } catch (err) {
        if (last || input.signal.aborted) throw err;
        await sleep(delay(attempt), input.signal);
      }
    }
  };

  function delay(attempt: number, answer?: Response): number {
    const backoff = Math.random() * Math.min(baseDelay * 2 ** attempt, maxDelay);
    const retryAfter = Number(answer?.headers.get('retry-after'));
    return Number.isFinite(retryAfter) && retryAfter > 0
      ? Math.max(backoff, Math.min(retryAfter * 1000, maxDelay))
      : backoff;
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
