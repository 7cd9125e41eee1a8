import createClient, { type Client } from 'openapi-fetch';
import { randomUUID } from 'node:crypto';
import type {
  AccessCredentialsView,
  HealthAnswer,
  JobEvent,
  JobListFilter,
  JobListPage,
  JobStatus,
  JobStatusView,
  ProvisioningRequest,
  SubmitAccepted,
} from './api-types';
import { ProvisioningApiError, ProvisioningNetworkError, WaitDeadlineExceededError } from './client-errors';
import type { components, paths } from './generated/openapi';
import { retryingFetch, sleep, type RetryPolicy } from './retrying-fetch';

export interface PocProvisioningClientOptions {
  /** The engine's base URL, e.g. https://poc-engine.internal (without /api/v1). */
  baseUrl: string;
  /** An API key (or a service JWT) with the scopes the calls need. */
  apiKey: string;
  /** Retries of a call that failed with 408, 429, 5xx or a network error (default 4). */
  retries?: number;
  /** Per-attempt timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** Backoff between retries (defaults: 500 ms doubling up to 10 s, with jitter). */
  backoff?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  /** For tests and custom agents. */
  fetch?: (input: Request) => Promise<Response>;
}

export interface WaitOptions {
  /** Give up after this long (ms, default 30 minutes). */
  timeoutMs?: number;
  /** First poll interval (ms, default 2 s), doubled up to maxIntervalMs (default 15 s). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Called with every status seen. */
  onProgress?: (status: JobStatusView) => void;
  signal?: AbortSignal;
}

/**
 * Statuses after which waitForCompletion stops: ready, ended, or a destroy that failed or left
 * resources and waits for a retry (POST destroy again). Typed by the generated enum: a status renamed in the
 * document fails the build here.
 */
export const SETTLED_STATUSES: readonly components['schemas']['JobStatus'][] = [
  'completed',
  'failed',
  'cancelled',
  'destroyed',
  'destroy_failed',
  'destroy_incomplete',
];

/** What every openapi-fetch call resolves to. */
type Outcome<T> = { data?: T; error?: unknown; response: Response };

/**
 * Typed client of the POC provisioning API for the signup backend, on the client generated
 * from docs/openapi.json (`api` gives every operation). Every call retries 408, 429, 5xx and
 * network failures with backoff; submit always carries an idempotency key (one is made if the
 * caller gives none), so its retries can never create a second environment. Errors are
 * ProvisioningApiError (an error answer), ProvisioningNetworkError (no answer after the
 * retries) and WaitDeadlineExceededError.
 */
export class PocProvisioningClient {
  /** The generated client (openapi-fetch), with the retries and the credentials. */
  readonly api: Client<paths>;

  constructor(opts: PocProvisioningClientOptions) {
    this.api = createClient<paths>({
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      headers: { authorization: `Bearer ${opts.apiKey}` },
      fetch: retryingFetch({ retries: opts.retries, timeoutMs: opts.timeoutMs, ...opts.backoff }, opts.fetch),
      // GET /jobs?status=queued,provisioning
      querySerializer: { array: { style: 'form', explode: false } },
    });
  }

  /** Requests an environment; returns at once with the job id (status `queued`). */
  submit(request: ProvisioningRequest, opts: { idempotencyKey?: string } = {}): Promise<SubmitAccepted> {
    const key = opts.idempotencyKey ?? request.request_id ?? randomUUID();
    return this.call(() =>
      this.api.POST('/api/v1/provisioning/provision', {
        params: { header: { 'Idempotency-Key': key } },
        body: request,
      }),
    );
  }

  getStatus(jobId: string): Promise<JobStatusView> {
    return this.call(() =>
      this.api.GET('/api/v1/provisioning/status/{job_id}', { params: { path: { job_id: jobId } } }),
    );
  }

  /** One page of jobs; pass the page's next_cursor as `cursor` for the next one. */
  list(filter: JobListFilter = {}): Promise<JobListPage> {
    return this.call(() => this.api.GET('/api/v1/provisioning/jobs', { params: { query: filter } }));
  }

  /** Every job matching the filter, page by page. */
  async *listAll(filter: Omit<JobListFilter, 'cursor'> = {}): AsyncGenerator<JobListPage['jobs'][number]> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...filter, cursor });
      yield* page.jobs;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  async events(jobId: string): Promise<JobEvent[]> {
    const answer = await this.call(() =>
      this.api.GET('/api/v1/provisioning/jobs/{job_id}/events', { params: { path: { job_id: jobId } } }),
    );
    return answer.events;
  }

  extend(jobId: string, expiresAt: string | Date): Promise<JobStatusView> {
    const expires_at = expiresAt instanceof Date ? expiresAt.toISOString() : expiresAt;
    return this.call(() =>
      this.api.POST('/api/v1/provisioning/jobs/{job_id}/extend', {
        params: { path: { job_id: jobId } },
        body: { expires_at },
      }),
    );
  }

  destroy(jobId: string, reason?: string): Promise<JobStatusView> {
    return this.call(() =>
      this.api.POST('/api/v1/provisioning/jobs/{job_id}/destroy', {
        params: { path: { job_id: jobId } },
        body: { reason },
      }),
    );
  }

  cancel(jobId: string, reason?: string): Promise<JobStatusView> {
    return this.call(() =>
      this.api.POST('/api/v1/provisioning/jobs/{job_id}/cancel', {
        params: { path: { job_id: jobId } },
        body: { reason },
      }),
    );
  }

  /** The environment's credentials (needs the credentials scope; every read is audited). */
  credentials(jobId: string): Promise<AccessCredentialsView> {
    return this.call(() =>
      this.api.GET('/api/v1/provisioning/jobs/{job_id}/credentials', { params: { path: { job_id: jobId } } }),
    );
  }

  /** The engine's health (GET /health); an unhealthy engine answers 503, thrown as ProvisioningApiError. */
  async health(): Promise<HealthAnswer> {
    // Typed by the document once it describes the answer; a plain map until then.
    return (await this.call(() => this.api.GET('/api/v1/health'))) as unknown as HealthAnswer;
  }

  /**
   * Polls the job, backing off, until it is ready or has ended (completed, failed, cancelled,
   * destroyed) and returns that status; throws WaitDeadlineExceededError at the deadline.
   */
  waitForCompletion(jobId: string, opts: WaitOptions = {}): Promise<JobStatusView> {
    return this.waitForStatus(jobId, SETTLED_STATUSES, opts);
  }

  /** Polls the job, backing off, until its status is one of `statuses` (e.g. ['destroyed']). */
  async waitForStatus(
    jobId: string,
    statuses: readonly (JobStatus | (string & {}))[],
    opts: WaitOptions = {},
  ): Promise<JobStatusView> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
    let interval = opts.intervalMs ?? 2000;
    for (;;) {
      const last = await this.getStatus(jobId);
      opts.onProgress?.(last);
      if (statuses.includes(last.status)) return last;
      const wait = Math.min(interval, deadline - Date.now());
      if (wait <= 0) throw new WaitDeadlineExceededError(jobId, last);
      await sleep(wait, opts.signal);
      interval = Math.min(interval * 2, opts.maxIntervalMs ?? 15_000);
    }
  }

  /** Runs one generated call: its success body, or the typed error of its failure. */
  private async call<T>(send: () => Promise<Outcome<T>>): Promise<T> {
    let outcome: Outcome<T>;
    try {
      outcome = await send();
    } catch (err) {
      throw new ProvisioningNetworkError(`the provisioning API could not be reached: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!outcome.response.ok) throw ProvisioningApiError.fromBody(outcome.response.status, outcome.error);
    return outcome.data as T;
  }
}
