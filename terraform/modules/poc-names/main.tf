# The one naming rule of a tenant's POC resources, shared by modules/gcp-poc and its offline
# twin modules/local-poc so that both name alike. No provider, no resource: it evaluates offline
# (test/static/poc-resource-names.test.ts applies it for long, similar slugs).
#
# Names are unique per tenant and fit every GCP limit they are used for:
#   base = "poc-" + the slug cut to 22 characters (trailing hyphens trimmed) + "-" + 8 hex digits
#          of sha1(tenant_id): at most 35 characters, and two tenants whose slugs agree on their
#          first 22 characters still differ (the tenant id is unique; the live slug is too).
#   cluster  base-gke            ≤ 39  (GKE: 40)
#   firewall base-<rule>         ≤ 55  (Compute: 63; longest rule "allow-health-checks")
#   others   base-<suffix>       ≤ 42  (Compute: 63)
#   database base-db-<6 hex>     ≤ 45  (Cloud SQL: 98 with the project id; a name cannot be
#                                       reused for a week, so the expiry is hashed in as well)
#   service account poc-<12 hex>-nodes = 22 (IAM: 6-30)
# The names are deterministic: a retried apply names what an interrupted one created the same
# way, which is what lets it adopt it (see docs/adr/0016-tofu-nothing-outlives-its-job.md).

locals {
  hash = substr(sha1(lower(var.tenant_id)), 0, 8)
  slug = replace(substr(var.tenant_slug, 0, 22), "/-+$/", "")
  base = "poc-${local.slug}-${local.hash}"

  firewall_rules = ["allow-internal", "allow-health-checks", "allow-iap-ssh", "allow-https", "allow-http", "deny-all-ingress"]
}
