import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, migrationConfig, workspace } from '../helpers/terraform';

const PASSWORD = 'Tr4ce-Secret-Pw';

test('with TF_LOG=trace, neither the token nor the password appears in any output', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 300 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const env = { TF_LOG: 'trace', TF_VAR_source_password: PASSWORD };
  const outputs: string[] = [];
  for (const args of [['plan'], ['apply', '-auto-approve'], ['plan'], ['destroy', '-auto-approve']]) {
    const result = await ws.run(args, env);
    t.is(result.code, 0, args.join(' '));
    outputs.push(result.output);
  }
  const all = outputs.join('\n');
  t.true(all.includes('@module'), 'the provider\'s own log lines are in the trace');
  t.true(all.length > 10_000, 'trace logging was on');
  t.false(all.includes(sim.token), 'the token leaked');
  t.false(all.includes(PASSWORD), 'the password leaked');
  t.true((await requests(sim)).find((r) => r.method === 'PUT')!.fields!.includes('source.password'), 'the password was sent');
});

test('password_wo from an ephemeral variable is in neither the state nor a saved plan', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const ws = workspace(t, sim);
  const config = migrationConfig({
    waitFor: 'running',
    source: `    host                = "db.example.com"
    port                = 5432
    username            = "replicator"
    password_wo         = var.wo_password
    password_wo_version = 1`,
  }).replace(PROVIDER_BLOCK, `${PROVIDER_BLOCK}
variable "wo_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
`);
  ws.write({ 'main.tf': config });
  await initialized(t, ws);
  const env = { TF_VAR_wo_password: PASSWORD };
  const plan = await ws.run(['plan', '-out=saved.tfplan'], env);
  t.is(plan.code, 0, plan.output);
  const show = await ws.run(['show', '-json', 'saved.tfplan'], env);
  t.is(show.code, 0, show.stderr);
  t.false(show.stdout.includes(PASSWORD), 'the password is in the saved plan');
  t.false(readFileSync(join(ws.dir, 'saved.tfplan')).includes(PASSWORD), 'the password is in the plan file');
  const apply = await ws.run(['apply', 'saved.tfplan'], env);
  t.is(apply.code, 0, apply.output);
  t.false(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8').includes(PASSWORD), 'the password is in the state');
  t.true((await requests(sim)).find((r) => r.method === 'PUT')!.fields!.includes('source.password'), 'the write-only password was sent');
  const again = await ws.run(['plan', '-detailed-exitcode'], { TF_VAR_wo_password: 'another-password' });
  t.is(again.code, 0, 'changing only the write-only password plans no change');
  ws.write({ 'main.tf': config.replace('password_wo_version = 1', 'password_wo_version = 2') });
  const replace = await ws.run(['plan'], env);
  t.regex(replace.stdout, /must be replaced/);
});
