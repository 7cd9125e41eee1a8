export const POC_TIERS = ['standard', 'professional', 'enterprise'] as const;
export type PocTier = (typeof POC_TIERS)[number];

export const PRIORITIES = ['low', 'standard', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];
