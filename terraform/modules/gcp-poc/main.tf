# One tenant's POC on Google Cloud: its own VPC, a GKE cluster and a Cloud SQL Postgres
# instance reachable on a private IP only (a Private Service Connect endpoint in the subnet). Every resource that takes labels carries the
# tenant and the expiry; the others say so in their description.

data "google_client_config" "current" {}

data "google_compute_zones" "available" {
  region = var.region
  status = "UP"
}

# Names unique per tenant within GCP's limits (a hash of the tenant id after the cut slug);
# deterministic, so a retried apply names what an interrupted one created the same way.
module "names" {
  source = "../poc-names"

  tenant_id   = var.tenant_id
  tenant_slug = var.tenant_slug
  expires_at  = var.expires_at
}

locals {
  project = data.google_client_config.current.project
  # A zonal cluster: a POC does not need three zones, and node_count then means nodes.
  zone = data.google_compute_zones.available.names[0]

  # Every name comes from module.names (../poc-names): unique per tenant, within each resource
  # type's length limit, and the same rule as local-poc's.
  names = module.names

  labels = merge(var.labels, {
    tenant     = var.tenant_slug
    tenant_id  = lower(var.tenant_id)
    poc_tier   = var.poc_tier
    expires_at = lower(replace(var.expires_at, "/[^0-9A-Za-z_-]/", "-"))
    managed_by = "poc-provisioning-engine"
  })
  description = "POC of tenant ${var.tenant_slug} (${var.tenant_id}), expires ${var.expires_at}; managed by poc-provisioning-engine"

  private_nodes     = var.network_isolation_level == "high"
  backups           = contains(var.enabled_features, "backups")
  high_availability = contains(var.enabled_features, "high_availability")
  monitoring        = contains(var.enabled_features, "monitoring")

  cidr = {
    nodes         = "10.10.0.0/20"
    pods          = "10.20.0.0/16"
    services      = "10.30.0.0/20"
    control_plane = "172.16.0.0/28"
  }

  # Firewall rules by isolation level. Google's load balancer health checks and traffic
  # inside the VPC are allowed at every level.
  firewall_rules = {
    allow-internal = {
      levels   = ["low", "medium", "high"]
      priority = 1000
      action   = "allow"
      sources  = [local.cidr.nodes, local.cidr.pods]
      rules    = [{ protocol = "tcp", ports = [] }, { protocol = "udp", ports = [] }, { protocol = "icmp", ports = [] }]
    }
    allow-health-checks = {
      levels   = ["low", "medium", "high"]
      priority = 1000
      action   = "allow"
      sources  = ["35.191.0.0/16", "130.211.0.0/22"]
      rules    = [{ protocol = "tcp", ports = [] }]
    }
    allow-iap-ssh = {
      levels   = ["low", "medium"]
      priority = 1000
      action   = "allow"
      sources  = ["35.235.240.0/20"]
      rules    = [{ protocol = "tcp", ports = ["22"] }]
    }
    allow-https = {
      levels   = ["low", "medium"]
      priority = 1000
      action   = "allow"
      sources  = ["0.0.0.0/0"]
      rules    = [{ protocol = "tcp", ports = ["443"] }]
    }
    allow-http = {
      levels   = ["low"]
      priority = 1000
      action   = "allow"
      sources  = ["0.0.0.0/0"]
      rules    = [{ protocol = "tcp", ports = ["80"] }]
    }
    deny-all-ingress = {
      levels   = ["high"]
      priority = 65000
      action   = "deny"
      sources  = ["0.0.0.0/0"]
      rules    = [{ protocol = "all", ports = [] }]
    }
  }
}

resource "google_compute_network" "vpc" {
  name                    = local.names.network
  description             = local.description
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

resource "google_compute_subnetwork" "nodes" {
  name                     = local.names.subnetwork
  description              = local.description
  region                   = var.region
  network                  = google_compute_network.vpc.id
  ip_cidr_range            = local.cidr.nodes
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = local.cidr.pods
  }

  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = local.cidr.services
  }

  dynamic "log_config" {
    for_each = local.private_nodes ? [1] : []
    content {
      aggregation_interval = "INTERVAL_5_SEC"
      flow_sampling        = 0.5
      metadata             = "INCLUDE_ALL_METADATA"
    }
  }
}

resource "google_compute_firewall" "rules" {
  for_each = { for name, rule in local.firewall_rules : name => rule if contains(rule.levels, var.network_isolation_level) }

  name          = local.names.firewall[each.key]
  description   = local.description
  network       = google_compute_network.vpc.id
  direction     = "INGRESS"
  priority      = each.value.priority
  source_ranges = each.value.sources

  dynamic "allow" {
    for_each = each.value.action == "allow" ? each.value.rules : []
    content {
      protocol = allow.value.protocol
      ports    = allow.value.ports
    }
  }

  dynamic "deny" {
    for_each = each.value.action == "deny" ? each.value.rules : []
    content {
      protocol = deny.value.protocol
      ports    = deny.value.ports
    }
  }

  dynamic "log_config" {
    for_each = each.value.action == "deny" ? [1] : []
    content {
      metadata = "INCLUDE_ALL_METADATA"
    }
  }
}

# Egress for nodes without public addresses (private nodes pull images and reach APIs).
resource "google_compute_router" "nat" {
  name        = local.names.router
  description = local.description
  region      = var.region
  network     = google_compute_network.vpc.id
}

resource "google_compute_router_nat" "nat" {
  name                               = local.names.nat
  router                             = google_compute_router.nat.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}

# The public address of the POC's ingress; its host names resolve to it (base_domain or sslip.io).
resource "google_compute_global_address" "ingress" {
  name        = local.names.ingress_address
  description = local.description
}

# Nodes run as their own service account with only what nodes need (logs, metrics, image
# pulls); workloads get their own identities through Workload Identity.
resource "google_service_account" "nodes" {
  account_id   = local.names.service_account_id
  display_name = "POC nodes of ${var.tenant_slug}"
  description  = local.description
}

resource "google_project_iam_member" "nodes" {
  for_each = toset([
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/artifactregistry.reader",
  ])

  project = local.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_container_cluster" "gke" {
  name                = local.names.cluster
  description         = local.description
  location            = local.zone
  network             = google_compute_network.vpc.id
  subnetwork          = google_compute_subnetwork.nodes.id
  networking_mode     = "VPC_NATIVE"
  resource_labels     = local.labels
  deletion_protection = false

  # The node pool below is managed on its own, sized by tier.
  remove_default_node_pool = true
  initial_node_count       = 1

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  dynamic "private_cluster_config" {
    for_each = local.private_nodes ? [1] : []
    content {
      enable_private_nodes    = true
      enable_private_endpoint = false
      master_ipv4_cidr_block  = local.cidr.control_plane
    }
  }

  release_channel {
    channel = "REGULAR"
  }

  workload_identity_config {
    workload_pool = "${local.project}.svc.id.goog"
  }

  monitoring_config {
    enable_components = ["SYSTEM_COMPONENTS"]
    managed_prometheus {
      enabled = local.monitoring
    }
  }

  enable_shielded_nodes = var.encryption_required
}

resource "google_container_node_pool" "nodes" {
  name       = "nodes"
  cluster    = google_container_cluster.gke.id
  location   = local.zone
  node_count = var.node_count

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.machine_type
    disk_type       = "pd-balanced"
    disk_size_gb    = 50
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    labels          = local.labels
    resource_labels = local.labels
    metadata        = { disable-legacy-endpoints = "true" }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }

    shielded_instance_config {
      enable_secure_boot          = var.encryption_required
      enable_integrity_monitoring = true
    }
  }
}

resource "google_sql_database_instance" "db" {
  name                = local.names.database_instance
  region              = var.region
  database_version    = "POSTGRES_16"
  deletion_protection = false

  settings {
    tier                        = var.database_tier
    edition                     = "ENTERPRISE"
    availability_type           = local.high_availability ? "REGIONAL" : "ZONAL"
    disk_type                   = "PD_SSD"
    disk_autoresize             = true
    deletion_protection_enabled = false
    user_labels                 = local.labels

    # No public IP and no VPC peering: the instance is reached through a Private Service
    # Connect endpoint in the tenant's subnet (below). Unlike private services access, PSC
    # leaves no peering behind that would keep the VPC from being destroyed.
    ip_configuration {
      ipv4_enabled = false
      ssl_mode     = var.encryption_required ? "ENCRYPTED_ONLY" : "ALLOW_UNENCRYPTED_AND_ENCRYPTED"

      psc_config {
        psc_enabled               = true
        allowed_consumer_projects = [local.project]
      }
    }

    # A regional (high availability) Postgres instance needs backups and point-in-time recovery.
    backup_configuration {
      enabled                        = local.backups || local.high_availability
      point_in_time_recovery_enabled = local.backups || local.high_availability
    }
  }
}

resource "google_compute_address" "db" {
  name         = local.names.database_address
  description  = local.description
  region       = var.region
  subnetwork   = google_compute_subnetwork.nodes.id
  address_type = "INTERNAL"
}

resource "google_compute_forwarding_rule" "db" {
  name                  = local.names.database_forwarding_rule
  description           = local.description
  region                = var.region
  network               = google_compute_network.vpc.id
  ip_address            = google_compute_address.db.id
  load_balancing_scheme = ""
  target                = google_sql_database_instance.db.psc_service_attachment_link
}
