import test, { type ExecutionContext } from 'ava';
import type { Simulator } from '../../src/simulator/server';
import { CLUSTER } from '../helpers/constants';
import { serve } from '../helpers/http-server';
import { admin, requests, simulator } from '../helpers/simulator';
import { type TfResult, initialized, migrationConfig, workspace } from '../helpers/terraform';

/** Issue 21: a plan for a new migration refuses what the apply would refuse, and never more. */

const MISSING = 'c0ffee00-0000-4000-8000-000000000000';

/** Terraform prints an error's attribute path as the configuration line it points at. */
const AT_CLUSTER_ID = /in resource "dodb_online_migration" "m":\n\s+\d+:\s+cluster_id\s+=/;

async function planned(t: ExecutionContext, options: Parameters<typeof migrationConfig>[0] = {}) {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig(options) });
  await initialized(t, ws);
  return { sim, ws };
}

/** Terraform wraps a diagnostic's text to the terminal's width: its words, one space apart. */
const words = (result: TfResult) => result.output.replace(/\s+/g, ' ');

/** A plan refused at `cluster_id`, having sent no PUT. */
async function refused(t: ExecutionContext, sim: Simulator, plan: TfResult, summary: string, wayOut: RegExp) {
  t.is(plan.code, 1, plan.output);
  t.true(plan.stderr.includes(`Error: ${summary}`), plan.output);
  t.regex(plan.stderr, AT_CLUSTER_ID);
  t.regex(words(plan), wayOut);
  t.false(
    (await requests(sim)).some((r) => r.method !== 'GET'),
    'a plan only reads',
  );
}

for (const status of ['running', 'syncing'] as const) {
  test(`a new migration on a cluster whose migration is ${status}: refused at plan, with the import command`, async (t) => {
    const { sim, ws } = await planned(t);
    await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, { status });
    const plan = await ws.run(['plan']);
    await refused(
      t,
      sim,
      plan,
      'Cluster already has an online migration',
      new RegExp(`terraform import <address> ${CLUSTER}`),
    );
    t.true(plan.stderr.includes(`"${status}"`));
  });
}

test('a cut-over cluster: refused at plan without allow_overwrite_after_cutover, a warning with it', async (t) => {
  const { sim, ws } = await planned(t);
  await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, { status: 'done' });
  await refused(t, sim, await ws.run(['plan']), 'Cluster was cut over', /set `allow_overwrite_after_cutover = true`/);

  ws.write({ 'main.tf': migrationConfig({ extra: '  allow_overwrite_after_cutover = true' }) });
  const allowed = await ws.run(['plan']);
  t.is(allowed.code, 0, allowed.output);
  t.regex(allowed.stdout, /Plan: 1 to add, 0 to change, 0 to destroy/);
  t.regex(allowed.output, /Warning: Starting over a cut-over cluster/);
  t.regex(words(allowed), /overwrites what was written to it since the cutover/);
});

test('a cluster that does not exist: refused at plan, with the command that lists clusters', async (t) => {
  const { sim, ws } = await planned(t, { cluster: MISSING });
  await refused(t, sim, await ws.run(['plan']), 'Database cluster not found', /`doctl databases list`/);
  t.is((await requests(sim)).length, 1, 'no migration is asked for on a cluster that is not there');
});

test('a cluster whose engine cannot migrate: refused at plan with the engine named, and again by the apply', async (t) => {
  const sim = await simulator(t);
  const cluster = await admin<{ id: string }>(sim, 'POST', 'clusters', { engine: 'mongodb' });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig({ cluster: cluster.id }) });
  await initialized(t, ws);
  await refused(
    t,
    sim,
    await ws.run(['plan']),
    'Cluster cannot take an online migration',
    /the "mongodb" engine; .* only available for MySQL \(`mysql`\), PostgreSQL \(`pg`\), Caching \(`redis`\) and Valkey \(`valkey`\) clusters/,
  );
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 1);
  t.regex(apply.stderr, /Cluster cannot take an online migration/, 'the apply plans again, with the same check');
});

test('a clean cluster: "1 to add" after two reads; plans of a migration in state read nothing more', async (t) => {
  const { sim, ws } = await planned(t, { waitFor: 'running' });
  const plan = await ws.run(['plan']);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.stdout, /Plan: 1 to add, 0 to change, 0 to destroy/);
  t.notRegex(plan.output, /Warning/);
  t.deepEqual(
    (await requests(sim)).map((r) => `${r.method} ${r.path}`),
    [`GET /v2/databases/${CLUSTER}`, `GET /v2/databases/${CLUSTER}/online-migration`],
    'at most two requests per planned start',
  );
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  await admin(sim, 'DELETE', 'requests');
  const again = await ws.run(['plan', '-detailed-exitcode']);
  t.is(again.code, 0, again.output);
  t.deepEqual(
    (await requests(sim)).map((r) => `${r.method} ${r.path}`),
    [`GET /v2/databases/${CLUSTER}/online-migration`],
    "only the refresh's read",
  );
});

test('a provider token or a cluster_id known only at apply: the plan goes on, with a warning and no request', async (t) => {
  const { sim, ws } = await planned(t);
  const later = `resource "terraform_data" "later" {\n  input = "${sim.token}"\n}\n`;
  ws.write({
    'main.tf': `${migrationConfig()}\n${later}\nprovider "dodb" {\n  token = terraform_data.later.output\n}\n`,
  });
  const token = await ws.run(['plan']);
  t.is(token.code, 0, token.output);
  t.regex(token.stdout, /Plan: 2 to add/);
  t.regex(token.output, /Warning: Cluster not checked at plan/);
  t.regex(words(token), /`token` will only be known after apply/);
  t.regex(words(token), /the apply still looks at the cluster before it starts/);

  const config = migrationConfig().replace(`"${CLUSTER}"`, 'terraform_data.later.output');
  ws.write({ 'main.tf': `${config}\n${later.replace(sim.token, CLUSTER)}` });
  const cluster = await ws.run(['plan']);
  t.is(cluster.code, 0, cluster.output);
  t.regex(cluster.output, /Warning: Cluster not checked at plan/);
  t.regex(words(cluster), /`cluster_id` is known only at apply/);
  t.deepEqual(await requests(sim), []);
});

test('an API that does not answer: the plan goes on within its bound, with a warning', async (t) => {
  // Accepts connections and never answers: the plan's own bound ends the wait, not the request timeout.
  let asked = 0;
  const silent = await serve(t, () => void asked++);
  const ws = workspace(t, { url: silent.url, token: 'never-sent-anywhere' });
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const plan = await ws.run(['plan']);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.stdout, /Plan: 1 to add/);
  t.regex(plan.output, /Warning: Cluster not checked at plan/);
  t.regex(words(plan), new RegExp(`The API did not answer about cluster ${CLUSTER} within 5 s`));
  t.true(asked > 0, 'the plan did try');
});

test('a replacement of a syncing migration says in the plan that it cuts it over; a tainted one too, refreshed or not, without a refusal', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);

  ws.write({ 'main.tf': migrationConfig().replace('db.example.com', 'db2.example.com') });
  const replace = await ws.run(['plan']);
  t.is(replace.code, 0, replace.output);
  t.regex(replace.stdout, /must be replaced/);
  t.regex(replace.output, /Warning: This replacement cuts the migration over/);
  t.regex(words(replace), /stopping a syncing migration is the cutover/);

  ws.write({ 'main.tf': migrationConfig() });
  t.is((await ws.run(['taint', 'dodb_online_migration.m'])).code, 0);
  const tainted = await ws.run(['plan']);
  t.is(tainted.code, 0, tainted.output);
  t.regex(tainted.stdout, /is tainted, so must be replaced/);
  t.regex(tainted.output, /Warning: This replacement cuts the migration over/);
  const unrefreshed = await ws.run(['plan', '-refresh=false']);
  t.is(unrefreshed.code, 0, `without a refresh too: ${unrefreshed.output}`);
  t.regex(unrefreshed.output, /Warning: This replacement cuts the migration over/);
  t.false((await requests(sim)).filter((r) => r.method !== 'GET').length > 1, 'plans sent nothing but reads');
});
