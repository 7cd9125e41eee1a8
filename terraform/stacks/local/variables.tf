variable "tenant_id" {
  type = string
}

variable "tenant_slug" {
  type = string
}

variable "poc_tier" {
  type = string
}

variable "region" {
  type = string
}

variable "expires_at" {
  type = string
}

variable "node_count" {
  type = number
}

variable "machine_type" {
  type = string
}

variable "database_tier" {
  type = string
}

variable "labels" {
  type = map(string)
}

# Written by the engine from the request (environment-options.ts); defaults as the module's.
variable "network_isolation_level" {
  type    = string
  default = "medium"
}

variable "encryption_required" {
  type    = bool
  default = true
}

variable "enabled_features" {
  type    = list(string)
  default = []
}

variable "product_features" {
  type    = list(string)
  default = []
}

variable "base_domain" {
  type    = string
  default = null
}

variable "environment_root" {
  type = string
}

variable "simulate_apply_delay_seconds" {
  type    = number
  default = 0
}

variable "simulate_failure_resource" {
  type    = string
  default = ""
}

variable "simulate_transient_failures" {
  type    = number
  default = 0
}

variable "simulate_destroy_failure" {
  type    = string
  default = ""
}
