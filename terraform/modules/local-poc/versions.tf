terraform {
  required_version = ">= 1.6.0"

  # The simulated cloud's provider, built from providers/localcloud by `npm run tools` into the
  # filesystem mirror tofu installs from (ADR 25): no download, offline like the rest.
  required_providers {
    localcloud = {
      source  = "poc-engine.local/engine/localcloud"
      version = "~> 0.1"
    }
  }
}
