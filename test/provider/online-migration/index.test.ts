import test, { type ExecutionContext } from 'ava';
import { dodbProvider } from '../../../src/provider/provider';
import type { Simulator } from '../../../src/simulator/server';
import { type ObjectValue, UNKNOWN, isUnknown } from '../../../src/tfplugin/wire/values';
import { rpcClient } from '../../helpers/rpc';
import { CLUSTER } from '../../helpers/constants';
import { admin, clientFor, requests, simulator, writes } from '../../helpers/simulator';

/**
 * The resource's and data source's logic through the provider's RPC handlers against the simulator:
 * fast, with no terraform binary. test/provider/lifecycle.test.ts and data-safety.test.ts drive the
 * same paths through the real terraform.
 */
const TYPE = 'dodb_online_migration';
const MISSING = '00000000-0000-4000-8000-000000000000';

const source = (overrides: ObjectValue = {}): ObjectValue => ({
  host: 'db.example.com',
  port: 5432,
  db_name: 'app',
  username: 'replicator',
  password: null,
  password_wo: 'pw-Secret-42',
  password_wo_version: 1,
  ...overrides,
});
const config = (overrides: ObjectValue = {}): ObjectValue => ({
  id: null,
  cluster_id: CLUSTER,
  source: [source()],
  disable_ssl: null,
  ignore_dbs: null,
  wait_for: 'running',
  allow_overwrite_after_cutover: null,
  status: null,
  created_at: null,
  timeouts: null,
  ...overrides,
});

const providerConfig = (sim: Simulator): ObjectValue => ({
  token: sim.token,
  api_endpoint: sim.url,
  http_retry_max: 0,
  http_retry_wait_min: 0,
  http_retry_wait_max: 0,
});

async function configured(t: ExecutionContext, sim: Simulator, token: string | null = sim.token) {
  const provider = rpcClient(dodbProvider);
  t.deepEqual(await provider.configure({ ...providerConfig(sim), token }), []);
  return provider;
}

/** Plan and apply a new migration as Terraform does. */
async function create(provider: ReturnType<typeof rpcClient>, wanted: ObjectValue) {
  const plan = await provider.plan(TYPE, null, wanted);
  return provider.apply(TYPE, null, plan.planned, wanted, plan.private);
}

test('create plans the computed values unknown, starts one migration, waits for wait_for, and keeps no password in state', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim);
  const plan = await provider.plan(TYPE, null, config());
  t.deepEqual(plan.diagnostics, []);
  t.true(isUnknown(plan.planned!.id) && isUnknown(plan.planned!.status));
  t.is(plan.planned!.disable_ssl, false, 'the schema default is planned');
  const applied = await provider.apply(TYPE, null, plan.planned, config(), plan.private);
  t.deepEqual(applied.diagnostics, []);
  t.is(applied.state!.status, 'running');
  t.regex(String(applied.state!.id), /^[0-9a-f-]{36}$/);
  t.is((applied.state!.source as ObjectValue[])[0]!.password_wo, null);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

test('a cluster with an active migration: create refuses with no PUT and names the import', async (t) => {
  const sim = await simulator(t);
  await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const provider = await configured(t, sim);
  const applied = await create(provider, config());
  t.is(applied.state, null);
  t.is(applied.diagnostics[0]!.summary, 'Cluster already has an online migration');
  t.regex(applied.diagnostics[0]!.detail, new RegExp(`terraform import <address> ${CLUSTER}`));
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 });
});

test('without a token, create fails with a diagnostic that names the variables, and nothing is lost or sent', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim, null);
  const applied = await create(provider, config());
  t.is(applied.state, null);
  t.is(applied.diagnostics[0]!.summary, 'No DigitalOcean API token');
  t.regex(applied.diagnostics[0]!.detail, /DIGITALOCEAN_TOKEN/);
  const refreshed = await provider.read(TYPE, { ...config(), id: 'm-1', status: 'running' });
  t.is(refreshed.state!.id, 'm-1', 'a refresh that cannot reach the API keeps the state');
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 });
});

test('read follows the status, warns of a migration that ended outside Terraform, and never starts one', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim);
  const { state } = await create(provider, config());
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  const read = await provider.read(TYPE, state!);
  t.is(read.state!.status, 'canceled');
  t.is(read.diagnostics[0]!.summary, 'Online migration canceled');
  const plan = await provider.plan(TYPE, read.state, config());
  t.deepEqual(plan.requiresReplace, [], 'a canceled migration is not replaced by a plain plan');
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

test('read keeps a migration whose cluster shows none, and drops it when the endpoint and token that started it say the cluster is gone', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim);
  const kept = await provider.read(TYPE, { ...config(), id: 'm-1', status: 'running' });
  t.is(kept.state!.id, 'm-1');
  t.is(kept.diagnostics[0]!.summary, 'Online migration not shown by the API');
  const missing = { ...config(), cluster_id: MISSING, id: 'm-1', status: 'running' };
  const elsewhere = await provider.read(TYPE, missing, { origin: 'started-with-another-endpoint' });
  t.is(elsewhere.state!.id, 'm-1');
  t.is(elsewhere.diagnostics[0]!.summary, 'Database cluster not found with this endpoint or token');
  const gone = await provider.read(TYPE, missing, { origin: clientFor(sim).origin });
  t.is(gone.state, null);
  t.is(gone.diagnostics[0]!.summary, 'Database cluster not found');
});

test('import adopts the latest migration with private state, and the next plan takes the source from the configuration in place', async (t) => {
  const sim = await simulator(t);
  const started = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const provider = await configured(t, sim);
  const imported = await provider.import(TYPE, CLUSTER);
  t.deepEqual(imported.diagnostics, []);
  t.is(imported.state!.id, started.id);
  t.deepEqual(imported.state!.source, []);
  t.deepEqual(imported.private, { adopt: true, origin: clientFor(sim).origin });
  const plan = await provider.plan(TYPE, imported.state, config(), imported.private);
  t.deepEqual(plan.requiresReplace, []);
  const applied = await provider.apply(TYPE, imported.state, plan.planned, config(), plan.private);
  t.deepEqual(applied.diagnostics, []);
  t.is(applied.state!.id, started.id);
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 });
});

test('import refuses an ID that is not a UUID, and a cluster without a migration, before anything else', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim);
  const notUuid = await provider.import(TYPE, 'pg-target');
  t.is(notUuid.diagnostics[0]!.summary, 'Invalid import ID');
  const none = await provider.import(TYPE, CLUSTER);
  t.is(none.diagnostics[0]!.summary, 'Nothing to import');
});

test('changing the source of a configured migration replaces it; a first password_wo_version does not', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim);
  const { state } = await create(provider, config());
  const moved = await provider.plan(TYPE, state, config({ source: [source({ host: 'db2.example.com' })] }));
  t.deepEqual(moved.requiresReplace, [['source', 0, 'host']]);
  const withPassword = {
    ...state!,
    source: [source({ password: 'pw-Secret-42', password_wo: null, password_wo_version: null })],
  };
  const switched = await provider.plan(TYPE, withPassword, config());
  t.deepEqual(
    switched.requiresReplace.filter((path) => path[2] === 'password_wo_version'),
    [],
  );
});

test('delete stops a running migration with one DELETE, and sends nothing for one that ended', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim);
  const { state } = await create(provider, config());
  const deleted = await provider.apply(TYPE, state, null, null);
  t.deepEqual(deleted.diagnostics, []);
  t.is(deleted.state, null);
  await provider.apply(TYPE, { ...state!, status: 'done' }, null, null);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 });
});

test('the data source reads the latest migration, nulls for a cluster without one, and an error for a missing cluster', async (t) => {
  const sim = await simulator(t);
  const provider = await configured(t, sim);
  const wanted = { cluster_id: CLUSTER, id: null, status: null, created_at: null };
  const none = await provider.readData(TYPE, wanted);
  t.deepEqual(none.state, wanted);
  const started = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const found = await provider.readData(TYPE, wanted);
  t.is(found.state!.id, started.id);
  t.is(found.state!.status, 'running');
  const missing = await provider.readData(TYPE, { ...wanted, cluster_id: MISSING });
  t.is(missing.state, null);
  t.is(missing.diagnostics[0]!.summary, 'Database cluster not found');
  const invalid = await provider.readData(TYPE, { ...wanted, cluster_id: 'pg-target' });
  t.regex(invalid.diagnostics[0]!.summary, /Invalid value for cluster_id/);
});

test('a provider token known only at apply: an API call says so, keeps the state, and falls back to nothing', async (t) => {
  const sim = await simulator(t);
  const provider = rpcClient(dodbProvider);
  t.deepEqual(await provider.configure({ ...providerConfig(sim), token: UNKNOWN }), []);
  const read = await provider.read(TYPE, { ...config(), id: 'm-1', status: 'running' });
  t.is(read.state!.id, 'm-1');
  t.is(read.diagnostics[0]!.summary, 'Provider configuration not known yet');
  t.regex(read.diagnostics[0]!.detail, /`token`/);
  const endpoint = rpcClient(dodbProvider);
  await endpoint.configure({ ...providerConfig(sim), api_endpoint: UNKNOWN });
  const data = await endpoint.readData(TYPE, { cluster_id: CLUSTER, id: null, status: null, created_at: null });
  t.regex(data.diagnostics[0]!.detail, /`api_endpoint`/);
  t.deepEqual(await requests(sim), [], 'no request, and none to the public API either');
});

test('an update that fails keeps the private state: the wait promised after a Ctrl-C still happens later', async (t) => {
  const sim = await simulator(t);
  const { state } = await create(await configured(t, sim), config({ wait_for: 'none' }));
  const noToken = await configured(t, sim, null);
  const resume = { resumeWait: true };
  const plan = await noToken.plan(TYPE, state, config(), resume);
  const applied = await noToken.apply(TYPE, state, plan.planned, config(), plan.private);
  t.is(applied.diagnostics[0]!.summary, 'No DigitalOcean API token');
  t.deepEqual(applied.private, resume);
  t.is(applied.state!.id, state!.id);
});
