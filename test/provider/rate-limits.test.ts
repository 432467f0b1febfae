import test from 'ava';
import { CLUSTER } from '../helpers/constants';
import { faultProxy } from '../helpers/fault-proxy';
import { admin, api, requests, simulator } from '../helpers/simulator';
import { initialized, migrationConfig, perCluster, workspace } from '../helpers/terraform';

test('a gateway answering 429 with retry-after: 0 and no rate-limit headers: a plan of 10 reads sends a bounded number of requests, not a storm', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const clusters: string[] = [];
  for (let i = 0; i < 10; i++)
    clusters.push((await admin<{ id: string }>(sim, 'POST', 'clusters', { engine: 'pg' })).id);
  // 5 requests in each 2-second window, refused ones counted, and every 429 says to come back at once.
  const proxy = await faultProxy(t, sim.url, {
    limiter: { limit: 5, windowMs: 2000, window: 'fixed', countRefused: true, retryAfter: () => '0' },
  });
  const ws = workspace(t, { url: proxy.url, token: sim.token });
  ws.write(perCluster(clusters, 'data "dodb_online_migration" "d"'));
  await initialized(t, ws);
  const plan = await ws.run(['plan', '-parallelism=10']);
  t.is(plan.code, 0, plan.output);
  const refused = proxy.requests.filter((r) => r.fault === 'limited').length;
  const answered = proxy.requests.length - refused;
  t.true(refused > 0, 'the gateway refused some reads');
  t.true(refused <= answered, `${refused} refused, ${answered} answered: no more refusals than answers`);
});

test('timeouts.create = "15s" bounds a hung GET: the apply fails with the time limit, no PUT sent', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const proxy = await faultProxy(t, sim.url);
  proxy.add({ method: 'GET', fault: { kind: 'hang' } });
  const ws = workspace(t, { url: proxy.url, token: sim.token });
  ws.write({ 'main.tf': migrationConfig({ extra: '  timeouts {\n    create = "15s"\n  }' }) });
  await initialized(t, ws);
  // The per-request timeout is 30 s; the message says the try was cut to what was left of the 15 s.
  const apply = await ws.run(['apply', '-auto-approve']);
  t.is(apply.code, 1, apply.output);
  t.regex(apply.stderr, /no\s+answer\s+within\s+15s,\s+what\s+was\s+left\s+of\s+this\s+operation's\s+time\s+limit/);
  t.is(proxy.count('PUT'), 0);
  t.is(proxy.requests.filter((r) => r.method === 'PUT').length, 0);
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
