/** The provisioning workflow's id comes from the tenant, so one tenant cannot run two at once. */
export function provisioningWorkflowId(tenantId: string): string {
  return `poc-${tenantId}`;
}

/** Postgres schema holding a tenant's OpenTofu state (pg backend): one per tenant. */
export function stateSchemaName(tenantId: string): string {
  return `tfstate_${tenantId.replace(/-/g, '').toLowerCase()}`;
}
