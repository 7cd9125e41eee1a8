# Output names and shapes are the contract shared with modules/gcp-poc.

output "vpc_network" {
  description = "The tenant's network."
  value = {
    name   = localcloud_network.vpc_network.name
    region = var.region
  }
}

output "gke_cluster" {
  description = "The tenant's Kubernetes cluster."
  value = {
    name         = localcloud_cluster.gke_cluster.name
    endpoint     = "https://${var.tenant_slug}.gke.${local.domain}"
    node_count   = localcloud_cluster.gke_cluster.node_count
    machine_type = localcloud_cluster.gke_cluster.machine_type
    region       = localcloud_cluster.gke_cluster.location
  }
}

output "database_instance" {
  description = "The tenant's database instance (connection details without secrets)."
  value = {
    name            = localcloud_database_instance.database_instance.name
    tier            = localcloud_database_instance.database_instance.tier
    connection_name = localcloud_database_instance.database_instance.connection_name
    private_ip      = localcloud_database_instance.database_instance.private_ip
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
