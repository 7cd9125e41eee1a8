# The same names as modules/gcp-poc (unique per tenant within GCP's limits, deterministic).
module "names" {
  source = "../poc-names"

  tenant_id   = var.tenant_id
  tenant_slug = var.tenant_slug
  expires_at  = var.expires_at
}

locals {
  # The same labels as modules/gcp-poc: GCP label values allow only [a-z0-9_-].
  labels = merge(var.labels, {
    tenant     = var.tenant_slug
    tenant_id  = lower(var.tenant_id)
    poc_tier   = var.poc_tier
    expires_at = lower(replace(var.expires_at, "/[^0-9A-Za-z_-]/", "-"))
    managed_by = "poc-provisioning-engine"
  })
  domain = coalesce(var.base_domain, "local.poc")

  # The simulation knobs are the provider's behaviour: faults it injects into its own calls.
  resource_types = {
    vpc_network       = "localcloud_network"
    gke_cluster       = "localcloud_cluster"
    database_instance = "localcloud_database_instance"
  }
  faults = concat(
    # A resource whose creation fails permanently (400, every time).
    [for r in compact([var.simulate_failure_resource]) : {
      resource = lookup(local.resource_types, r, r), call = "create", code = 400, reason = null, count = -1
    }],
    # Each resource's create answers 503 this many times before it succeeds.
    [for n in [var.simulate_transient_failures] : {
      resource = null, call = "create", code = 503, reason = null, count = n
    } if n > 0],
  )
}

# The simulated cloud (providers/localcloud): each object is a JSON document under
# environment_root/<networks|clusters|instances>/<name>.json that tests read and edit. Like a
# cloud API, creating a name that is taken answers googleapi 409 alreadyExists; the engine then
# adopts an object of this tenant with `tofu import` and refuses another tenant's (ADR 16, 25).
provider "localcloud" {
  directory      = var.environment_root
  create_seconds = var.simulate_apply_delay_seconds
  faults         = local.faults
}

resource "localcloud_network" "vpc_network" {
  name                = module.names.network
  labels              = local.labels
  deletion_protection = var.simulate_destroy_failure == "vpc_network"
}

resource "localcloud_cluster" "gke_cluster" {
  name          = module.names.cluster
  location      = var.region
  network       = localcloud_network.vpc_network.name
  node_count    = var.node_count
  machine_type  = var.machine_type
  private_nodes = var.network_isolation_level == "high"
  labels        = local.labels
  # What the GCP module turns into firewall rules, shielded nodes and add-ons, recorded so that
  # tests and demos can see it.
  metadata = {
    network_isolation_level = var.network_isolation_level
    encryption_required     = tostring(var.encryption_required)
    enabled_features        = join(",", var.enabled_features)
    product_features        = join(",", var.product_features)
  }
  deletion_protection = var.simulate_destroy_failure == "gke_cluster"
}

resource "localcloud_database_instance" "database_instance" {
  name                = module.names.database_instance
  region              = var.region
  network             = localcloud_network.vpc_network.name
  tier                = var.database_tier
  activation_policy   = "RUNNING"
  labels              = local.labels
  deletion_protection = var.simulate_destroy_failure == "database_instance"
}
