import test, { type ExecutionContext } from 'ava';
import { CLUSTER } from '../helpers/constants';
import { admin, requests, simulator, writes } from '../helpers/simulator';
import { type Workspace, initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';
import { until } from '../helpers/until';
import type { SimulatorOptions } from '../../src/simulator/server';

/**
 * `cutover = true`: the stop of a `syncing` migration as a reviewed change, through the real
 * terraform. Each test counts the PUTs (starts) and DELETEs (stops) the simulator saw.
 */

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

const config = (extra = '', waitFor = 'syncing') => migrationConfig({ waitFor, extra });
const CUTOVER = '  cutover = true';

async function started(t: ExecutionContext, options: SimulatorOptions, waitFor = 'syncing') {
  const sim = await simulator(t, options);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': config('', waitFor) });
  await initialized(t, ws);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  return { sim, ws };
}

/** Terraform wraps diagnostics at 80 columns: messages are matched with their blanks made single spaces. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

const attributes = (ws: Workspace) => resourceInstance(ws.state())!.attributes;

/** The apply's update has begun (terraform says so) and has asked the API since: it is waiting. */
async function waitingInApply(sim: Parameters<typeof requests>[0], run: ReturnType<Workspace['start']>) {
  await run.waitFor(/Modifying\.\.\./, { stream: 'stdout' });
  const before = (await requests(sim)).length;
  await until('a GET from the cutover wait', async () =>
    (await requests(sim)).slice(before).some((r) => r.method === 'GET') ? true : undefined,
  );
}

for (const [end, status] of [
  ['done', 'done'],
  ['canceled', 'canceled'],
  ['gone', null],
] as const) {
  test(`cutover = true on a syncing migration that the API then shows as ${end}: one DELETE, the record kept, the next plan empty, destroy sends nothing`, async (t) => {
    const { sim, ws } = await started(t, { syncDelayMs: 0, syncingStopsAs: end });
    const before = attributes(ws);
    ws.write({ 'main.tf': config(CUTOVER) });

    const plan = await ws.run(['plan']);
    t.is(plan.code, 0, plan.output);
    t.regex(plan.stdout, /1 to change, 0 to destroy/);
    t.regex(
      flat(plan.output),
      new RegExp(
        `Warning: Cutover planned.*${before.id}: cluster ${CLUSTER} stops replicating from source host db\\.example\\.com:5432.*Writes must already go to the target`,
      ),
    );
    t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 }, 'the plan stops nothing');

    const apply = await ws.run(['apply', '-auto-approve']);
    t.is(apply.code, 0, apply.output);
    t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 });
    const after = attributes(ws);
    t.like(after, { id: before.id, created_at: before.created_at, cutover: true, status });
    t.regex(after.cutover_at, ISO_TIME);

    const again = await ws.run(['plan', '-detailed-exitcode']);
    t.is(again.code, 0, again.output);
    t.notRegex(again.output, /Warning/, 'the end of a migration this resource cut over is no surprise');

    const destroy = await ws.run(['destroy', '-auto-approve']);
    t.is(destroy.code, 0, destroy.output);
    t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 }, 'destroy after the cutover sends nothing');
    t.is(resourceInstance(ws.state()), undefined);
  });
}

test('after the cutover, cutover = false and a change that replaces the migration are refused at plan', async (t) => {
  const { sim, ws } = await started(t, { syncDelayMs: 0, syncingStopsAs: 'canceled' });
  ws.write({ 'main.tf': config(CUTOVER) });
  t.is((await ws.run(['apply', '-auto-approve'])).code, 0);
  const record = attributes(ws);

  ws.write({ 'main.tf': config('  cutover = false') });
  const undo = await ws.run(['plan']);
  t.is(undo.code, 1);
  t.regex(flat(undo.output), /Error: A cutover cannot be undone.*cutover = false/);
  ws.write({ 'main.tf': config() });
  t.regex((await ws.run(['plan'])).output, /Error: A cutover cannot be undone/, 'removing the argument is false too');

  // The API shows "canceled", which the status-based start check would let through: the record refuses.
  const moved = migrationConfig({ extra: CUTOVER, source: '    host = "other.example.com"\n    port = 5432' });
  ws.write({ 'main.tf': moved });
  const replace = await ws.run(['apply', '-auto-approve']);
  t.is(replace.code, 1);
  t.regex(flat(replace.output), /Error: Cluster was cut over.*allow_overwrite_after_cutover = true/);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 });
  t.deepEqual(attributes(ws), record);
});

test('cutover = true while the migration is running: the plan says the apply waits, and the apply cuts over once it is syncing', async (t) => {
  const { sim, ws } = await started(t, { syncDelayMs: 600_000 }, 'running');
  ws.write({ 'main.tf': config(CUTOVER, 'running') });
  const plan = await ws.run(['plan']);
  t.regex(flat(plan.output), /still "running".*the apply waits until it is "syncing"/);

  const run = ws.start(['apply', '-auto-approve']);
  await waitingInApply(sim, run);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 }, 'a running migration is not stopped');
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  const apply = await run.done;
  t.is(apply.code, 0, apply.output);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 });
  t.like(attributes(ws), { cutover: true, status: 'done' });
});

test('a wait for syncing that times out: no DELETE, the error says so, the state unchanged and not tainted', async (t) => {
  const { sim, ws } = await started(t, { syncDelayMs: 600_000 }, 'running');
  const before = resourceInstance(ws.state());
  ws.write({ 'main.tf': config(`${CUTOVER}\n  timeouts {\n    update = "2s"\n  }`, 'running') });
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 1);
  t.regex(flat(apply.output), /Error: Online migration did not reach "syncing" in time: nothing was cut over/);
  t.regex(flat(apply.output), /Nothing was stopped.*not tainted/);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
  const after = resourceInstance(ws.state())!;
  t.is(after.status, undefined, 'not tainted');
  t.deepEqual(after.attributes, before!.attributes);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} to terraform during the wait for syncing: no DELETE, the state unchanged and not tainted`, async (t) => {
    const { sim, ws } = await started(t, { syncDelayMs: 600_000 }, 'running');
    const before = resourceInstance(ws.state());
    ws.write({ 'main.tf': config(CUTOVER, 'running') });
    const run = ws.start(['apply', '-auto-approve']);
    await waitingInApply(sim, run);
    run.kill(signal);
    const result = await run.done;
    t.not(result.code, 0);
    t.regex(flat(result.output), /Interrupted before the cutover: nothing was stopped/);
    t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
    const after = resourceInstance(ws.state())!;
    t.is(after.status, undefined, 'not tainted');
    t.deepEqual(after.attributes, before!.attributes);
  });
}

test('create with cutover = true: start, wait for syncing, cut over, in one apply', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 500 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': config(CUTOVER) });
  await initialized(t, ws);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 });
  const state = attributes(ws);
  t.like(state, { cutover: true, status: 'done' });
  t.regex(state.cutover_at, ISO_TIME);
  t.is((await ws.run(['plan', '-detailed-exitcode'])).code, 0);
});

test('a migration that ended outside Terraform: the warning says how to record it, and cutover = true with -refresh=false records it with no DELETE', async (t) => {
  const { sim, ws } = await started(t, { syncDelayMs: 0 });
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  const plan = await ws.run(['plan']);
  t.regex(
    flat(plan.output),
    /Warning: Online migration done.*record it: set `cutover = true` \(the apply makes no API call\)/,
  );

  ws.write({ 'main.tf': config(CUTOVER) });
  const apply = await ws.run(['apply', '-refresh=false', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  t.regex(flat(apply.output), /Warning: Online migration had already ended: cutover recorded, nothing sent/);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });
  t.like(attributes(ws), { cutover: true, status: 'done' });
  t.regex(attributes(ws).cutover_at, ISO_TIME);
});

test('cutover = true on a migration the refresh saw done: the plan says it only records, and the apply of that plan sends no request at all', async (t) => {
  const { sim, ws } = await started(t, { syncDelayMs: 0 });
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  ws.write({ 'main.tf': config(CUTOVER) });
  const plan = await ws.run(['plan', '-out=cutover.plan']);
  t.is(plan.code, 0, plan.output);
  t.regex(flat(plan.output), /already ended \("done"\): the apply only records the cutover, with no API call/);
  await admin(sim, 'DELETE', 'requests');
  const apply = await ws.run(['apply', 'cutover.plan']);
  t.is(apply.code, 0, apply.output);
  t.deepEqual(await requests(sim), []);
  t.like(attributes(ws), { cutover: true, status: 'done' });
  t.regex(attributes(ws).cutover_at, ISO_TIME);
});
