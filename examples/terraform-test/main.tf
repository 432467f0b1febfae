# A module under test: one migration. Against a simulator, DIGITALOCEAN_API_URL and DIGITALOCEAN_TOKEN
# are the ones `dodb simulator` prints; TF_VAR_cluster_id names the cluster of this run.
terraform {
  required_providers {
    dodb = {
      source  = "dodb/dodb"
      version = "0.1.0"
    }
  }
}

provider "dodb" {}

variable "cluster_id" {
  type = string
}

variable "source_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "dodb_online_migration" "orders" {
  cluster_id = var.cluster_id

  source {
    host                = "legacy-db.example.com"
    port                = 5432
    db_name             = "orders"
    username            = "replicator"
    password_wo         = var.source_password
    password_wo_version = 1
  }

  wait_for = "syncing"
}

output "status" {
  value = dodb_online_migration.orders.status
}
