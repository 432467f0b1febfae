import type { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { DodbProvider } from '../../generated/cdktf/provider';
import { OnlineMigration } from '../../generated/cdktf/online-migration';
import { DataDodbOnlineMigration } from '../../generated/cdktf/data-dodb-online-migration';

/**
 * The example migration: the provider reads its token and endpoint from the environment
 * (DIGITALOCEAN_TOKEN, DIGITALOCEAN_API_URL), so the same stack runs against the simulator and
 * the real API; the connection comes from variables and the password from a sensitive one.
 */
export class MigrationStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Relative to the stack's folder: the project root, so that a new synth keeps the state.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    new DodbProvider(this, 'dodb');

    const variable = (name: string, description: string, defaultValue?: string | number) =>
      new TerraformVariable(this, name, {
        type: typeof defaultValue === 'number' ? 'number' : 'string',
        description,
        default: defaultValue,
      });
    const clusterId = variable('cluster_id', 'UUID of the target DigitalOcean database cluster.');
    const host = variable('source_host', 'Host of the source database.', 'legacy-db.example.com');
    const port = variable('source_port', 'Port of the source database.', 5432);
    const dbName = variable('source_db_name', 'Database to migrate.', 'app');
    const username = variable('source_username', 'User that connects to the source.', 'replicator');
    const password = new TerraformVariable(this, 'source_password', {
      type: 'string',
      sensitive: true,
      description: 'Password of that user (set TF_VAR_source_password).',
    });

    // The cutover as a reviewed change: apply with TF_VAR_cutover=true once writes go to the target.
    // The default is the string "false", which Terraform converts to the bool: cdktf's HCL output
    // (make hcl) drops a default of `false` itself, which would make the variable required.
    const cutover = new TerraformVariable(this, 'cutover', {
      type: 'bool',
      default: 'false',
      description: 'Stop the syncing migration: the target cluster runs on its own (cannot be undone).',
    });

    const migration = new OnlineMigration(this, 'migration', {
      clusterId: clusterId.stringValue,
      source: {
        host: host.stringValue,
        port: port.numberValue,
        dbName: dbName.stringValue,
        username: username.stringValue,
        password: password.stringValue,
      },
      ignoreDbs: ['scratch'],
      waitFor: 'syncing',
      cutover: cutover.booleanValue,
      timeouts: { create: '10m', update: '30m' },
    });

    const latest = new DataDodbOnlineMigration(this, 'latest', { clusterId: migration.clusterId });

    new TerraformOutput(this, 'migration_id', { value: migration.id });
    new TerraformOutput(this, 'migration_status', { value: migration.status });
    new TerraformOutput(this, 'latest_status', { value: latest.status });
    new TerraformOutput(this, 'cutover_at', { value: migration.cutoverAt });
  }
}
