# terraform test: starts the migration, waits until it syncs, and at the end destroys it, which is
# the cutover (the cluster's last migration is then `done`). Before the next run, reset the
# simulator or make a fresh cluster (docs/guides/testing-with-the-simulator.md): a start after a
# cutover is refused.

run "starts_and_syncs" {
  command = apply

  assert {
    condition     = output.status == "syncing"
    error_message = "the migration should have reached syncing, got ${output.status}"
  }
}

run "a_second_plan_changes_nothing" {
  command = plan

  assert {
    condition     = dodb_online_migration.orders.status == "syncing"
    error_message = "the migration should still be syncing"
  }
}
