terraform {
  required_providers {
    dodb = {
      source  = "dodb/dodb"
      version = "0.1.0"
    }
  }
}

# The token comes from DIGITALOCEAN_TOKEN; set api_endpoint to a `dodb simulator` for tests.
provider "dodb" {
  http_retry_max = 4
}
