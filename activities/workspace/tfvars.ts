import type { ProvisionRequest } from '../../src/domain/provision-request';
import { environmentOptions } from '../../src/domain/environment-options';

/** Knobs of the offline local stack that make it slow or failing, for tests and demos: the
 * localcloud provider's create duration and injected faults (modules/local-poc, ADR 25). */
export interface LocalStackSimulation {
  applyDelaySeconds: number;
  failResource: string;
  /** Times each resource's create answers googleapi 503 before it succeeds. */
  transientFailures: number;
  /** A resource created with deletion protection: its destroy fails until its document says `deletion_protection: false`. */
  undeletableResource?: string;
}

/** The tfvars of a job's workspace: the request mapped to the stack's variables. */
export function buildTfvars(
  request: ProvisionRequest,
  opts: { stack?: string; projectId?: string; environmentRoot: string; simulation: LocalStackSimulation },
): Record<string, unknown> {
  const env = environmentOptions(request);
  return {
    tenant_id: request.tenant_id,
    tenant_slug: request.tenant_slug,
    poc_tier: request.poc_config.poc_tier,
    region: env.region,
    expires_at: request.poc_config.expires_at,
    node_count: env.nodeCount,
    machine_type: env.machineType,
    database_tier: env.databaseTier,
    network_isolation_level: env.networkIsolationLevel,
    encryption_required: env.encryptionRequired,
    // Optional infrastructure (from tier and monitoring_config) and, apart, the tenant's
    // product features, which the stack receives but builds nothing from.
    enabled_features: env.infraFeatures,
    product_features: env.productFeatures,
    labels: {
      tenant: request.tenant_slug,
      tier: request.poc_config.poc_tier,
      managed_by: 'poc-provisioning-engine',
    },
    // Each stack gets exactly the variables it declares: the local twin its simulation knobs,
    // the GCP stack its project.
    ...(opts.stack === 'gcp'
      ? { project_id: opts.projectId }
      : {
          environment_root: opts.environmentRoot,
          simulate_apply_delay_seconds: opts.simulation.applyDelaySeconds,
          simulate_failure_resource: opts.simulation.failResource,
          simulate_transient_failures: opts.simulation.transientFailures,
          simulate_destroy_failure: opts.simulation.undeletableResource ?? '',
        }),
  };
}
