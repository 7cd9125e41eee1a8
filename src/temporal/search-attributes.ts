import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes, so engineers can find a run by tenant in the Temporal Web UI.
// Deterministic-safe: imported by workflow code.
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const TenantSlug = defineSearchAttributeKey('TenantSlug', SearchAttributeType.KEYWORD);
export const PocTier = defineSearchAttributeKey('PocTier', SearchAttributeType.KEYWORD);
export const ProvisioningStatus = defineSearchAttributeKey('ProvisioningStatus', SearchAttributeType.KEYWORD);
export const JobId = defineSearchAttributeKey('JobId', SearchAttributeType.KEYWORD);
export const ExpiresAt = defineSearchAttributeKey('ExpiresAt', SearchAttributeType.DATETIME);

/** Every custom search attribute with its type name as the Temporal CLI spells it. */
export const CUSTOM_SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; cliType: string }> = [
  { name: TenantId.name, cliType: 'Keyword' },
  { name: TenantSlug.name, cliType: 'Keyword' },
  { name: PocTier.name, cliType: 'Keyword' },
  { name: ProvisioningStatus.name, cliType: 'Keyword' },
  { name: JobId.name, cliType: 'Keyword' },
  { name: ExpiresAt.name, cliType: 'Datetime' },
];
