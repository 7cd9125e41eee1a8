# The same names as modules/gcp-poc (unique per tenant within GCP's limits, deterministic).
module "names" {
  source = "../poc-names"

  tenant_id   = var.tenant_id
  tenant_slug = var.tenant_slug
  expires_at  = var.expires_at
}

locals {
  env_dir = "${var.environment_root}/${var.tenant_slug}"
  simulation = {
    DELAY_SECONDS      = var.simulate_apply_delay_seconds
    FAIL_RESOURCE      = var.simulate_failure_resource
    TRANSIENT_FAILURES = var.simulate_transient_failures
    UNDELETABLE        = var.simulate_destroy_failure
    ATTEMPTS_DIR       = "${var.environment_root}/.attempts"
  }
  common = {
    tenant_id   = var.tenant_id
    tenant_slug = var.tenant_slug
    poc_tier    = var.poc_tier
    region      = var.region
    expires_at  = var.expires_at
    labels      = local.labels
    # Recorded so that tests and demos can see what the GCP module would have done.
    network_isolation_level = var.network_isolation_level
    private_nodes           = var.network_isolation_level == "high"
    encryption_required     = var.encryption_required
    enabled_features        = var.enabled_features
    product_features        = var.product_features
  }
  # The same labels as modules/gcp-poc: GCP label values allow only [a-z0-9_-].
  labels = merge(var.labels, {
    tenant     = var.tenant_slug
    tenant_id  = lower(var.tenant_id)
    poc_tier   = var.poc_tier
    expires_at = lower(replace(var.expires_at, "/[^0-9A-Za-z_-]/", "-"))
    managed_by = "poc-provisioning-engine"
  })
  domain = coalesce(var.base_domain, "local.poc")
}

# Each resource is a terraform_data whose create-time local-exec writes a marker file and
# whose destroy-time local-exec removes it, so tests can observe that a resource exists
# exactly once and that destroy really happened. Like a cloud API, creating a marker that
# exists fails, except that one of the same tenant is adopted (a retry after an apply that
# created it but could not record it): see scripts/create-resource.sh.
resource "terraform_data" "vpc_network" {
  input = merge(local.common, {
    kind   = "vpc_network"
    name   = module.names.network
    marker = "${local.env_dir}/vpc_network.json"
  })

  provisioner "local-exec" {
    command     = "sh '${path.module}/scripts/create-resource.sh'"
    environment = merge(local.simulation, { KIND = self.input.kind, MARKER = self.input.marker, TENANT_ID = self.input.tenant_id, RESOURCE = jsonencode(self.input) })
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "sh '${path.module}/scripts/delete-resource.sh'"
    environment = { KIND = self.input.kind, MARKER = self.input.marker, TENANT_ID = self.input.tenant_id }
  }
}

resource "terraform_data" "gke_cluster" {
  input = merge(local.common, {
    kind         = "gke_cluster"
    name         = module.names.cluster
    network      = terraform_data.vpc_network.output.name
    node_count   = var.node_count
    machine_type = var.machine_type
    marker       = "${local.env_dir}/gke_cluster.json"
  })

  provisioner "local-exec" {
    command     = "sh '${path.module}/scripts/create-resource.sh'"
    environment = merge(local.simulation, { KIND = self.input.kind, MARKER = self.input.marker, TENANT_ID = self.input.tenant_id, RESOURCE = jsonencode(self.input) })
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "sh '${path.module}/scripts/delete-resource.sh'"
    environment = { KIND = self.input.kind, MARKER = self.input.marker, TENANT_ID = self.input.tenant_id }
  }
}

resource "terraform_data" "database_instance" {
  input = merge(local.common, {
    kind    = "database_instance"
    name    = module.names.database_instance
    network = terraform_data.vpc_network.output.name
    tier    = var.database_tier
    marker  = "${local.env_dir}/database_instance.json"
  })

  provisioner "local-exec" {
    command     = "sh '${path.module}/scripts/create-resource.sh'"
    environment = merge(local.simulation, { KIND = self.input.kind, MARKER = self.input.marker, TENANT_ID = self.input.tenant_id, RESOURCE = jsonencode(self.input) })
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "sh '${path.module}/scripts/delete-resource.sh'"
    environment = { KIND = self.input.kind, MARKER = self.input.marker, TENANT_ID = self.input.tenant_id }
  }
}
