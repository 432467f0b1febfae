import test from 'ava';
import { WaitError, waitForStatus } from '../../src/api/wait';
import { CLUSTER, SOURCE } from '../helpers/constants';
import { admin, clientFor, requests, simulator } from '../helpers/simulator';

/** The wait's ending when another migration replaced the awaited one; the others are in client.test.ts. */

const reads = async (sim: Parameters<typeof requests>[0]) =>
  (await requests(sim)).filter((r) => r.method === 'GET').length;

test('a newer migration started over ours ends the wait as superseded, on the second read that shows it', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const client = clientFor(sim);
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE });
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  const other = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const before = await reads(sim);
  const waiting = waitForStatus(client, CLUSTER, migration.id, 'syncing', {
    timeoutMs: 30_000,
    pollMinMs: 10,
    createdAt: migration.created_at,
  });
  const error = await t.throwsAsync(waiting, { instanceOf: WaitError });
  t.is(error!.reason, 'superseded');
  t.is(error!.migration?.id, other.id);
  t.regex(error!.message, new RegExp(`${migration.id} was superseded by migration ${other.id}`));
  t.is((await reads(sim)) - before, 2, 'one read alone never decides');
});

test('a migration created before ours, or a canceled one, never supersedes it: the wait runs to its timeout', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const client = clientFor(sim);
  const older = await admin<{ id: string; created_at: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  // Ours, as the stale reads see it: created after the migration the cluster shows.
  const ours = { id: 'ours', created_at: new Date(Date.parse(older.created_at) + 60_000).toISOString() };
  const options = { timeoutMs: 300, pollMinMs: 10, createdAt: ours.created_at };
  const olderOne = await t.throwsAsync(waitForStatus(client, CLUSTER, ours.id, 'syncing', options), {
    instanceOf: WaitError,
  });
  t.is(olderOne!.reason, 'timeout');

  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  const noDate = { timeoutMs: 300, pollMinMs: 10 };
  const canceled = await t.throwsAsync(waitForStatus(client, CLUSTER, ours.id, 'syncing', noDate), {
    instanceOf: WaitError,
  });
  t.is(canceled!.reason, 'timeout');
});
