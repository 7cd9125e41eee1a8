# Every name of a tenant's POC, by what it names. Limits are in main.tf.

output "base" {
  description = "poc-<slug cut to 22>-<8 hex of sha1(tenant_id)>: the prefix of every name (at most 35 characters)."
  value       = local.base
}

output "network" {
  description = "VPC network."
  value       = "${local.base}-vpc"
}

output "subnetwork" {
  description = "Subnetwork of the nodes."
  value       = "${local.base}-nodes"
}

output "firewall" {
  description = "Firewall rule names by rule."
  value       = { for rule in local.firewall_rules : rule => "${local.base}-${rule}" }
}

output "router" {
  description = "Cloud Router."
  value       = "${local.base}-router"
}

output "nat" {
  description = "Cloud NAT."
  value       = "${local.base}-nat"
}

output "ingress_address" {
  description = "Global address of the POC's ingress."
  value       = "${local.base}-ingress"
}

output "service_account_id" {
  description = "account_id of the nodes' service account (IAM: 6-30 characters)."
  value       = "poc-${substr(sha1(var.tenant_id), 0, 12)}-nodes"
}

output "cluster" {
  description = "GKE cluster (GKE: at most 40 characters)."
  value       = "${local.base}-gke"
}

output "database_instance" {
  description = "Cloud SQL instance: a new POC of the same tenant (another expiry) gets another name."
  value       = "${local.base}-db-${substr(sha1("${var.tenant_id}/${var.expires_at}"), 0, 6)}"
}

output "database_address" {
  description = "Internal address of the database's Private Service Connect endpoint."
  value       = "${local.base}-db"
}

output "database_forwarding_rule" {
  description = "Forwarding rule of the database's Private Service Connect endpoint."
  value       = "${local.base}-db-psc"
}
