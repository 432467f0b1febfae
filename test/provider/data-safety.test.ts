import test, { type ExecutionContext } from 'ava';
import { CLUSTER } from '../helpers/constants';
import { admin, injectFaults, migrations, requests, simulator, writes } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';
import { TERRAFORM_STEP_MS, until } from '../helpers/until';
import type { SimulatorOptions } from '../../src/simulator/server';

/**
 * The invariant: no plain `terraform apply` restarts, duplicates, forgets or stops a migration the
 * user did not ask it to. Each test counts the PUTs (starts) and DELETEs (stops) the simulator saw.
 */

async function ready(t: ExecutionContext, options: SimulatorOptions, config = migrationConfig()) {
  const sim = await simulator(t, options);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': config });
  await initialized(t, ws);
  return { sim, ws };
}

const putSeen = (sim: Parameters<typeof requests>[0]) =>
  until(
    'the PUT',
    async () => ((await requests(sim)).some((r) => r.method === 'PUT') ? true : undefined),
    TERRAFORM_STEP_MS,
  );

test('a tainted migration that was cut over (done): a plain apply refuses to start a new one, with no PUT', async (t) => {
  const { sim, ws } = await ready(
    t,
    { syncDelayMs: 600_000 },
    migrationConfig({ extra: '  timeouts {\n    create = "2s"\n  }' }),
  );
  const first = await ws.run(['apply', '-auto-approve']);
  t.is(first.code, 1);
  t.is(resourceInstance(ws.state())!.status, 'tainted');
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });

  const again = await ws.run(['apply', '-auto-approve']);
  t.is(again.code, 1);
  t.regex(again.output, /Error: Cluster was cut over/);
  t.regex(again.output, /allow_overwrite_after_cutover/);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });

  ws.write({ 'main.tf': migrationConfig({ waitFor: 'none', extra: '  allow_overwrite_after_cutover = true' }) });
  const allowed = await ws.run(['apply', '-auto-approve']);
  t.is(allowed.code, 0, allowed.output);
  t.deepEqual(await writes(sim), { PUT: 2, DELETE: 0 }, 'the explicit argument allows a start after the cutover');
});

test('terraform killed with SIGKILL during the wait: a plain apply starts no second migration and says how to import it', async (t) => {
  const { sim, ws } = await ready(t, { syncDelayMs: 600_000 });
  const run = ws.start(['apply', '-auto-approve']);
  await putSeen(sim);
  await until('the wait', async () =>
    (await requests(sim)).filter((r) => r.method === 'GET').length >= 2 ? true : undefined,
  );
  run.kill('SIGKILL');
  await run.done;
  const [started] = await migrations(sim);

  const again = await ws.run(['apply', '-auto-approve']);
  t.is(again.code, 1);
  t.regex(again.output, /Error: Cluster already has an online migration/);
  t.regex(again.output, new RegExp(`${started!.id}[\\s\\S]*terraform import <address>\\s+${CLUSTER}`));
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });

  const imported = await ws.run(['import', 'dodb_online_migration.m', CLUSTER]);
  t.is(imported.code, 0, imported.output);
  t.is(resourceInstance(ws.state())!.attributes.id, started!.id, 'the forgotten migration is adopted');
});

test('Ctrl-C while the PUT is in flight: the migration it started is kept, and the next plain apply waits for it with no PUT', async (t) => {
  const { sim, ws } = await ready(t, { syncDelayMs: 3000 });
  await injectFaults(sim, [{ kind: 'slow', after: true, delayMs: 15_000, match: { method: 'PUT' } }]);
  const run = ws.start(['apply', '-auto-approve']);
  await putSeen(sim);
  run.kill('SIGINT');
  const interrupted = await run.done;
  t.not(interrupted.code, 0);
  const [started] = await migrations(sim);
  t.is(resourceInstance(ws.state())?.attributes.id, started!.id, 'the PUT cancelled in flight is resolved by looking');
  t.is(resourceInstance(ws.state())?.status, undefined, 'not tainted: Ctrl-C stopped the wait, not the migration');

  const again = await ws.run(['apply', '-auto-approve']);
  t.is(again.code, 0, again.output);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
  t.is(resourceInstance(ws.state())!.attributes.status, 'syncing');
  t.is((await migrations(sim)).length, 1);
});

test('a PUT answered 200 with a truncated body: the migration is found by looking, and a plain apply then has no changes', async (t) => {
  const { sim, ws } = await ready(t, { syncDelayMs: 500 });
  await injectFaults(sim, [{ kind: 'truncate', match: { method: 'PUT' } }]);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  const all = await migrations(sim);
  t.is(all.length, 1);
  t.is(resourceInstance(ws.state())!.attributes.id, all[0]!.id);
  t.is((await ws.run(['plan', '-detailed-exitcode'])).code, 0);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

for (const [name, skew] of [
  ['10 minutes behind', -600_000],
  ['10 minutes ahead', 600_000],
] as const) {
  test(`a lost PUT answer with the server clock ${name}: one migration, adopted by its ID, not by its created_at`, async (t) => {
    const { sim, ws } = await ready(t, { syncDelayMs: 500, clockSkewMs: skew });
    await injectFaults(sim, [{ kind: 'status', status: 500, after: true, match: { method: 'PUT' } }]);
    const apply = await ws.run(['apply', '-auto-approve']);
    t.is(apply.code, 0, apply.output);
    const all = await migrations(sim);
    t.is(all.length, 1);
    t.is(resourceInstance(ws.state())!.attributes.id, all[0]!.id);
    t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
  });
}

test('a migration started outside Terraform over ours: ours stays in state with a warning, and a plain apply sends no PUT', async (t) => {
  const { sim, ws } = await ready(t, { syncDelayMs: 0 }, migrationConfig({ waitFor: 'running' }));
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  const ours = resourceInstance(ws.state())!.attributes.id;
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  const foreign = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});

  const plan = await ws.run(['plan', '-detailed-exitcode']);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.output, new RegExp(`Warning: Online migration superseded[\\s\\S]*${foreign.id}`));
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.is(resourceInstance(ws.state())!.attributes.id, ours);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

test('a cluster with an active migration that Terraform never started: apply refuses with no PUT and names the import', async (t) => {
  const { sim, ws } = await ready(t, { syncDelayMs: 60_000 });
  const foreign = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 1);
  t.regex(
    apply.output,
    new RegExp(`Error: Cluster already has an online migration[\\s\\S]*${foreign.id}[\\s\\S]*terraform import`),
  );
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 });
});

test('two resources on one cluster: three applies start one migration and never PUT over it', async (t) => {
  const second = `
resource "dodb_online_migration" "other" {
  cluster_id = "${CLUSTER}"
  source {
    host = "other.example.com"
    port = 5432
  }
  wait_for = "none"
}
`;
  const { sim, ws } = await ready(t, { syncDelayMs: 60_000 }, `${migrationConfig({ waitFor: 'none' })}${second}`);
  for (let i = 0; i < 3; i++) {
    const apply = await ws.run(['apply', '-auto-approve']);
    t.is(apply.code, 1, apply.output);
    t.regex(apply.output, /Error: Cluster already has an online migration/);
  }
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
  t.is((await migrations(sim)).length, 1);
});

// A tenth of the timeout, as 30 s of 5 minutes. The migration syncs during the outage, once the
// provider has met it: the wait must ride out the outage to see it.
test('an API outage of 3 s during a wait with a 30-second timeout: the apply succeeds with the one migration', async (t) => {
  const { sim, ws } = await ready(
    t,
    { syncDelayMs: 600_000 },
    migrationConfig({ extra: '  timeouts {\n    create = "30s"\n  }' }),
  );
  const run = ws.start(['apply', '-auto-approve']);
  await putSeen(sim);
  await admin(sim, 'POST', 'outage', { ms: 3000 });
  await until('a request to meet the outage', async () =>
    (await requests(sim)).some((r) => r.fault === 'outage') ? true : undefined,
  );
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  const apply = await run.done;
  t.is(apply.code, 0, apply.output);
  t.is(resourceInstance(ws.state())!.attributes.status, 'syncing');
  t.true(
    (await requests(sim)).some((r) => r.fault === 'outage'),
    'the outage was seen',
  );
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

test('refresh removes a migration only when its cluster is gone; a 404 from a cluster that exists keeps it', async (t) => {
  const { sim, ws } = await ready(t, { syncDelayMs: 0 }, migrationConfig({ waitFor: 'running' }));
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  await injectFaults(sim, [{ kind: 'status', status: 404, match: { method: 'GET', path: '/online-migration' } }]);
  const kept = await ws.run(['apply', '-refresh-only', '-auto-approve']);
  t.is(kept.code, 0, kept.output);
  t.regex(kept.output, /Warning: Online migration not shown by the API/);
  t.truthy(resourceInstance(ws.state()), 'kept');

  await admin(sim, 'DELETE', `clusters/${CLUSTER}`);
  const gone = await ws.run(['apply', '-refresh-only', '-auto-approve']);
  t.is(gone.code, 0, gone.output);
  t.regex(gone.output, /Warning: Database cluster not found/);
  t.is(resourceInstance(ws.state()), undefined);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

test('the data source reads a cluster that never had a migration as nulls, and a missing cluster as an error', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  const config = (cluster: string) => `${PROVIDER_BLOCK}
data "dodb_online_migration" "x" {
  cluster_id = "${cluster}"
}
`;
  ws.write({ 'main.tf': config(CLUSTER) });
  await initialized(t, ws);
  const empty = await ws.run(['apply', '-auto-approve']);
  t.is(empty.code, 0, empty.output);
  const data = ws.state().resources.find((r: { mode: string }) => r.mode === 'data').instances[0].attributes;
  t.like(data, { cluster_id: CLUSTER, id: null, status: null, created_at: null });

  ws.write({ 'main.tf': config('00000000-0000-4000-8000-000000000000') });
  const missing = await ws.run(['plan']);
  t.is(missing.code, 1);
  t.regex(missing.output, /Error: Database cluster not found/);
});

test('an api_endpoint with a path, in the configuration or in DIGITALOCEAN_API_URL, is refused before any request, and the state stays intact', async (t) => {
  const { sim, ws } = await ready(t, { syncDelayMs: 0 }, migrationConfig({ waitFor: 'running' }));
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  const before = (await requests(sim)).length;
  const stateBefore = resourceInstance(ws.state());

  ws.write({
    'main.tf': `${migrationConfig({ waitFor: 'running' })}\nprovider "dodb" {\n  api_endpoint = "${sim.url}/v2"\n}\n`,
  });
  const configured = await ws.run(['apply', '-refresh-only', '-auto-approve']);
  t.is(configured.code, 1);
  t.regex(configured.output, /Invalid value for api_endpoint[\s\S]*no path/);

  ws.write({ 'main.tf': migrationConfig({ waitFor: 'running' }) });
  const fromEnv = await ws.run(['apply', '-refresh-only', '-auto-approve'], { DIGITALOCEAN_API_URL: `${sim.url}/v2` });
  t.is(fromEnv.code, 1);
  t.regex(fromEnv.output, /Invalid value for api_endpoint[\s\S]*DIGITALOCEAN_API_URL environment variable/);

  t.is((await requests(sim)).length, before, 'no request was sent');
  t.deepEqual(resourceInstance(ws.state()), stateBefore);
});
