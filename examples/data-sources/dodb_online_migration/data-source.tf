data "dodb_online_migration" "current" {
  cluster_id = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"
}

output "migration_status" {
  value = data.dodb_online_migration.current.status
}
