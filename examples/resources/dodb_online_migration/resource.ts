import { Construct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { DodbProvider } from '../../../generated/cdktf/provider';
import { OnlineMigration } from '../../../generated/cdktf/online-migration';

export class OnlineMigrationExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DodbProvider(this, 'dodb');
    const password = new TerraformVariable(this, 'source_password', { type: 'string', sensitive: true });
    new OnlineMigration(this, 'example', {
      clusterId: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
      source: { host: 'legacy-db.example.com', port: 5432, dbName: 'app', username: 'replicator', password: password.stringValue },
      ignoreDbs: ['scratch'],
      waitFor: 'syncing',
      timeouts: { create: '45m' },
    });
  }
}
