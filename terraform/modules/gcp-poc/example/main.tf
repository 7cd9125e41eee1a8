# A root configuration to validate and plan modules/gcp-poc by hand where providers can be
# downloaded (see ../README.md). State stays local: this is not how the engine runs it.
terraform {
  required_version = ">= 1.6.0"
}

variable "project_id" {
  description = "Google Cloud project to plan in."
  type        = string
}

provider "google" {
  project = var.project_id
  region  = "europe-west1"
}

module "poc" {
  source = "../"

  tenant_id               = "2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f"
  tenant_slug             = "acme"
  poc_tier                = "professional"
  region                  = "europe-west1"
  expires_at              = "2030-01-01T00:00:00Z"
  node_count              = 2
  machine_type            = "e2-standard-4"
  database_tier           = "db-custom-2-7680"
  network_isolation_level = "high"
  enabled_features        = ["backups", "monitoring"]
}

output "api_endpoint" {
  value = module.poc.api_endpoint
}
