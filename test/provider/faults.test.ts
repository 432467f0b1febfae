import test, { type ExecutionContext } from 'ava';
import { join } from 'node:path';
import { DODB } from '../helpers/built-provider';
import { start } from '../helpers/child';
import { scratchDir } from '../helpers/project';
import type { Simulator } from '../../src/simulator/server';
import { CLUSTER } from '../helpers/constants';
import { admin, injectFaults, migrations, requests, simulator } from '../helpers/simulator';
import { TERRAFORM_STEP_MS, until, within } from '../helpers/until';
import {
  PROVIDER_BLOCK,
  type Workspace,
  initialized,
  migrationConfig,
  resourceInstance,
  workspace,
} from '../helpers/terraform';

const FAST_RETRIES =
  'provider "dodb" {\n  http_retry_max      = 8\n  http_retry_wait_min = 0.05\n  http_retry_wait_max = 0.5\n}\n';
const withFastRetries = (config: string) => config.replace(PROVIDER_BLOCK, `${PROVIDER_BLOCK}\n${FAST_RETRIES}`);

test('429 storms and 500s during apply: the apply succeeds and the state holds the one migration started', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 500 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': withFastRetries(migrationConfig()) });
  await initialized(t, ws);
  await injectFaults(sim, [
    ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 429, retryAfter: 0 })),
    { kind: 'status', status: 500, after: true, match: { method: 'PUT' } },
    { kind: 'status', status: 503 },
    { kind: 'reset' },
  ]);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);
  const migrations = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
  t.is(migrations.length, 1, 'no duplicate migration');
  t.is(resourceInstance(ws.state())!.attributes.id, migrations[0]!.id);
  t.true((await requests(sim)).some((r) => r.status === 429));
});

test('the simulator killed in the middle of a wait and restarted from its state file: 0 orphans', async (t) => {
  const stateFile = join(scratchDir(t, 'sim'), 'state.json');
  const token = 'restart-token';
  // The migration stays running until the test moves it on, after the restart.
  const startSim = (port: number) =>
    start(t, DODB, [
      'simulator',
      '--port',
      String(port),
      '--token',
      token,
      '--state',
      stateFile,
      '--sync-delay',
      '10m',
    ]);
  const first = startSim(0);
  const [, url] = await first.waitFor(/listening on (\S+)\n/, { stream: 'stdout' });
  const api = { url: url!, token };
  const ws = workspace(t, api);
  ws.write({ 'main.tf': withFastRetries(migrationConfig()) });
  await initialized(t, ws);
  const run = ws.start(['apply', '-auto-approve'], { TF_LOG_PROVIDER: 'warn' });
  await until('the PUT', async () => ((await migrations(api)).length > 0 ? true : undefined), TERRAFORM_STEP_MS);
  first.kill('SIGKILL');
  await first.done;
  // Restarted once the provider has found the API gone, and not before.
  await run.waitFor(/API unreachable while waiting; still waiting/, { stream: 'stderr', ms: TERRAFORM_STEP_MS });
  const second = startSim(Number(new URL(api.url).port));
  await second.waitFor(/listening on /, { stream: 'stdout' });
  await admin(api, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  const result = await run.done;
  const all = await migrations(api);
  t.is(all.length, 1);
  t.is(result.code, 0, result.output);
  t.is(resourceInstance(ws.state())!.attributes.id, all[0]!.id, 'the state holds the migration the simulator started');
});

test('SIGINT to terraform during a long wait: terraform stops promptly, the migration stays in state untainted, the next apply waits for it with no PUT, destroy stops it', async (t) => {
  const { sim, ws, run } = await applyWaiting(t);
  run.kill('SIGINT');
  // The migration syncs after 10 minutes: terraform exits at once only if the wait stopped.
  const result = await within('terraform to stop after SIGINT', run.done);
  t.not(result.code, 0);
  t.regex(result.output, /Warning: Stopped waiting for the online migration/);
  const instance = resourceInstance(ws.state())!;
  const [migration] = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
  t.is(instance.attributes.id, migration!.id);
  t.is(instance.status, undefined, 'not tainted');

  const done = await applyWhileItSyncs(ws, sim);
  t.is(done.code, 0, done.output);
  t.regex(done.stdout, /0 added, 1 changed, 0 destroyed/);
  t.is(resourceInstance(ws.state())!.attributes.status, 'syncing');

  const destroy = await ws.run(['destroy', '-auto-approve']);
  t.is(destroy.code, 0, destroy.output);
  const log = await requests(sim);
  t.deepEqual(
    log.filter((r) => r.method !== 'GET').map((r) => r.method),
    ['PUT', 'DELETE'],
  );
});

test('a wait that times out keeps the migration tainted and says how to keep it; after untaint, apply waits again with no PUT or DELETE', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 600_000 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig({ extra: '  timeouts {\n    create = "2s"\n  }' }) });
  await initialized(t, ws);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 1);
  t.regex(apply.output, /did not reach "syncing" in time/);
  t.regex(apply.output, /terraform untaint/);
  t.is(resourceInstance(ws.state())!.status, 'tainted');

  t.is((await ws.run(['untaint', 'dodb_online_migration.m'])).code, 0);
  const plan = await ws.run(['plan']);
  t.regex(plan.stdout, /status\s+= "running" -> \(known after apply\)/, 'the plan says the apply will wait');
  t.regex(plan.stdout, /0 to add, 1 to change, 0 to destroy/);
  ws.write({ 'main.tf': migrationConfig() });
  const done = await applyWhileItSyncs(ws, sim);
  t.is(done.code, 0, done.output);
  t.is(resourceInstance(ws.state())!.attributes.status, 'syncing');
  t.deepEqual(
    (await requests(sim)).filter((r) => r.method !== 'GET').map((r) => r.method),
    ['PUT'],
  );
});

test('a migration that fails during the wait is kept tainted; the next plan says it will be replaced, and the apply starts a new one', async (t) => {
  const { sim, ws, run } = await applyWaiting(t);
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'error' });
  const failed = await run.done;
  t.is(failed.code, 1);
  t.regex(failed.output, /failed before reaching "syncing"/);
  t.is(resourceInstance(ws.state())!.status, 'tainted');

  const plan = await ws.run(['plan']);
  t.regex(plan.stdout, /is tainted, so must be replaced/);
  await admin(sim, 'POST', 'config', { syncDelayMs: 0 });
  const replaced = await ws.run(['apply', '-auto-approve']);
  t.is(replaced.code, 0, replaced.output);
  const all = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
  t.is(resourceInstance(ws.state())!.attributes.id, all[1]!.id);
  t.deepEqual(
    (await requests(sim)).filter((r) => r.method !== 'GET').map((r) => r.method),
    ['PUT', 'PUT'],
    'an error migration needs no stop',
  );
});

/** A simulator whose migrations stay running, and an apply that has sent its PUT and is waiting. */
async function applyWaiting(t: ExecutionContext) {
  const sim = await simulator(t, { syncDelayMs: 600_000 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const run = ws.start(['apply', '-auto-approve']);
  await until(
    'the PUT',
    async () => ((await requests(sim)).some((r) => r.method === 'PUT') ? true : undefined),
    TERRAFORM_STEP_MS,
  );
  return { sim, ws, run };
}

/** An apply that resumes a wait: once terraform is modifying the resource, the migration catches up. */
async function applyWhileItSyncs(ws: Workspace, sim: Simulator) {
  const resumed = ws.start(['apply', '-auto-approve']);
  await resumed.waitFor(/Modifying\.\.\./, { stream: 'stdout', ms: TERRAFORM_STEP_MS });
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  return resumed.done;
}
