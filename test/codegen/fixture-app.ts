import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Constructor signatures the fixture needs from a set of bindings, whoever generated them. */
export interface Bindings {
  cdk: typeof import('cdktf');
  DodbProvider: new (scope: unknown, id: string, config?: Record<string, unknown>) => Record<string, unknown>;
  OnlineMigration: new (scope: unknown, id: string, config: Record<string, unknown>) => Record<string, any>;
  DataDodbOnlineMigration: new (scope: unknown, id: string, config: Record<string, unknown>) => Record<string, any>;
}

export function loadBindings(dir: string, cdkModule: string): Bindings {
  return {
    cdk: require(cdkModule),
    DodbProvider: require(join(dir, 'provider')).DodbProvider,
    OnlineMigration: require(join(dir, 'online-migration')).OnlineMigration,
    DataDodbOnlineMigration: require(join(dir, 'data-dodb-online-migration')).DataDodbOnlineMigration,
  };
}

/** One app that uses every attribute and block, tokens from variables and other resources, and setters. */
export function synthFixture(b: Bindings, outdir: string): Record<string, any> {
  const app = new b.cdk.App({ outdir });
  const stack = new b.cdk.TerraformStack(app, 'fixture');
  const token = new b.cdk.TerraformVariable(stack, 'do_token', { type: 'string', sensitive: true });
  const password = new b.cdk.TerraformVariable(stack, 'source_password', { type: 'string', sensitive: true });
  const cluster = new b.cdk.TerraformVariable(stack, 'cluster_id', { type: 'string' });
  new b.DodbProvider(stack, 'dodb', {
    token: token.stringValue,
    apiEndpoint: 'http://127.0.0.1:8080',
    httpRetryMax: 2,
    httpRetryWaitMin: 0.5,
    httpRetryWaitMax: 3,
  });
  const first = new b.OnlineMigration(stack, 'first', {
    clusterId: cluster.stringValue,
    source: {
      host: 'db.example.com',
      port: 5432,
      dbName: 'app',
      username: 'replicator',
      password: password.stringValue,
    },
    disableSsl: true,
    ignoreDbs: ['scratch', 'audit'],
    waitFor: 'running',
    timeouts: { create: '5m', delete: '1m' },
  });
  const second = new b.OnlineMigration(stack, 'second', {
    clusterId: first.clusterId,
    source: { host: first.source.host, port: 6379, passwordWo: password.stringValue, passwordWoVersion: 2 },
    dependsOn: [first as never],
  });
  second.waitFor = 'none';
  second.ignoreDbs = ['db0'];
  const latest = new b.DataDodbOnlineMigration(stack, 'latest', { clusterId: second.clusterId });
  new b.cdk.TerraformOutput(stack, 'latest_status', { value: latest.status });
  new b.cdk.TerraformOutput(stack, 'first_id', { value: first.id });
  app.synth();
  return JSON.parse(readFileSync(join(outdir, 'stacks', 'fixture', 'cdk.tf.json'), 'utf8'));
}
