import test from 'ava';
import { start } from '../helpers/child';
import { CLUSTER } from '../helpers/constants';
import { admin, requests, simulator, writes } from '../helpers/simulator';
import { initialized, migrationConfig, resourceInstance, workspace } from '../helpers/terraform';
import { until, within } from '../helpers/until';

test("SIGTERM to terraform's process group during a long wait: the state keeps the migration, 1 PUT and 0 DELETE, and the next apply sends no PUT", async (t) => {
  const sim = await simulator(t, { syncDelayMs: 600_000 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  // In a process group of its own, as a CI runner, `timeout` or systemd starts it: the signal reaches
  // terraform and the provider it started alike.
  const apply = start(t, 'terraform', ['apply', '-auto-approve', '-no-color'], {
    cwd: ws.dir,
    env: ws.env,
    group: true,
  });
  await until(
    'the PUT',
    async () => ((await requests(sim)).some((r) => r.method === 'PUT') ? true : undefined),
    60_000,
  );
  apply.kill('SIGTERM');
  // The migration syncs after 10 minutes: terraform ends now only if the wait stopped.
  const result = await within('terraform to stop after SIGTERM', apply.done);
  t.not(result.code, 0);
  t.notRegex(result.output, /Plugin did not respond|plugin exited/i);
  t.regex(result.output, /Stopped waiting for the online migration/);
  const [migration] = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
  t.is(resourceInstance(ws.state())?.attributes.id, migration!.id, 'the state holds the migration started');
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });

  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  const next = await ws.run(['apply', '-auto-approve']);
  t.is(next.code, 0, next.output);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 }, 'the next apply started nothing');
  t.is(resourceInstance(ws.state())?.attributes.id, migration!.id);
});
