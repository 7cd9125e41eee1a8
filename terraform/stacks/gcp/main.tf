# Root stack a workspace is made from when TOFU_STACK=gcp (production). The engine copies this
# folder and ../../modules into the workspace and writes terraform.tfvars.json; the backend is
# the engine's (backend_override.tf: gcs with a prefix per tenant, or pg). Google credentials
# come from the worker's Workload Identity; nothing secret is on disk or argv.
terraform {
  required_version = ">= 1.6.0"

  backend "gcs" {}

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

module "poc" {
  source = "./modules/gcp-poc"

  tenant_id               = var.tenant_id
  tenant_slug             = var.tenant_slug
  poc_tier                = var.poc_tier
  region                  = var.region
  expires_at              = var.expires_at
  node_count              = var.node_count
  machine_type            = var.machine_type
  database_tier           = var.database_tier
  labels                  = var.labels
  network_isolation_level = var.network_isolation_level
  encryption_required     = var.encryption_required
  enabled_features        = var.enabled_features
  product_features        = var.product_features
  base_domain             = var.base_domain
}
