terraform import dodb_online_migration.example 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30
