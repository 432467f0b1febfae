import test from 'ava';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT, scratchDir } from '../helpers/project';
import { CLUSTER, admin, injectFaults, requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';

const FAST_RETRIES = 'provider "dodb" {\n  http_retry_max      = 8\n  http_retry_wait_min = 0.05\n  http_retry_wait_max = 0.5\n}\n';
const withFastRetries = (config: string) => config.replace(PROVIDER_BLOCK, `${PROVIDER_BLOCK}\n${FAST_RETRIES}`);

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

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
  const port = await freePort();
  const stateFile = join(scratchDir(t, 'sim'), 'state.json');
  const token = 'restart-token';
  const startSim = () => spawn(process.execPath, [join(ROOT, 'dist/dodb.js'), 'simulator', '--port', String(port), '--token', token, '--state', stateFile, '--sync-delay', '3s'], { stdio: 'ignore' });
  let sim: ChildProcess = startSim();
  t.teardown(() => sim.kill('SIGKILL'));
  const api = { url: `http://127.0.0.1:${port}`, token };
  await until('the simulator', () => fetch(`${api.url}/_sim/requests`).then((r) => (r.ok ? true : undefined)));
  const ws = workspace(t, api);
  ws.write({ 'main.tf': withFastRetries(migrationConfig()) });
  await initialized(t, ws);
  const run = ws.start(['apply', '-auto-approve']);
  await until('the PUT', async () => ((await (await fetch(`${api.url}/_sim/migrations`)).json()) as unknown[]).length > 0 || undefined);
  sim.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 800));
  sim = startSim();
  const result = await run.done;
  const migrations = (await (await fetch(`${api.url}/_sim/migrations`)).json()) as Array<{ id: string; status: string }>;
  t.is(migrations.length, 1);
  t.is(result.code, 0, result.output);
  t.is(resourceInstance(ws.state())!.attributes.id, migrations[0]!.id, 'the state holds the migration the simulator started');
});

test('SIGINT to terraform during a long wait: terraform stops, the state keeps the migration, destroy stops it', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 600_000 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const run = ws.start(['apply', '-auto-approve']);
  await until('the PUT', async () => ((await requests(sim)).some((r) => r.method === 'PUT') ? true : undefined));
  await new Promise((r) => setTimeout(r, 300));
  const interrupted = Date.now();
  run.child.kill('SIGINT');
  const result = await run.done;
  t.true(Date.now() - interrupted < 10_000, 'terraform stopped promptly');
  t.not(result.code, 0);
  t.regex(result.output, /Stopped waiting for the online migration/);
  const instance = resourceInstance(ws.state())!;
  const [migration] = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
  t.is(instance.attributes.id, migration!.id);
  t.is(instance.status, 'tainted');
  const destroy = await ws.run(['destroy', '-auto-approve']);
  t.is(destroy.code, 0, destroy.output);
  t.is((await admin<Array<{ status: string }>>(sim, 'GET', 'migrations'))[0]!.status, 'canceled');
});

test('a wait that times out, or a migration that fails, keeps the migration in state as tainted', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 600_000 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig({ extra: '  timeouts {\n    create = "2s"\n  }' }) });
  await initialized(t, ws);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 1);
  t.regex(apply.output, /did not reach "syncing" in time/);
  t.is(resourceInstance(ws.state())!.status, 'tainted');

  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  const replace = ws.start(['apply', '-auto-approve']);
  await until('the new PUT', async () => ((await requests(sim)).filter((r) => r.method === 'PUT').length === 2 ? true : undefined));
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'error' });
  const failed = await replace.done;
  t.is(failed.code, 1);
  t.regex(failed.output, /failed before reaching "syncing"/);
  const all = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
  t.is(resourceInstance(ws.state())!.attributes.id, all[1]!.id);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
