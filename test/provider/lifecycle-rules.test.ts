import test, { type ExecutionContext } from 'ava';
import { CLUSTER } from '../helpers/constants';
import { type FaultProxy, faultProxy } from '../helpers/fault-proxy';
import { admin, injectFaults, migrations, simulator, writes } from '../helpers/simulator';
import { type Workspace, initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';
import type { Simulator, SimulatorOptions } from '../../src/simulator/server';

/**
 * The lifecycle rules of issue 16, through the real terraform: at most one start per cluster, an
 * uncertain PUT never sent again, no single read deciding, nothing stopped that was not seen
 * running, no 404 from another endpoint dropping a migration. Each counts the PUTs and DELETEs the
 * API saw; a proxy plays the latency and the stale reads the simulator cannot.
 */

/** A fault proxy in front of the simulator, as the API a workspace talks to. */
async function proxied(t: ExecutionContext, sim: Simulator) {
  const proxy = await faultProxy(t, sim.url);
  return { proxy, api: { url: proxy.url, token: sim.token } };
}

/** Once the proxy is done with the PUT, the next `times` reads answer what the read before it got. */
const staleAfterPut = (times: number) => ({ method: 'GET', after: 'PUT', times, fault: { kind: 'stale' } }) as const;

/** The reads the proxy answered from the past, without asking the API. */
const staleReads = (proxy: FaultProxy) => proxy.requests.filter((r) => r.fault === 'stale' && !r.forwarded).length;

async function folder(t: ExecutionContext, api: { url: string; token: string }, config = migrationConfig()) {
  const ws = workspace(t, api);
  ws.write({ 'main.tf': config });
  await initialized(t, ws);
  return ws;
}

/** A migration started and then canceled outside Terraform: the cluster's baseline for the next start. */
async function canceledBefore(sim: Simulator): Promise<{ id: string }> {
  const previous = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  return previous;
}

const noObject = (ws: Workspace) => resourceInstance(ws.state()) === undefined;

test('two state folders apply a migration on one cluster at the same moment, 150 ms from the API: 1 PUT, the loser names the winner and keeps nothing', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const { proxy, api } = await proxied(t, sim);
  const config = migrationConfig({ waitFor: 'running' });
  const [a, b] = await Promise.all([folder(t, api, config), folder(t, api, config)]);
  // Both looks before the start read the same moment, unless one process waits for the other's start lock (which it logs).
  const gathered = proxy.gather(2, { method: 'GET', path: /\/online-migration$/ });
  proxy.add({ fault: { kind: 'delay', beforeMs: 150 } });
  const runs = [a, b].map((ws) => ws.start(['apply', '-auto-approve'], { TF_LOG_PROVIDER: 'info' }));
  const lockWait = /waiting for another dodb process to finish its start/;
  for (const run of runs) {
    // A run that never waits for the lock ends without the line: only the wait's end matters then.
    run.waitFor(lockWait, { stream: 'stderr', ms: 15 * 60_000 }).then(
      () => gathered.release(),
      () => undefined,
    );
  }
  const results = await Promise.all(runs.map((run) => run.done));
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
  const [started] = await migrations(sim);
  const winner = results.findIndex((r) => r.code === 0);
  t.not(winner, -1, results.map((r) => r.output).join('\n'));
  const [won, lost] = winner === 0 ? [a, b] : [b, a];
  const loser = results[1 - winner]!;
  t.is(loser.code, 1);
  t.regex(
    loser.output,
    new RegExp(`Error: Cluster already has an online migration[\\s\\S]*${started!.id}[\\s\\S]*terraform import`),
  );
  t.is(resourceInstance(won.state())!.attributes.id, started!.id);
  t.true(noObject(lost), 'nothing in the losing state that a later apply would stop');

  const again = await lost.run(['apply', '-auto-approve']);
  t.is(again.code, 1);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

test('another machine starts a migration right after our PUT: the look after it names the other and the import, and nothing is left to stop', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000, refuseConcurrent: false });
  const { proxy, api } = await proxied(t, sim);
  let other: { id: string } | undefined;
  const startOther = async () => {
    other = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  };
  proxy.add({ method: 'PUT', times: 1, fault: { kind: 'meanwhile', action: startOther } });
  const ws = await folder(t, api, migrationConfig({ waitFor: 'running' }));
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 1);
  t.regex(
    apply.output,
    new RegExp(
      `Error: Another online migration started on the cluster at the same moment[\\s\\S]*${other!.id}` +
        `[\\s\\S]*terraform import <address>\\s+${CLUSTER}`,
    ),
  );
  t.true(noObject(ws), 'no tainted, superseded object');

  const again = await ws.run(['apply', '-auto-approve']);
  t.is(again.code, 1);
  t.regex(again.output, /Error: Cluster already has an online migration/);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

for (const [lost, fault] of [
  ['lost (reset)', { kind: 'reset' }],
  ['a 500', { kind: 'status', status: 500 }],
] as const) {
  test(`a PUT whose answer is ${lost} after it was applied, then one stale GET that still shows the canceled migration: 1 PUT, and the migration it started is adopted`, async (t) => {
    const sim = await simulator(t, { syncDelayMs: 500 });
    const { proxy, api } = await proxied(t, sim);
    const previous = await canceledBefore(sim);
    await injectFaults(sim, [{ ...fault, after: true, match: { method: 'PUT' } }]);
    proxy.add(staleAfterPut(1));
    const ws = await folder(t, api);
    const apply = await ws.run(['apply', '-auto-approve']);
    t.is(apply.code, 0, apply.output);
    t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
    t.is(staleReads(proxy), 1);
    const started = (await migrations(sim)).find((m) => m.id !== previous.id)!;
    t.is(resourceInstance(ws.state())!.attributes.id, started.id);
  });
}

test('stale GETs after the start that show the older, canceled migration supersede nothing: the apply succeeds, 1 PUT, 0 DELETE', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 500 });
  const { proxy, api } = await proxied(t, sim);
  await canceledBefore(sim);
  // The look after the PUT and the wait's first poll both read the past.
  proxy.add(staleAfterPut(2));
  const ws = await folder(t, api);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.like(resourceInstance(ws.state()), { attributes: { status: 'syncing' } });
  t.is(resourceInstance(ws.state())!.status, undefined, 'not tainted');
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
  t.is(staleReads(proxy), 2);
});

async function appliedRunning(t: ExecutionContext, options: SimulatorOptions = {}) {
  const sim = await simulator(t, { syncDelayMs: 0, ...options });
  const ws = await folder(t, sim, migrationConfig({ waitFor: 'running' }));
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  return { sim, ws };
}

test('a migration cut over outside Terraform, then apply -replace with -refresh=false: no DELETE, no PUT, the cutover rule', async (t) => {
  const { sim, ws } = await appliedRunning(t);
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  const replace = await ws.run(['apply', '-auto-approve', '-refresh=false', '-replace=dodb_online_migration.m']);
  t.is(replace.code, 1);
  // The plan's check of the start half reads the cluster (the refresh did not) and refuses before any stop.
  t.regex(replace.output, /Error: Cluster was cut over[\s\S]*allow_overwrite_after_cutover/);
  t.notRegex(replace.output, /Destroying\.\.\./);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 }, 'the first apply only');
});

test('destroy with -refresh=false of a migration that ended outside Terraform: no DELETE', async (t) => {
  const { sim, ws } = await appliedRunning(t);
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  const destroy = await ws.run(['destroy', '-auto-approve', '-refresh=false']);
  t.is(destroy.code, 0, destroy.output);
  t.regex(destroy.output, /Warning: Online migration not stopped/);
  t.true(noObject(ws));
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});

test('api_endpoint and token switched to an API that does not know the cluster: the plan keeps the migration with a warning, and no apply starts one', async (t) => {
  const { sim, ws } = await appliedRunning(t);
  const before = resourceInstance(ws.state())!.attributes;
  const staging = await simulator(t);
  await admin(staging, 'DELETE', `clusters/${CLUSTER}`);
  const elsewhere = { DIGITALOCEAN_API_URL: staging.url, DIGITALOCEAN_TOKEN: staging.token };

  const plan = await ws.run(['plan', '-detailed-exitcode'], elsewhere);
  t.is(plan.code, 0, plan.output);
  t.regex(plan.output, /Warning: Database cluster not found with this endpoint or token/);
  t.notRegex(plan.output, /will be created/);
  const apply = await ws.run(['apply', '-auto-approve'], elsewhere);
  t.is(apply.code, 0, apply.output);
  t.deepEqual(resourceInstance(ws.state())!.attributes, before);
  t.deepEqual(await writes(staging), { PUT: 0, DELETE: 0 });
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
});
