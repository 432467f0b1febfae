import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DodbProvider } from 'dodb/provider';
import { OnlineMigration } from 'dodb/online-migration';
import { DataDodbOnlineMigration } from 'dodb/data-dodb-online-migration';

export class DataSourceExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DodbProvider(this, 'dodb');
    const migration = new OnlineMigration(this, 'example', {
      clusterId: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
      source: { host: 'legacy-db.example.com', port: 5432 },
    });
    // The most recent migration of the resource's cluster, whoever started it.
    const current = new DataDodbOnlineMigration(this, 'current', { clusterId: migration.clusterId });
    new TerraformOutput(this, 'migration_status', { value: current.status });
  }
}
