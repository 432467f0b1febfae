# Ephemeral (Terraform 1.10+): the password reaches the write-only password_wo and is kept in
# neither the state nor the plan file. Change it by bumping password_wo_version.
variable "source_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "dodb_online_migration" "example" {
  cluster_id = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"

  source {
    host                = "legacy-db.example.com"
    port                = 5432
    db_name             = "app"
    username            = "replicator"
    password_wo         = var.source_password
    password_wo_version = 1
  }

  ignore_dbs = ["scratch"]
  wait_for   = "syncing"

  # The cutover: set to true once writes go to the target cluster (see the cutover guide).
  cutover = false

  timeouts {
    create = "45m"
    update = "2h"
  }
}
