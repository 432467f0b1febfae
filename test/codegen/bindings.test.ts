import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { OnlineMigration } from '../../generated/cdktf/online-migration';
import { DodbProvider } from '../../generated/cdktf/provider';
import { generate } from '../../src/codegen/generate';
import { loadBindings, synthFixture } from './fixture-app';
import { runOk } from '../helpers/child';
import { CLUSTER } from '../helpers/constants';
import { ROOT, scratchDir } from '../helpers/project';
import { initialized, workspace } from '../helpers/terraform';

const ours = () => loadBindings(join(ROOT, 'generated/cdktf'), 'cdktf');

test('every attribute and block synthesizes under its snake_case name', (t) => {
  const json = synthFixture(ours(), scratchDir(t, 'synth'));
  const first = json.resource.dodb_online_migration.first;
  t.is(first.cluster_id, '${var.cluster_id}');
  t.deepEqual(first.source, {
    host: 'db.example.com',
    port: 5432,
    db_name: 'app',
    username: 'replicator',
    password: '${var.source_password}',
  });
  t.is(first.disable_ssl, true);
  t.deepEqual(first.ignore_dbs, ['scratch', 'audit']);
  t.is(first.wait_for, 'running');
  t.deepEqual(first.timeouts, { create: '5m', delete: '1m' });
  t.deepEqual(json.provider.dodb[0], {
    token: '${var.do_token}',
    api_endpoint: 'http://127.0.0.1:8080',
    http_retry_max: 2,
    http_retry_wait_min: 0.5,
    http_retry_wait_max: 3,
  });
  t.is(json.terraform.required_providers.dodb.source, 'dodb/dodb');
});

test('tokens from other resources and setters flow through', (t) => {
  const json = synthFixture(ours(), scratchDir(t, 'synth'));
  const second = json.resource.dodb_online_migration.second;
  t.is(second.cluster_id, '${dodb_online_migration.first.cluster_id}');
  t.is(second.source.host, '${dodb_online_migration.first.source[0].host}');
  t.is(second.source.password_wo, '${var.source_password}');
  t.is(second.source.password_wo_version, 2);
  t.is(second.wait_for, 'none');
  t.deepEqual(second.ignore_dbs, ['db0']);
  t.deepEqual(second.depends_on, ['dodb_online_migration.first']);
  t.is(json.data.dodb_online_migration.latest.cluster_id, '${dodb_online_migration.second.cluster_id}');
  t.is(json.output.first_id.value, '${dodb_online_migration.first.id}');
});

test('a sensitive variable stays a reference, never a literal', (t) => {
  const stack = new TerraformStack(Testing.app(), 'secrets');
  const password = new TerraformVariable(stack, 'pw', { type: 'string', sensitive: true, default: 'hunter2-literal' });
  new DodbProvider(stack, 'dodb');
  new OnlineMigration(stack, 'm', { clusterId: 'c', source: { host: 'h', port: 1, password: password.stringValue } });
  const json = JSON.parse(Testing.synth(stack));
  t.is(json.resource.dodb_online_migration.m.source.password, '${var.pw}');
  t.is(JSON.stringify(json.resource).includes('hunter2-literal'), false);
});

test('Testing.synthHcl output is HCL that terraform validates with the provider installed', async (t) => {
  const stack = new TerraformStack(Testing.app(), 'hcl');
  new DodbProvider(stack, 'dodb', { httpRetryMax: 1 });
  new OnlineMigration(stack, 'm', {
    clusterId: CLUSTER,
    source: { host: 'db', port: 5432, username: 'u' },
    ignoreDbs: ['x'],
    timeouts: { create: '1m' },
  });
  const hcl = Testing.synthHcl(stack);
  t.regex(hcl, /resource "dodb_online_migration" "m" \{/);
  t.regex(hcl, /source \{/);
  // No API is called: validate reads the configuration and the provider's schema only.
  const ws = workspace(t, { url: 'http://127.0.0.1:9', token: 'unused' });
  ws.write({ 'main.tf': hcl });
  await initialized(t, ws);
  const validate = await ws.run(['validate', '-json']);
  t.is(JSON.parse(validate.stdout).valid, true, validate.output);
});

test('bindings generated for cdktn synthesize the same JSON as for cdktf', async (t) => {
  const dir = scratchDir(t, 'cdktn');
  for (const file of await generate({ root: ROOT, cdkLibrary: 'cdktn' })) {
    if (!file.path.startsWith('generated/cdktf/')) continue;
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  const cdktnBindings = loadBindings(join(dir, 'generated/cdktf'), 'cdktn');
  t.not(cdktnBindings.cdk, ours().cdk, 'the cdktn bindings load a different CDK library');
  const withoutVersionStamp = (json: Record<string, any>) => {
    const copy = structuredClone(json);
    delete copy['//'].metadata.version;
    return copy;
  };
  t.deepEqual(
    withoutVersionStamp(synthFixture(cdktnBindings, join(dir, 'out-cdktn'))),
    withoutVersionStamp(synthFixture(ours(), join(dir, 'out-cdktf'))),
  );
});

test('the generated code compiles under --strict on its own', async (t) => {
  const files = ['provider', 'online-migration', 'data-dodb-online-migration'].map((m) =>
    join(ROOT, 'generated/cdktf', m, 'index.ts'),
  );
  await t.notThrowsAsync(
    runOk(join(ROOT, 'node_modules/.bin/tsc'), [
      '--noEmit',
      '--strict',
      '--noImplicitOverride',
      '--target',
      'ES2022',
      '--module',
      'nodenext',
      '--skipLibCheck',
      join(ROOT, 'generated/types.ts'),
      ...files,
    ]),
  );
});
