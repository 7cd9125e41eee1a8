/**
 * What the cloud holds of a tenant after its environment was destroyed (ADR 27): found by the
 * tenant's labels (`tenant_id`) and by the names modules/poc-names gives its resources (some
 * resources take no labels). `resources` names each one for the engineer who removes it (a
 * self link or an asset name), sorted.
 */
export type DeletionProof = { outcome: 'nothing_left' } | { outcome: 'resources_left'; resources: string[] };

/** The error code of a destroy whose proof of deletion found resources left (destroy_incomplete). */
export const RESOURCES_LEFT = 'RESOURCES_LEFT';
