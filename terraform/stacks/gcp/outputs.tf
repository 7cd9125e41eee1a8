output "vpc_network" {
  value = module.poc.vpc_network
}

output "gke_cluster" {
  value = module.poc.gke_cluster
}

output "database_instance" {
  value = module.poc.database_instance
}

output "api_endpoint" {
  value = module.poc.api_endpoint
}

output "web_interface" {
  value = module.poc.web_interface
}

output "monitoring_dashboard" {
  value = module.poc.monitoring_dashboard
}
