variable "tenant_id" {
  description = "The tenant's UUID: its hash makes every name unique to the tenant."
  type        = string
}

variable "tenant_slug" {
  description = "DNS label of the tenant; its first 22 characters make names readable."
  type        = string
}

variable "expires_at" {
  description = "The environment's expiry: hashed into the database instance's name (Cloud SQL names cannot be reused for a week)."
  type        = string
}
