import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DodbProvider } from '../../../generated/cdktf/provider';
import { DataDodbOnlineMigration } from '../../../generated/cdktf/data-dodb-online-migration';

export class DataSourceExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DodbProvider(this, 'dodb');
    const current = new DataDodbOnlineMigration(this, 'current', { clusterId: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30' });
    new TerraformOutput(this, 'migration_status', { value: current.status });
  }
}
