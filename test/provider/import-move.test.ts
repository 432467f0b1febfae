import test, { type ExecutionContext } from 'ava';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT, scratchDir } from '../helpers/project';
import { CLUSTER } from '../helpers/constants';
import { admin, requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';

/** The first HCL block of a README section. */
const readmeSample = (heading: string) =>
  new RegExp(`${heading}[\\s\\S]*?\`\`\`hcl\\n([\\s\\S]*?)\`\`\``).exec(
    readFileSync(join(ROOT, 'README.md'), 'utf8'),
  )![1]!;

const mutations = async (sim: Parameters<typeof requests>[0]) =>
  (await requests(sim)).filter((r) => r.method !== 'GET').length;

test('terraform import by cluster ID adopts the latest migration; filling source is an in-place, API-free update', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const existing = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig({ waitFor: 'running' }) });
  await initialized(t, ws);
  const imported = await ws.run(['import', 'dodb_online_migration.m', CLUSTER]);
  t.is(imported.code, 0, imported.output);
  t.is(resourceInstance(ws.state())!.attributes.id, existing.id);

  const plan = await ws.run(['plan']);
  t.regex(plan.stdout, /0 to add, 1 to change, 0 to destroy/);
  t.notRegex(plan.stdout, /forces replacement/);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.is(await mutations(sim), 0, 'no PUT or DELETE');
  t.is(resourceInstance(ws.state())!.attributes.source[0].host, 'db.example.com');
  const after = await ws.run(['plan', '-detailed-exitcode']);
  t.is(after.code, 0, after.output);
});

test('the README import example imports and fills source in place with no API call, then plans no changes', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const existing = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': `${PROVIDER_BLOCK}\n${readmeSample('## Adopting a running migration')}` });
  await initialized(t, ws);
  const plan = await ws.run(['plan']);
  t.regex(plan.stdout, /1 to import, 0 to add, 1 to change, 0 to destroy/);
  t.notRegex(plan.stdout, /forces replacement/);
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  t.is(await mutations(sim), 0);
  t.is(resourceInstance(ws.state())!.attributes.id, existing.id);
  t.is((await ws.run(['plan', '-detailed-exitcode'])).code, 0);
});

test('importing a cluster that has no migration, or a bad ID, fails with a clear error', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const none = await ws.run(['import', 'dodb_online_migration.m', CLUSTER]);
  t.is(none.code, 1);
  t.regex(none.output, /Nothing to import/);
  const bad = await ws.run(['import', 'dodb_online_migration.m', 'not-a-uuid']);
  t.is(bad.code, 1);
  t.regex(bad.output, /Invalid import ID/);
});

/**
 * A workspace whose state holds a digitalocean_database_online_migration exactly as the official
 * provider writes it (five source fields, the password in clear, ignore_dbs null), moved to
 * dodb_online_migration.m by a `moved {}` block in `config`.
 */
async function movedFromOfficial(t: ExecutionContext, config: string, name = 'm') {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const running = await admin<{ id: string; created_at: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });

  const mirror = scratchDir(t, 'do-mirror');
  const binDir = join(mirror, 'registry.terraform.io/digitalocean/digitalocean/2.63.0/linux_amd64');
  mkdirSync(binDir, { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, 'fixtures/digitalocean-standin.ts')],
    outfile: join(binDir, 'terraform-provider-digitalocean_v2.63.0'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'error',
  });
  chmodSync(join(binDir, 'terraform-provider-digitalocean_v2.63.0'), 0o755);
  const cliConfig = join(mirror, 'terraformrc');
  writeFileSync(
    cliConfig,
    `provider_installation {
  filesystem_mirror {
    path    = "${join(ROOT, 'dist/mirror')}"
    include = ["registry.terraform.io/dodb/*"]
  }
  filesystem_mirror {
    path    = "${mirror}"
    include = ["registry.terraform.io/digitalocean/*"]
  }
  direct {
    exclude = ["registry.terraform.io/dodb/*", "registry.terraform.io/digitalocean/*"]
  }
}
`,
  );
  const ws = workspace(t, sim, { cliConfig });
  const attributes = {
    id: running.id,
    cluster_id: CLUSTER,
    status: 'syncing',
    created_at: running.created_at,
    disable_ssl: false,
    ignore_dbs: null,
    source: [{ host: 'db.example.com', port: 5432, db_name: 'app', username: 'replicator', password: OLD_PASSWORD }],
  };
  ws.write({
    'terraform.tfstate': JSON.stringify({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: '5c0d6b7e-2f3a-4b1c-9d8e-7f6a5b4c3d2e',
      outputs: {},
      resources: [
        {
          mode: 'managed',
          type: 'digitalocean_database_online_migration',
          name,
          provider: 'provider["registry.terraform.io/digitalocean/digitalocean"]',
          instances: [{ schema_version: 0, attributes, sensitive_attributes: [], private: 'bnVsbA==' }],
        },
      ],
      check_results: null,
    }),
    'main.tf': config,
  });
  await initialized(t, ws);
  return { sim, ws, running };
}

const OLD_PASSWORD = 'pw-Old-Clear-77';

const MOVED = '\nmoved {\n  from = digitalocean_database_online_migration.m\n  to   = dodb_online_migration.m\n}\n';

/** Moved, then: no replacement planned, an apply that starts and stops nothing, then no changes. */
async function movesCleanly(t: ExecutionContext, config: string, name = 'm') {
  const { sim, ws, running } = await movedFromOfficial(t, config, name);
  const plan = await ws.run(['plan']);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.stdout, new RegExp(`moved from digitalocean_database_online_migration\\.${name}`));
  t.notRegex(plan.stdout, /must be replaced|forces replacement/);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.is(await mutations(sim), 0, 'no PUT or DELETE');
  t.is(resourceInstance(ws.state())!.attributes.id, running.id);
  const after = await ws.run(['plan', '-detailed-exitcode']);
  t.is(after.code, 0, after.output);
  return ws;
}

test('a moved {} block takes over a digitalocean_database_online_migration with no API call and no replacement', async (t) => {
  await movesCleanly(t, migrationConfig({ waitFor: 'syncing' }) + MOVED);
});

test('moved {} with the README example (host and port only): no replacement, nothing started or stopped, no old password kept', async (t) => {
  const ws = await movesCleanly(
    t,
    `${PROVIDER_BLOCK}\n${readmeSample('### Moving from the official DigitalOcean provider')}`,
    'orders',
  );
  t.deepEqual(resourceInstance(ws.state())!.attributes.source, [
    {
      host: 'legacy-db.example.com',
      port: 5432,
      db_name: null,
      username: null,
      password: null,
      password_wo: null,
      password_wo_version: null,
    },
  ]);
  t.false(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8').includes(OLD_PASSWORD));
});

test('moved {} while switching to password_wo: no replacement, nothing started or stopped, no password in state', async (t) => {
  const ws = await movesCleanly(
    t,
    `${PROVIDER_BLOCK}
variable "source_password" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = "pw-New-Write-Only-9"
}

resource "dodb_online_migration" "m" {
  cluster_id = "${CLUSTER}"

  source {
    host                = "db.example.com"
    port                = 5432
    db_name             = "app"
    username            = "replicator"
    password_wo         = var.source_password
    password_wo_version = 1
  }
}
${MOVED}`,
  );
  const state = readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8');
  t.false(state.includes(OLD_PASSWORD));
  t.false(state.includes('pw-New-Write-Only-9'));
  t.is(resourceInstance(ws.state())!.attributes.source[0].password_wo_version, 1);
});

test('a 1 MB import ID is refused before any request, quoted cut short with its length, never echoed whole', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  const id = `${'x'.repeat(1024 * 1024 - 2)}😀`;
  ws.write({ 'main.tf': `${migrationConfig()}\nimport {\n  to = dodb_online_migration.m\n  id = "${id}"\n}\n` });
  await initialized(t, ws);
  const plan = await ws.run(['plan']);
  t.is(plan.code, 1);
  // Terraform itself shows the ID it passes on ("Preparing import... [id=...]"); the provider's message follows.
  const message = plan.output.slice(plan.output.indexOf('Error: Invalid import ID'));
  t.true(message.length < 1000, `the message has ${message.length} characters`);
  t.regex(message.slice(0, 1000), new RegExp(`got\\s+"x{64}…"\\s+\\(${1024 * 1024 - 1}\\s+characters\\)`));
  t.deepEqual(await requests(sim), []);
});
