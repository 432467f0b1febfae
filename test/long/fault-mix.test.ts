import test from 'ava';
import { ApiError } from '../../src/api/errors';
import { CLUSTER, SOURCE } from '../helpers/constants';
import { admin, clientFor, injectMix, requests, simulator } from '../helpers/simulator';

// A long loop: 100 cycles through the client under a fault mix whose 429s make the client pace itself
// (its limiter spaces requests out after refusals), minutes of waiting (make test-long).
test('under a fault mix, 100 start/status/stop cycles: 0 failures but starts left unknown, and 0 duplicates', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0, rateLimit: 100_000 });
  const client = clientFor(sim, { retry: { limit: 8, waitMinMs: 1, waitMaxMs: 5 } });
  await injectMix(sim, { serverError: 0.2, rateLimited: 0.1, reset: 0.05, seed: 7 });
  let failures = 0;
  let unknown = 0;
  for (let i = 0; i < 100; i++) {
    try {
      // A stop whose answer was lost reads as a 404 when retried: the client cannot tell that stop was its own.
      const { migration } = await client.startMigration(CLUSTER, { source: SOURCE }, { afterCutover: true });
      await client.getMigration(CLUSTER);
      await client.stopMigration(CLUSTER, migration.id);
    } catch (error) {
      // A PUT whose connection was reset before it was applied is never sent again: that start's outcome stays unknown.
      if (error instanceof ApiError && error.code === 'start_unknown') unknown++;
      else failures++;
    }
  }
  const migrations = await admin<Array<{ status: string }>>(sim, 'GET', 'migrations');
  const log = await requests(sim);
  t.is(failures, 0);
  // A few PUTs lose their connection before being applied (reset 0.05, half of them after applying).
  t.true(unknown < 10, `${unknown} starts of unknown outcome`);
  t.log(`starts of unknown outcome: ${unknown}`);
  t.is(migrations.length, 100 - unknown, 'one migration per cycle whose start was confirmed: no duplicate');
  t.true(
    migrations.every((m) => m.status === 'done'),
    'each stop of a syncing migration is a cutover',
  );
  t.log(`requests per cycle under the fault mix: ${(log.length / 100).toFixed(2)}`);
});
