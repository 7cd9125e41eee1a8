variable "tenant_id" {
  description = "The tenant's UUID; recorded on every simulated resource."
  type        = string
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
  description = "Cloud region the environment lives in."
  type        = string
  default     = "europe-west1"
}

variable "expires_at" {
  description = "RFC 3339 timestamp after which the environment is destroyed."
  type        = string
}

variable "node_count" {
  description = "Number of cluster nodes."
  type        = number
  default     = 1
}

variable "machine_type" {
  description = "Machine type of the cluster nodes."
  type        = string
  default     = "e2-standard-2"
}

variable "database_tier" {
  description = "Database instance size."
  type        = string
  default     = "db-f1-micro"
}

variable "labels" {
  description = "Labels put on every resource."
  type        = map(string)
  default     = {}
}

variable "environment_root" {
  description = "Local folder standing in for the cloud: each simulated resource writes a marker file below it while it exists."
  type        = string
}

variable "simulate_apply_delay_seconds" {
  description = "Seconds each simulated resource takes to create, to exercise slow applies."
  type        = number
  default     = 0
}

variable "simulate_failure_resource" {
  description = "Name of a resource (vpc_network, gke_cluster, database_instance) whose creation fails, to exercise failures; empty for none."
  type        = string
  default     = ""
}

variable "simulate_transient_failures" {
  description = "Times each simulated resource fails with a network-like error before it is created, to exercise retries."
  type        = number
  default     = 0
}
