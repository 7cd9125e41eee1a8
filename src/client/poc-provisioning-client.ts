import ky, { HTTPError, type KyInstance, type Options } from 'ky';
import { randomUUID } from 'node:crypto';
import type { JobStatus } from '../domain/job-status';
import type {
  AccessCredentialsView,
  JobEvent,
  JobListFilter,
  JobListPage,
  JobStatusView,
  ProvisioningRequest,
  SubmitAccepted,
} from './api-types';
import { ProvisioningApiError, ProvisioningNetworkError, WaitDeadlineExceededError } from './client-errors';

export interface PocProvisioningClientOptions {
  /** The engine's base URL, e.g. https://poc-engine.internal (without /api/v1). */
  baseUrl: string;
  /** An API key (or a service JWT) with the scopes the calls need. */
  apiKey: string;
  /** Retries of a call that failed with 5xx, 429 or a network error (default 4). */
  retries?: number;
  /** Per-attempt timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** For tests and custom agents. */
  fetch?: typeof fetch;
}

export interface WaitOptions {
  /** Give up after this long (ms, default 30 minutes). */
  timeoutMs?: number;
  /** First poll interval (ms, default 2 s), doubled up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Called with every status seen. */
  onProgress?: (status: JobStatusView) => void;
  signal?: AbortSignal;
}

/** Statuses after which waitForCompletion stops: ready, or ended. */
const SETTLED: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'destroyed'];

/**
 * Typed client of the POC provisioning API for the signup backend. Every call retries 5xx,
 * 429 and network failures with backoff; submit always carries an idempotency key (one is
 * made if the caller gives none), so its retries can never create a second environment.
 */
export class PocProvisioningClient {
  private readonly http: KyInstance;

  constructor(opts: PocProvisioningClientOptions) {
    this.http = ky.create({
      prefixUrl: `${opts.baseUrl.replace(/\/+$/, '')}/api/v1/provisioning`,
      headers: { authorization: `Bearer ${opts.apiKey}` },
      timeout: opts.timeoutMs ?? 10_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      retry: {
        limit: opts.retries ?? 4,
        // POSTs are retried too: submit is idempotent by its key, the others by the workflow.
        methods: ['get', 'post'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        backoffLimit: 10_000,
        jitter: true,
      },
    });
  }

  /** Requests an environment; returns at once with the job id (status `queued`). */
  submit(request: ProvisioningRequest, opts: { idempotencyKey?: string } = {}): Promise<SubmitAccepted> {
    const key = opts.idempotencyKey ?? request.request_id ?? randomUUID();
    return this.call('provision', { method: 'post', json: request, headers: { 'idempotency-key': key } });
  }

  getStatus(jobId: string): Promise<JobStatusView> {
    return this.call(`status/${encodeURIComponent(jobId)}`);
  }

  /** One page of jobs; pass the page's next_cursor as `cursor` for the next one. */
  list(filter: JobListFilter = {}): Promise<JobListPage> {
    const searchParams: Record<string, string> = {};
    for (const [k, v] of Object.entries(filter)) {
      if (v !== undefined) searchParams[k] = Array.isArray(v) ? v.join(',') : String(v);
    }
    return this.call('jobs', { searchParams });
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
    return (await this.call<{ events: JobEvent[] }>(`jobs/${encodeURIComponent(jobId)}/events`)).events;
  }

  extend(jobId: string, expiresAt: string | Date): Promise<JobStatusView> {
    const expires_at = expiresAt instanceof Date ? expiresAt.toISOString() : expiresAt;
    return this.call(`jobs/${encodeURIComponent(jobId)}/extend`, { method: 'post', json: { expires_at } });
  }

  destroy(jobId: string, reason?: string): Promise<JobStatusView> {
    return this.call(`jobs/${encodeURIComponent(jobId)}/destroy`, { method: 'post', json: { reason } });
  }

  cancel(jobId: string, reason?: string): Promise<JobStatusView> {
    return this.call(`jobs/${encodeURIComponent(jobId)}/cancel`, { method: 'post', json: { reason } });
  }

  /** The environment's credentials (needs the credentials scope; every read is audited). */
  credentials(jobId: string): Promise<AccessCredentialsView> {
    return this.call(`jobs/${encodeURIComponent(jobId)}/credentials`);
  }

  /**
   * Polls the job, backing off, until it is ready or has ended (completed, failed, cancelled,
   * destroyed) and returns that status; throws WaitDeadlineExceededError at the deadline.
   */
  waitForCompletion(jobId: string, opts: WaitOptions = {}): Promise<JobStatusView> {
    return this.waitForStatus(jobId, SETTLED, opts);
  }

  /** Polls the job, backing off, until its status is one of `statuses` (e.g. ['destroyed']). */
  async waitForStatus(jobId: string, statuses: readonly JobStatus[], opts: WaitOptions = {}): Promise<JobStatusView> {
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

  private async call<T>(path: string, options: Options = {}): Promise<T> {
    try {
      return await this.http(path, options).json<T>();
    } catch (err) {
      if (err instanceof HTTPError) {
        const body: unknown = await err.response.json().catch(() => undefined);
        throw ProvisioningApiError.fromBody(err.response.status, body);
      }
      throw new ProvisioningNetworkError(`the provisioning API could not be reached: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
