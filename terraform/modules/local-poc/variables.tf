# Variables up to environment_root are the contract shared with modules/gcp-poc: same names,
# types, defaults and validations (test/static/terraform-module-contract.test.ts compares them).
# environment_root and simulate_* are local-only.

variable "tenant_id" {
  description = "The tenant's UUID; recorded on every resource (label tenant_id)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.tenant_id))
    error_message = "tenant_id must be a UUID."
  }
}

variable "tenant_slug" {
  description = "DNS label that names the tenant's resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.tenant_slug))
    error_message = "tenant_slug must be a DNS label: lowercase letters, digits and hyphens, 1-63 characters, no leading or trailing hyphen."
  }
}

variable "poc_tier" {
  description = "Sizing tier: standard, professional or enterprise."
  type        = string

  validation {
    condition     = contains(["standard", "professional", "enterprise"], var.poc_tier)
    error_message = "poc_tier must be one of standard, professional, enterprise."
  }
}

variable "region" {
  description = "Region the environment lives in: the tenant's data residency region."
  type        = string
  default     = "europe-west1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a region name like europe-west1."
  }
}

variable "expires_at" {
  description = "RFC 3339 timestamp after which the environment is destroyed; recorded on every resource (label expires_at)."
  type        = string

  validation {
    condition     = length(var.expires_at) > 0
    error_message = "expires_at must be a timestamp such as 2030-01-01T00:00:00Z."
  }
}

variable "node_count" {
  description = "Number of cluster nodes (sized by tier)."
  type        = number
  default     = 1

  validation {
    condition     = var.node_count >= 1 && var.node_count <= 10 && floor(var.node_count) == var.node_count
    error_message = "node_count must be a whole number from 1 to 10."
  }
}

variable "machine_type" {
  description = "Machine type of the cluster nodes."
  type        = string
  default     = "e2-standard-2"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*-[a-z0-9-]+$", var.machine_type))
    error_message = "machine_type must be a machine type name such as e2-standard-2."
  }
}

variable "database_tier" {
  description = "Database instance size."
  type        = string
  default     = "db-f1-micro"

  validation {
    condition     = can(regex("^db-[a-z0-9-]+$", var.database_tier))
    error_message = "database_tier must be a Cloud SQL tier such as db-custom-1-3840 or db-f1-micro."
  }
}

variable "labels" {
  description = "Extra labels put on every resource, besides tenant, tenant_id, poc_tier, expires_at and managed_by."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))
    ])
    error_message = "labels must be valid Google Cloud labels: keys start with a lowercase letter; keys and values use lowercase letters, digits, _ and -, at most 63 characters."
  }
}

variable "network_isolation_level" {
  description = "Network isolation: low (public HTTP and HTTPS, SSH through IAP), medium (public HTTPS, SSH through IAP) or high (private nodes, no public ingress, denied ingress logged)."
  type        = string
  default     = "medium"

  validation {
    condition     = contains(["low", "medium", "high"], var.network_isolation_level)
    error_message = "network_isolation_level must be one of low, medium, high."
  }
}

variable "encryption_required" {
  description = "Require encryption in transit: the database accepts TLS connections only and nodes boot shielded. Data at rest is always encrypted."
  type        = bool
  default     = true
}

variable "enabled_features" {
  description = "Optional infrastructure, derived by the engine from the tier and monitoring_config (never from the API's enabled_features, which arrive as product_features): backups (daily database backups), high_availability (regional database), monitoring (managed Prometheus on the cluster)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for f in var.enabled_features : contains(["backups", "high_availability", "monitoring"], f)])
    error_message = "enabled_features may contain only backups, high_availability and monitoring."
  }
}

variable "product_features" {
  description = "The tenant's product features as requested (enabled_features of the API, e.g. threat_detection): passed to what runs on the environment, never a source of infrastructure (optional infrastructure is enabled_features)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.product_features) <= 32 && alltrue([for f in var.product_features : can(regex("^[a-z0-9][a-z0-9_.+-]{0,62}$", f))])
    error_message = "product_features may hold at most 32 values, each 1-63 characters of a-z, 0-9 and _ . + - starting with a letter or digit."
  }
}

variable "base_domain" {
  description = "DNS domain under which the POC's host names (api., app., monitoring.<tenant_slug>.) live; null for the module's own (local.poc offline, sslip.io over the reserved ingress address on GCP)."
  type        = string
  default     = null

  validation {
    condition     = var.base_domain == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.base_domain))
    error_message = "base_domain must be null or a lowercase DNS domain such as poc.example.com."
  }
}

# Local-only variables (listed as the allowed difference in the contract test).

variable "environment_root" {
  description = "Folder standing in for the cloud: the localcloud provider keeps one JSON document per object below it (<networks|clusters|instances>/<name>.json)."
  type        = string
}

variable "simulate_apply_delay_seconds" {
  description = "Seconds each create takes (the provider's create_seconds: the object exists, PROVISIONING, meanwhile), to exercise slow applies."
  type        = number
  default     = 0
}

variable "simulate_failure_resource" {
  description = "Name of a resource (vpc_network, gke_cluster, database_instance) whose creation fails (an injected googleapi 400), to exercise failures; empty for none."
  type        = string
  default     = ""
}

variable "simulate_transient_failures" {
  description = "Times each resource's create answers googleapi 503 before it succeeds (counted per object in the cloud directory), to exercise retries."
  type        = number
  default     = 0
}

variable "simulate_destroy_failure" {
  description = "Name of a resource (vpc_network, gke_cluster, database_instance) created with deletion protection, so its destroy fails until deletion_protection is set false in its document; empty for none."
  type        = string
  default     = ""
}
