resource "dodb_online_migration" "example" {
  cluster_id = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"

  source {
    host = "legacy-db.example.com"
    port = 5432
  }
}

# The most recent migration of the resource's cluster, whoever started it.
data "dodb_online_migration" "current" {
  cluster_id = dodb_online_migration.example.cluster_id
}

output "migration_status" {
  value = data.dodb_online_migration.current.status
}
