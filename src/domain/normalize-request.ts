import { DomainError, type FieldIssue } from './domain-error';
import type { PocConfig, ProvisionRequest } from './provision-request';
import { allocationIssues } from './tier-limits';
import { checkExpiry, TTL_POLICY } from './ttl-policy';

const DAY_MS = 24 * 3600 * 1000;

/** A request as the API receives it (validated field by field): expires_at may be left to the duration. */
export type ProvisionRequestInput = Omit<ProvisionRequest, 'poc_config'> & {
  poc_config: Omit<PocConfig, 'expires_at'> & { expires_at?: string };
  request_id?: string;
};

/**
 * Checks the rules that span fields and turns the input into the domain request: expires_at
 * from poc_duration_days (or the tier's default lifetime) when absent, and consistent with it
 * when both are given; the tier's maximum lifetime; the allocation within the tier's limits.
 * Throws VALIDATION_FAILED naming every bad field.
 */
export function normalizeRequest(input: ProvisionRequestInput, now: number): ProvisionRequest {
  const { request_id: _requestId, ...rest } = input;
  const poc = input.poc_config;
  const tier = poc.poc_tier;
  const issues: FieldIssue[] = [];
  const fromDuration = poc.poc_duration_days === undefined ? undefined : now + poc.poc_duration_days * DAY_MS;
  const expiresAt = poc.expires_at
    ? Date.parse(poc.expires_at)
    : (fromDuration ?? now + TTL_POLICY[tier].defaultDays * DAY_MS);

  if (poc.expires_at && fromDuration !== undefined && Math.abs(expiresAt - fromDuration) > DAY_MS) {
    issues.push({
      field: 'poc_config.expires_at',
      reason: `must agree with poc_duration_days ${poc.poc_duration_days} (about ${new Date(fromDuration).toISOString()}, within a day)`,
    });
  }
  const expiry = checkExpiry({ tier, createdAt: now, now, requested: expiresAt });
  if (!expiry.ok) {
    issues.push({
      field: poc.expires_at ? 'poc_config.expires_at' : 'poc_config.poc_duration_days',
      reason: expiry.reason,
    });
  }
  issues.push(...allocationIssues(tier, poc.resource_allocation));
  if (issues.length > 0) {
    const fields = [...new Set(issues.map((i) => i.field))].join(', ');
    throw new DomainError('VALIDATION_FAILED', `Invalid request: ${fields}`, issues);
  }
  return { ...rest, poc_config: { ...poc, expires_at: new Date(expiresAt).toISOString() } };
}
