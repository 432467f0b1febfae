import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATION_STATUSES, REACHED, hasReached, isActive, isMigrationStatus } from '../../src/vocabulary/status';
import { ROOT } from '../helpers/project';

test('the statuses are those of the API contract, in the order a migration moves through them', (t) => {
  const contract = JSON.parse(readFileSync(join(ROOT, 'schema/api/migration-status.schema.json'), 'utf8'));
  t.deepEqual([...MIGRATION_STATUSES], contract.enum);
  t.deepEqual([...MIGRATION_STATUSES], ['running', 'syncing', 'canceled', 'error', 'done']);
  for (const status of MIGRATION_STATUSES) t.true(isMigrationStatus(status), status);
  for (const other of ['paused', 'RUNNING', '', null, undefined, 1]) t.false(isMigrationStatus(other), String(other));
});

test('only running and syncing are active', (t) => {
  t.deepEqual(
    MIGRATION_STATUSES.filter((s) => isActive(s)),
    ['running', 'syncing'],
  );
  t.false(isActive(undefined));
});

test('a target is reached by its own status and every later one, never by a failure', (t) => {
  const reaching = (target: keyof typeof REACHED) => MIGRATION_STATUSES.filter((s) => hasReached(s, target));
  t.deepEqual(reaching('running'), ['running', 'syncing', 'done']);
  t.deepEqual(reaching('syncing'), ['syncing', 'done']);
  t.deepEqual(reaching('done'), ['done']);
  t.deepEqual(Object.keys(REACHED), ['running', 'syncing', 'done'], 'the wait targets, in order');
  t.false(hasReached(null, 'running'));
});
