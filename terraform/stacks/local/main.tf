# Root stack a workspace is made from when TOFU_STACK=local. The engine copies this folder
# and ../../modules into the workspace, writes terraform.tfvars.json and configures the
# backend through environment variables (PG_CONN_STR, PG_SCHEMA_NAME), so no secret is
# written to disk or passed on a command line.
terraform {
  required_version = ">= 1.6.0"

  backend "pg" {}
}

module "poc" {
  source = "./modules/local-poc"

  tenant_id                    = var.tenant_id
  tenant_slug                  = var.tenant_slug
  poc_tier                     = var.poc_tier
  region                       = var.region
  expires_at                   = var.expires_at
  node_count                   = var.node_count
  machine_type                 = var.machine_type
  database_tier                = var.database_tier
  labels                       = var.labels
  network_isolation_level      = var.network_isolation_level
  encryption_required          = var.encryption_required
  enabled_features             = var.enabled_features
  product_features             = var.product_features
  base_domain                  = var.base_domain
  environment_root             = var.environment_root
  simulate_apply_delay_seconds = var.simulate_apply_delay_seconds
  simulate_failure_resource    = var.simulate_failure_resource
  simulate_transient_failures  = var.simulate_transient_failures
  simulate_destroy_failure     = var.simulate_destroy_failure
}
