# Output names and shapes are the contract shared with modules/local-poc
# (test/static/terraform-module-contract.test.ts).

locals {
  domain = coalesce(var.base_domain, "${google_compute_global_address.ingress.address}.sslip.io")
}

output "vpc_network" {
  description = "The tenant's network."
  value = {
    name   = google_compute_network.vpc.name
    region = var.region
  }
}

output "gke_cluster" {
  description = "The tenant's Kubernetes cluster."
  value = {
    name         = google_container_cluster.gke.name
    endpoint     = "https://${google_container_cluster.gke.endpoint}"
    node_count   = google_container_node_pool.nodes.node_count
    machine_type = var.machine_type
    region       = var.region
  }
}

output "database_instance" {
  description = "The tenant's database instance (connection details without secrets)."
  value = {
    name            = google_sql_database_instance.db.name
    tier            = var.database_tier
    connection_name = google_sql_database_instance.db.connection_name
    private_ip      = google_compute_address.db.address
  }
}

output "api_endpoint" {
  description = "Base URL of the POC's API."
  value       = "https://api.${var.tenant_slug}.${local.domain}"
}

output "web_interface" {
  description = "URL of the POC's web interface."
  value       = "https://app.${var.tenant_slug}.${local.domain}"
}

output "monitoring_dashboard" {
  description = "URL of the POC's monitoring dashboard."
  value       = "https://monitoring.${var.tenant_slug}.${local.domain}"
}
