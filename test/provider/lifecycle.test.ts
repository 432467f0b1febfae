import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_ADDRESS } from '../../src/version';
import { ROOT } from '../helpers/project';
import { CLUSTER } from '../helpers/constants';
import { admin, requests, simulator } from '../helpers/simulator';
import { initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';

const count = (log: Array<{ method: string }>, method: string) => log.filter((r) => r.method === method).length;

/** A simulator whose migrations sync at once, and a workspace that has applied the standard migration. */
async function applied(t: ExecutionContext) {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig({ waitFor: 'running' }) });
  await initialized(t, ws);
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  return { sim, ws };
}

test('init from the mirror, validate, plan, apply to syncing, a plan with no changes, then one DELETE on destroy', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 1000 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const lock = readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8');
  t.regex(lock.slice(lock.indexOf(`provider "${PROVIDER_ADDRESS}"`)), /^provider [^}]*"h1:[A-Za-z0-9+/=]+"/);

  const validate = await ws.run(['validate']);
  t.is(validate.code, 0, validate.output);
  const plan = await ws.run(['plan']);
  t.regex(plan.stdout, /Plan: 1 to add, 0 to change, 0 to destroy/);
  t.is(count(await requests(sim), 'PUT'), 0, 'plan starts nothing');

  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  const instance = resourceInstance(ws.state())!;
  t.is(instance.attributes.status, 'syncing');
  t.regex(instance.attributes.id, /^[0-9a-f-]{36}$/);
  t.is(instance.attributes.wait_for, 'syncing');
  t.false(instance.attributes.disable_ssl);

  const again = await ws.run(['plan', '-detailed-exitcode']);
  t.is(again.code, 0, again.output);
  t.regex(again.stdout, /No changes/);

  const destroy = await ws.run(['destroy', '-auto-approve']);
  t.is(destroy.code, 0, destroy.output);
  const log = await requests(sim);
  t.is(count(log, 'PUT'), 1);
  t.is(count(log, 'DELETE'), 1);
  t.is(
    (await admin<Array<{ status: string }>>(sim, 'GET', 'migrations'))[0]!.status,
    'done',
    'destroying a syncing migration is its cutover',
  );
});

test('terraform providers schema -json prints exactly generated/provider-schema.json', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const schema = await ws.run(['providers', 'schema', '-json']);
  t.is(schema.code, 0, schema.stderr);
  t.deepEqual(
    JSON.parse(schema.stdout),
    JSON.parse(readFileSync(join(ROOT, 'generated/provider-schema.json'), 'utf8')),
  );
});

for (const status of ['canceled', 'error'] as const) {
  test(`a migration that became ${status} outside Terraform: the plan warns and does not replace it`, async (t) => {
    const { sim, ws } = await applied(t);
    await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status });
    const plan = await ws.run(['plan', '-detailed-exitcode']);
    t.is(plan.code, 0, plan.output);
    t.regex(plan.output, new RegExp(`Warning: Online migration ${status}`));
    t.regex(plan.output, /never restarts a\s+migration by itself/);
    t.regex(plan.output, /No changes/);
    t.is(count(await requests(sim), 'PUT'), 1);
  });
}

test('-replace starts a new migration; destroying a done migration sends no DELETE', async (t) => {
  const { sim, ws } = await applied(t);
  const first = resourceInstance(ws.state())!.attributes.id;
  const replace = await ws.run(['apply', '-auto-approve', '-replace=dodb_online_migration.m']);
  t.is(replace.code, 0, replace.output);
  const second = resourceInstance(ws.state())!.attributes.id;
  t.not(second, first);
  t.deepEqual(
    (await requests(sim)).filter((r) => r.method !== 'GET').map((r) => r.method),
    ['PUT', 'DELETE', 'PUT'],
  );

  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  const destroy = await ws.run(['destroy', '-auto-approve']);
  t.is(destroy.code, 0, destroy.output);
  t.is(count(await requests(sim), 'DELETE'), 1, 'no DELETE for a done migration');
});

test('wait_for and timeouts change in place with no API call', async (t) => {
  const { sim, ws } = await applied(t);
  ws.write({ 'main.tf': migrationConfig({ waitFor: 'done', extra: '  timeouts {\n    create = "1h"\n  }' }) });
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.regex(apply.stdout, /0 added, 1 changed, 0 destroyed/);
  t.is(count(await requests(sim), 'PUT'), 1);
  t.is(count(await requests(sim), 'DELETE'), 0);
});

test('changing the source replaces the migration: stop, then start', async (t) => {
  const { sim, ws } = await applied(t);
  ws.write({ 'main.tf': migrationConfig({ waitFor: 'running' }).replace('db.example.com', 'db2.example.com') });
  const plan = await ws.run(['plan']);
  t.regex(plan.stdout, /must be replaced/);
  t.regex(plan.stdout, /forces replacement/);
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  t.deepEqual(
    (await requests(sim)).filter((r) => r.method !== 'GET').map((r) => r.method),
    ['PUT', 'DELETE', 'PUT'],
  );
});

test('switching from password to password_wo is an in-place, state-only update: no replacement, no API call, no password in state', async (t) => {
  const { sim, ws } = await applied(t);
  const writeOnly = migrationConfig({ waitFor: 'running' })
    .replace('default   = "pw-Secret-42"', 'default   = "pw-Secret-42"\n  ephemeral = true')
    .replace(
      'password = var.source_password',
      'password_wo         = var.source_password\n    password_wo_version = 1',
    );
  ws.write({ 'main.tf': writeOnly });
  const plan = await ws.run(['plan']);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.stdout, /0 to add, 1 to change, 0 to destroy/);
  t.notRegex(plan.stdout, /forces replacement/);
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  t.false(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8').includes('pw-Secret-42'));
  t.deepEqual(
    (await requests(sim)).filter((r) => r.method !== 'GET').map((r) => r.method),
    ['PUT'],
  );

  ws.write({ 'main.tf': writeOnly.replace('password_wo_version = 1', 'password_wo_version = 2') });
  const bumped = await ws.run(['plan']);
  t.regex(
    bumped.stdout,
    /password_wo_version\s+= 1 -> 2 # forces replacement/,
    'a new password is what the version is for',
  );
});
