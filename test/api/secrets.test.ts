import test from 'ava';
import { inspect } from 'node:util';
import { waitForStatus } from '../../src/api/wait';
import { CLUSTER, SOURCE } from '../helpers/constants';
import { clientFor, injectFaults, simulator } from '../helpers/simulator';

test('no token or password reaches a log line, an error message or an inspected error', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 100 });
  const lines: string[] = [];
  const client = clientFor(sim, {
    retry: { limit: 1, waitMinMs: 1, waitMaxMs: 2 },
    requestTimeoutMs: 150,
    log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`),
  });
  const bad = clientFor(sim, {
    token: `${sim.token}-revoked`,
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

  const errors = outcomes.filter((o): o is Error => o instanceof Error);
  t.true(errors.length >= 5, `${errors.length} failures were provoked`);
  t.true(lines.length > 5);
  const text = [...lines, ...errors.map((e) => e.message), ...errors.map((e) => inspect(e, { depth: 6 }))].join('\n');
  for (const secret of [sim.token, SOURCE.password]) t.false(text.includes(secret), 'a secret leaked');
});
