import test from 'ava';
import { CLUSTER } from '../helpers/constants';
import { admin, api, injectMix, requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, migrationConfig, workspace } from '../helpers/terraform';

const MIGRATIONS = 30;
/**
 * DigitalOcean's hidden burst limit is a number of requests a minute; the client knows nothing of the
 * window (it slows down on each 429 the headers do not explain), so a 2-second window tries the same
 * logic without waiting out minutes.
 */
const BURST = { burstLimit: 40, burstWindowMs: 2000 };

const TITLE = `${MIGRATIONS} migrations under a hidden burst limit of 40 in any 2 seconds and 20% 5xx`;

test(`${TITLE}: one apply, every one syncing, none twice, none stopped, none tainted`, async (t) => {
  t.timeout(10 * 60_000);
  const sim = await simulator(t, { syncDelayMs: 1000, rateLimit: 5000, rateWindowMs: 3_600_000, ...BURST });
  const clusters: string[] = [];
  for (let i = 0; i < MIGRATIONS; i++)
    clusters.push((await admin<{ id: string }>(sim, 'POST', 'clusters', { engine: 'pg' })).id);
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

  const instances = ws.state().resources.flatMap((r: { instances: unknown[] }) => r.instances) as Array<{
    status?: string;
    attributes: { status: string };
  }>;
  t.is(instances.length, MIGRATIONS);
  t.deepEqual(
    instances.filter((i) => i.attributes.status !== 'syncing'),
    [],
    'every migration reached syncing',
  );
  t.deepEqual(
    instances.filter((i) => i.status === 'tainted'),
    [],
    'none tainted',
  );
  const migrations = await admin<Array<{ cluster_id: string }>>(sim, 'GET', 'migrations');
  t.is(migrations.length, MIGRATIONS, 'one migration per cluster: no duplicate PUT took effect');
  t.is(new Set(migrations.map((m) => m.cluster_id)).size, MIGRATIONS);
  const log = await requests(sim);
  t.is(log.filter((r) => r.method === 'DELETE').length, 0, 'nothing was stopped');
  const refused = log.filter((r) => r.fault === 'burst-limit').length;
  const errors = log.filter((r) => r.status >= 500).length;
  const waits = apply.stderr.split('\n').filter((line) => line.includes('waiting ')).length;
  t.true(errors > 0, 'the 5xx mix was on');
  t.true(refused > 0, 'the burst limit refused some requests');
  t.log(
    `apply: ${seconds.toFixed(0)} s wall, ${log.length} requests (${log.filter((r) => r.method === 'PUT').length} PUT, ${refused} refused by the burst limit, ${errors} 5xx), ${waits} wait lines at TF_LOG_PROVIDER=info`,
  );
});

test('a refresh with the rate limit used up for an hour ends at once with a diagnostic saying until when, and the log says why', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const ws = workspace(t, sim);
  ws.write({
    'main.tf': `${migrationConfig({ waitFor: 'none' })}\ndata "dodb_online_migration" "d" {\n  cluster_id = dodb_online_migration.m.cluster_id\n}\n`,
  });
  await initialized(t, ws);
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 0, apply.output);

  const probe = await api(sim, 'GET', `/v2/databases/${CLUSTER}`);
  const used = Number(probe.headers.get('ratelimit-limit')) - Number(probe.headers.get('ratelimit-remaining'));
  // One request left in a window that resets in about an hour: the first refresh spends it.
  await admin(sim, 'POST', 'config', { rateLimit: used + 1, rateWindowMs: 3_600_000 });
  await admin(sim, 'DELETE', 'requests');
  const spent = await ws.run(['plan'], { TF_LOG_PROVIDER: 'info' });
  t.is(spent.code, 1, spent.output);
  t.regex(
    spent.stderr,
    /rate limit is used up; the next try\s+would\s+be\s+at\s+\S+Z\s+\(in\s+(59|60)m\),\s+after\s+this\s+operation.s\s+time\s+limit/,
  );
  t.regex(
    spent.stderr,
    /failed: the API rate limit is used up[\s\S]*wait\s+until\s+it\s+resets\s+and\s+run\s+the\s+command\s+again/,
  );
  t.regex(spent.stderr, /giving up GET \S+: the API rate limit is used up/, 'the log says why it did not wait');
  t.is((await requests(sim)).length, 1, 'the second read was not sent into a spent window');

  // None left at all: the API answers 429 with retry-after of about an hour.
  await admin(sim, 'POST', 'config', { rateLimit: 0 });
  const refused = await ws.run(['plan'], { TF_LOG_PROVIDER: 'info' });
  t.is(refused.code, 1, refused.output);
  t.regex(
    refused.stderr,
    /the API asked to wait \(429\);\s+the\s+next\s+try\s+would\s+be\s+at\s+\S+Z\s+\(in\s+(59|60)m\)/,
  );
  t.regex(refused.stderr, /giving up GET \S+: the API asked to wait/);
});
