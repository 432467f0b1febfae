import test from 'ava';
import { admin, injectMix, requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, workspace } from '../helpers/terraform';

const MIGRATIONS = 30;

test(`${MIGRATIONS} migrations under a hidden burst limit of 40 a minute and 20% 5xx: one apply, every one syncing, none twice, none stopped, none tainted`, async (t) => {
  t.timeout(20 * 60_000);
  const sim = await simulator(t, { syncDelayMs: 1000, rateLimit: 5000, rateWindowMs: 3_600_000, burstLimit: 40 });
  const clusters: string[] = [];
  for (let i = 0; i < MIGRATIONS; i++) clusters.push((await admin<{ id: string }>(sim, 'POST', 'clusters', { engine: 'pg' })).id);
  const ws = workspace(t, sim);
  ws.write({
    'main.tf': `${PROVIDER_BLOCK}
variable "clusters" { type = list(string) }

resource "dodb_online_migration" "m" {
  for_each   = toset(var.clusters)
  cluster_id = each.value
  source {
    host = "db.example.com"
    port = 5432
  }
}
`,
    'terraform.tfvars.json': JSON.stringify({ clusters }),
  });
  await initialized(t, ws);
  await injectMix(sim, { serverError: 0.2, rateLimited: 0, reset: 0, seed: 9 });
  const began = Date.now();
  const apply = await ws.run(['apply', '-auto-approve', '-parallelism=10'], { TF_LOG_PROVIDER: 'info' });
  const seconds = (Date.now() - began) / 1000;
  t.is(apply.code, 0, apply.stdout);

  const instances = ws.state().resources.flatMap((r: { instances: unknown[] }) => r.instances) as Array<{ status?: string; attributes: { status: string } }>;
  t.is(instances.length, MIGRATIONS);
  t.deepEqual(instances.filter((i) => i.attributes.status !== 'syncing'), [], 'every migration reached syncing');
  t.deepEqual(instances.filter((i) => i.status === 'tainted'), [], 'none tainted');
  const migrations = await admin<Array<{ cluster_id: string }>>(sim, 'GET', 'migrations');
  t.is(migrations.length, MIGRATIONS, 'one migration per cluster: no duplicate PUT took effect');
  t.is(new Set(migrations.map((m) => m.cluster_id)).size, MIGRATIONS);
  const log = await requests(sim);
  t.is(log.filter((r) => r.method === 'DELETE').length, 0, 'nothing was stopped');
  const refused = log.filter((r) => r.fault === 'burst-limit').length;
  const errors = log.filter((r) => r.status >= 500).length;
  const waits = apply.stderr.split('\n').filter((line) => line.includes('waiting ')).length;
  t.true(errors > 0, 'the 5xx mix was on');
  t.log(`apply: ${seconds.toFixed(0)} s wall, ${log.length} requests (${log.filter((r) => r.method === 'PUT').length} PUT, ${refused} refused by the burst limit, ${errors} 5xx), ${waits} wait lines at TF_LOG_PROVIDER=info`);
});
