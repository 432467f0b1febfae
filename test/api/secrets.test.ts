import test from 'ava';
import { inspect } from 'node:util';
import { ApiError } from '../../src/api/errors';
import { waitForStatus } from '../../src/api/wait';
import { CLUSTER, SOURCE } from '../helpers/constants';
import { faultProxy } from '../helpers/fault-proxy';
import { clientFor, injectFaults, simulator } from '../helpers/simulator';

/** Not token-shaped: only redaction by value catches it. */
const TOKEN = 'plain-token-value-17';

test('no token or password reaches a log line, an error message or an inspected error, even when the server quotes them', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 100, token: TOKEN });
  const proxy = await faultProxy(t, sim.url);
  const api = { url: proxy.url, token: TOKEN };
  const lines: string[] = [];
  const client = clientFor(api, {
    retry: { limit: 1, waitMinMs: 1, waitMaxMs: 2 },
    requestTimeoutMs: 150,
    log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`),
  });
  const bad = clientFor(api, {
    token: `${TOKEN}-revoked`,
    log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`),
  });
  const outcomes: unknown[] = [];
  const attempt = (p: Promise<unknown>) =>
    p.then(
      (v) => outcomes.push(v),
      (e) => outcomes.push(e),
    );

  await injectFaults(sim, [{ kind: 'status', status: 500, after: true, match: { method: 'PUT' } }]);
  await attempt(client.startMigration(CLUSTER, { source: SOURCE }));
  await attempt(client.startMigration(CLUSTER, { source: SOURCE }));
  await attempt(client.startMigration(CLUSTER, { source: { ...SOURCE, port: 0 } }));
  await attempt(bad.getMigration(CLUSTER));
  await injectFaults(sim, [{ kind: 'reset' }, { kind: 'reset' }]);
  await attempt(client.getMigration(CLUSTER));
  await injectFaults(sim, [
    { kind: 'slow', delayMs: 400 },
    { kind: 'slow', delayMs: 400 },
  ]);
  await attempt(client.getMigration(CLUSTER));
  await attempt(waitForStatus(client, CLUSTER, 'other-id', 'syncing', { timeoutMs: 500, pollMinMs: 10 }));
  // A server that quotes what it was sent, the way the issue saw it, with and without the shapes the rules know.
  const quoting = [
    `could not connect using password ${SOURCE.password}: authentication failed`,
    `token ${TOKEN} has no database:read scope`,
    `Authorization: Bearer ${TOKEN}`,
    `source {"password":"${SOURCE.password}"}`,
  ];
  for (const message of quoting) {
    proxy.add({
      method: 'GET',
      times: 1,
      fault: { kind: 'answer', status: 400, body: { id: 'bad_request', message } },
    });
    await attempt(client.getMigration(CLUSTER));
  }
  t.is(proxy.requests.filter((r) => r.fault === 'answer').length, quoting.length, 'the server quoted the secrets');

  const errors = outcomes.filter((o): o is Error => o instanceof Error);
  t.true(errors.length >= 5 + quoting.length, `${errors.length} failures were provoked`);
  t.true(lines.length > 5);
  const text = [...lines, ...errors.map((e) => e.message), ...errors.map((e) => inspect(e, { depth: 6 }))].join('\n');
  for (const secret of [sim.token, SOURCE.password]) t.false(text.includes(secret), 'a secret leaked');
});

test('a token a server quotes in an error id or in a migration id reaches neither an error nor a log line', async (t) => {
  const sim = await simulator(t, { token: TOKEN });
  const proxy = await faultProxy(t, sim.url);
  const lines: string[] = [];
  const client = clientFor(
    { url: proxy.url, token: TOKEN },
    { log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`) },
  );
  proxy.add({
    method: 'GET',
    times: 1,
    fault: { kind: 'answer', status: 403, body: { id: `forbidden_for_${TOKEN}`, message: 'forbidden' } },
  });
  const error = await t.throwsAsync(client.getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(error!.doId, 'forbidden_for_[redacted]');
  proxy.add({
    method: 'GET',
    times: 1,
    fault: { kind: 'answer', status: 200, body: { id: `quoting-${TOKEN}`, status: 'running' } },
  });
  t.false(await client.stopMigration(CLUSTER, 'another-migration'), 'the cluster shows another migration');
  t.true(
    lines.some((l) => l.includes('nothing to stop') && l.includes('quoting-[redacted]')),
    'the log names it',
  );
  const text = [inspect(error, { depth: 6 }), ...lines].join('\n');
  t.false(text.includes(TOKEN), 'the token leaked');
});
