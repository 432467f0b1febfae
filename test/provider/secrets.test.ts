import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER } from '../helpers/constants';
import { bodyOf, serve } from '../helpers/http-server';
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
  t.true(all.includes('@module'), "the provider's own log lines are in the trace");
  t.true(all.length > 10_000, 'trace logging was on');
  t.false(all.includes(sim.token), 'the token leaked');
  t.false(all.includes(PASSWORD), 'the password leaked');
  t.true(
    (await requests(sim)).find((r) => r.method === 'PUT')!.fields!.includes('source.password'),
    'the password was sent',
  );
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
  }).replace(
    PROVIDER_BLOCK,
    `${PROVIDER_BLOCK}
variable "wo_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
`,
  );
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
  t.true(
    (await requests(sim)).find((r) => r.method === 'PUT')!.fields!.includes('source.password'),
    'the write-only password was sent',
  );
  const again = await ws.run(['plan', '-detailed-exitcode'], { TF_VAR_wo_password: 'another-password' });
  t.is(again.code, 0, 'changing only the write-only password plans no change');
  ws.write({ 'main.tf': config.replace('password_wo_version = 1', 'password_wo_version = 2') });
  const replace = await ws.run(['plan'], env);
  t.regex(replace.stdout, /must be replaced/);
});

test('a server that echoes the Authorization header and the request body puts neither into a diagnostic or a log', async (t) => {
  const token = 'dop_v1_echo0123456789abcdef';
  const echo = await serve(t, async (req, res) => {
    const body = await bodyOf(req);
    const status = req.method === 'PUT' ? 422 : 500;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ id: 'echo', message: `rejected Authorization: ${req.headers.authorization} with body ${body}` }),
    );
  });
  const ws = workspace(t, { url: echo.url, token });
  ws.write({
    'main.tf': `${migrationConfig()}\nprovider "dodb" {\n  http_retry_max = 0\n}\n\ndata "dodb_online_migration" "d" {\n  cluster_id = "${CLUSTER}"\n}\n`,
  });
  await initialized(t, ws);
  const apply = await ws.run(['apply', '-auto-approve'], { TF_LOG: 'trace', TF_VAR_source_password: PASSWORD });
  t.is(apply.code, 1);
  t.regex(apply.output, /rejected Authorization: \[redacted\]/, "the server's message is shown, redacted");
  t.false(apply.output.includes(token.slice(7)), 'the token leaked');
  t.false(apply.output.includes(PASSWORD), 'the password leaked');
});

test('hosts that carry credentials are not repeated by validate or plan, nor in the trace log', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  for (const host of [
    'replicator:hunter2secret@db.example.com',
    'postgres://replicator:p@ss/hunter2@db.example.com:5432/app',
  ]) {
    ws.write({
      'main.tf': migrationConfig({ source: `    host = var.host\n    port = 5432` }).replace(
        PROVIDER_BLOCK,
        `${PROVIDER_BLOCK}\nvariable "host" { type = string }\n`,
      ),
    });
    for (const args of [['validate'], ['plan']]) {
      const result = await ws.run(args, { TF_LOG: 'trace', TF_VAR_host: host });
      if (args[0] === 'plan') t.regex(result.output, /Invalid value for source\[0\]\.host/, host);
      t.false(result.output.includes('hunter2'), `${args[0]} with ${host}`);
    }
    ws.write({ 'main.tf': migrationConfig({ source: `    host = "${host}"\n    port = 5432` }) });
    const validate = await ws.run(['validate'], { TF_LOG: 'trace' });
    t.is(validate.code, 1);
    t.regex(validate.output, /Invalid value for source\[0\]\.host/);
    t.false(validate.output.includes('hunter2'), `validate with ${host} in the configuration`);
  }
  t.deepEqual(await requests(sim), []);
});
