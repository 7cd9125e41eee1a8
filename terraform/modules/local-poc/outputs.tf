# Output names and shapes are the contract shared with modules/gcp-poc.

output "vpc_network" {
  description = "The tenant's network."
  value = {
    name   = terraform_data.vpc_network.output.name
    region = var.region
  }
}

output "gke_cluster" {
  description = "The tenant's Kubernetes cluster."
  value = {
    name         = terraform_data.gke_cluster.output.name
    endpoint     = "https://${var.tenant_slug}.gke.${local.domain}"
    node_count   = var.node_count
    machine_type = var.machine_type
    region       = var.region
  }
}

output "database_instance" {
  description = "The tenant's database instance (connection details without secrets)."
  value = {
    name            = terraform_data.database_instance.output.name
    tier            = var.database_tier
    connection_name = "local:${var.region}:${terraform_data.database_instance.output.name}"
    private_ip      = "10.10.0.3"
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
