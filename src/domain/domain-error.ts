/** Machine-readable reason of a domain failure; the HTTP filter and the activity layer map it. */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_STATE'
  | 'JOB_NOT_FOUND'
  | 'ENVIRONMENT_ALREADY_ACTIVE'
  | 'TENANT_SLUG_TAKEN'
  | 'CREDENTIALS_NOT_AVAILABLE'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'WORKSPACE_MISSING'
  | 'TOFU_CONFIGURATION_INVALID'
  | 'TOFU_RESOURCE_FAILED'
  | 'TOFU_TRANSIENT'
  | 'TOFU_STATE_LOCKED'
  /** The cloud refused a create for an exhausted quota: permanent until someone raises it. */
  | 'TOFU_QUOTA_EXCEEDED'
  /** A resource to create exists already and carries another tenant's labels: never adopted. */
  | 'RESOURCE_OWNED_BY_ANOTHER_TENANT'
  /** The workspace holds state tofu could not save (errored.tfstate): it is kept until pushed. */
  | 'UNSAVED_STATE_KEPT'
  /** The tenant's state still tracks resources: it is the only map of them and is kept. */
  | 'STATE_STILL_TRACKS_RESOURCES'
  | 'NOTIFY_TRANSIENT'
  | 'NOTIFY_REJECTED'
  /** A store refused the data itself (e.g. Postgres SQLSTATE class 22): retrying cannot help. */
  | 'DATA_REJECTED'
  | 'INTERNAL';

/** One rejected field of a request. */
export interface FieldIssue {
  field: string;
  reason: string;
}

/**
 * A failure the domain understands. Domain code throws these, never HTTP exceptions;
 * `details` carries per-field reasons for validation failures.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
