terraform {
  # Built-in terraform_data and local-exec only: this module needs no provider download,
  # so it works offline (CI, laptops) and stands in for modules/gcp-poc.
  required_version = ">= 1.6.0"
}
