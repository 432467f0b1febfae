variable "source_password" {
  type      = string
  sensitive = true
}

resource "dodb_online_migration" "example" {
  cluster_id = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"

  source {
    host     = "legacy-db.example.com"
    port     = 5432
    db_name  = "app"
    username = "replicator"
    password = var.source_password
  }

  ignore_dbs = ["scratch"]
  wait_for   = "syncing"

  timeouts {
    create = "45m"
  }
}
