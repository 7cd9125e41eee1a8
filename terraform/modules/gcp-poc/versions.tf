terraform {
  required_version = ">= 1.6.0"

  required_providers {
    # The engine's image bakes this provider into a read-only filesystem mirror (Dockerfile,
    # ADR 7): keep the constraint and the Dockerfile's mirror in step.
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}
