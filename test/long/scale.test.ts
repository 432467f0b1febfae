import test from 'ava';
import { faultProxy } from '../helpers/fault-proxy';
import { admin, simulator } from '../helpers/simulator';
import { initialized, perCluster, workspace } from '../helpers/terraform';

/**
 * Issue 16's scale test, with its figures: a gateway that accepts 40 requests in any 60 seconds
 * and counts the requests it refuses, whose `retry-after` is a quarter of the real wait (0 when
 * that is under 4 s), in front of an API that answers 20% of requests with a 5xx (half of them
 * after carrying the request out); 30 migrations, `-parallelism=10`, one apply.
 */
const MIGRATIONS = 30;
const WINDOW_MS = 60_000;
const PER_WINDOW = 40;

test(`${MIGRATIONS} migrations through a gateway of ${PER_WINDOW} requests a minute that counts refusals, with 20% 5xx: one apply, every one syncing, none started twice, none stopped, none tainted`, async (t) => {
  t.timeout(60 * 60_000);
  const sim = await simulator(t, { syncDelayMs: 1000 });
  const clusters: string[] = [];
  for (let i = 0; i < MIGRATIONS; i++)
    clusters.push((await admin<{ id: string }>(sim, 'POST', 'clusters', { engine: 'pg' })).id);
  const proxy = await faultProxy(t, sim.url, {
    limiter: {
      limit: PER_WINDOW,
      windowMs: WINDOW_MS,
      window: 'sliding',
      countRefused: true,
      retryAfter: (realWaitMs) => String(Math.floor(realWaitMs / 4000)),
    },
    serverErrors: { rate: 0.2, seed: 16 },
  });
  const ws = workspace(t, { url: proxy.url, token: sim.token });
  ws.write(
    perCluster(
      clusters,
      'resource "dodb_online_migration" "m"',
      '  source {\n    host = "db.example.com"\n    port = 5432\n  }\n',
    ),
  );
  await initialized(t, ws);
  const began = Date.now();
  const apply = await ws.run(['apply', '-auto-approve', '-parallelism=10'], { TF_LOG_PROVIDER: 'info' });
  const seconds = (Date.now() - began) / 1000;
  t.is(apply.code, 0, apply.stdout);

  const instances = ws.state().resources.flatMap((r: { instances: unknown[] }) => r.instances) as Array<{
    status?: string;
    attributes: { cluster_id: string; status: string };
  }>;
  t.is(instances.length, MIGRATIONS);
  t.deepEqual(
    instances.filter((i) => i.attributes.status !== 'syncing').map((i) => i.attributes),
    [],
    'every migration reached syncing',
  );
  t.deepEqual(
    instances.filter((i) => i.status === 'tainted').map((i) => i.attributes.cluster_id),
    [],
    'none tainted',
  );
  const started = await admin<Array<{ cluster_id: string }>>(sim, 'GET', 'migrations');
  const startsPerCluster = clusters.map((c) => started.filter((m) => m.cluster_id === c).length);
  t.deepEqual(startsPerCluster, Array(MIGRATIONS).fill(1), 'one start per cluster');
  t.is(proxy.count('PUT'), MIGRATIONS, 'every PUT that reached the API started its migration: none was sent again');
  t.is(proxy.requests.filter((r) => r.method === 'DELETE').length, 0, 'nothing was stopped');
  const refused = proxy.requests.filter((r) => r.fault === 'limited').length;
  const errors = proxy.requests.filter((r) => r.fault?.startsWith('5xx')).length;
  t.true(refused > 0, 'the gateway refused some requests');
  t.true(errors > 0, 'the 5xx were on');
  const puts = proxy.requests.filter((r) => r.method === 'PUT');
  t.log(
    `window ${WINDOW_MS / 1000} s sliding, ${PER_WINDOW} requests, refusals counted; apply ${seconds.toFixed(0)} s; ` +
      `${proxy.requests.length} requests (${refused} refused by the gateway, ${errors} 5xx); ` +
      `PUT: ${puts.length} sent, ${proxy.count('PUT')} reached the API; DELETE: 0`,
  );
});
