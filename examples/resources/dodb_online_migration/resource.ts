import type { Construct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { DodbProvider } from 'dodb/provider';
import { OnlineMigration } from 'dodb/online-migration';

export class OnlineMigrationExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DodbProvider(this, 'dodb');
    // Ephemeral (Terraform 1.10+; cdktf has no option for it yet): kept in neither state nor plan file.
    const password = new TerraformVariable(this, 'source_password', { type: 'string', sensitive: true });
    password.addOverride('ephemeral', true);
    new OnlineMigration(this, 'example', {
      clusterId: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
      source: {
        host: 'legacy-db.example.com',
        port: 5432,
        dbName: 'app',
        username: 'replicator',
        passwordWo: password.stringValue,
        passwordWoVersion: 1,
      },
      ignoreDbs: ['scratch'],
      waitFor: 'syncing',
      // The cutover: set to true once writes go to the target cluster (see the cutover guide).
      cutover: false,
      timeouts: { create: '45m', update: '2h' },
    });
  }
}
