import test from 'ava';
import type { Migration } from '../../../generated/types';
import { ApiError } from '../../../src/api/errors';
import { WaitError } from '../../../src/api/wait';
import {
  afterWaitFailed,
  beforeStopFailed,
  cutoverDue,
  endOf,
  endedBeforeCutover,
  isCutOver,
  lastSeen,
  refusalsAfterCutover,
  replacementCutsOver,
  replacementStands,
  resumesWait,
  stopsOnDelete,
  updateAction,
  whenNoneShown,
  whenShown,
} from '../../../src/provider/online-migration/lifecycle';
import type { MigrationState } from '../../../src/provider/online-migration/state';

/** The resource's decisions on plain values: what each read, plan and apply does comes from these. */

const STATE: MigrationState = {
  id: 'm-1',
  cluster_id: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
  source: [],
  disable_ssl: false,
  ignore_dbs: null,
  wait_for: 'syncing',
  allow_overwrite_after_cutover: false,
  cutover: false,
  status: 'running',
  created_at: '2026-12-01T10:00:00Z',
  cutover_at: null,
  timeouts: null,
};
const CUT_OVER: MigrationState = { ...STATE, cutover: true, status: 'done', cutover_at: '2026-12-01T12:00:00Z' };
const migration = (id: string, status: Migration['status']): Migration => ({ id, status }) as Migration;
const notFound = new ApiError({ code: 'not_found', method: 'GET', path: '/v2/databases/x/online-migration' });
const outage = new ApiError({ code: 'server_error', method: 'GET', path: '/v2/databases/x/online-migration' });
const waitFailed = (reason: 'timeout' | 'failed' | 'canceled' | 'superseded', seen?: Migration) =>
  new WaitError(reason, `wait ${reason}`, seen);

test('the cutover record is cutover_at alone; a cutover is due once, when cutover turns true', (t) => {
  t.false(isCutOver(STATE));
  t.true(isCutOver(CUT_OVER));
  t.true(isCutOver({ cutover_at: '' }), 'any record counts, whatever the API shows');
  t.true(cutoverDue(null, { cutover: true }), 'a create with cutover = true');
  t.true(cutoverDue(STATE, { cutover: true }));
  t.false(cutoverDue(CUT_OVER, { cutover: true }), 'recorded already: nothing is stopped again');
  t.false(cutoverDue(null, { cutover: false }));
  t.false(cutoverDue(STATE, { cutover: null }));
});

test('a refresh that sees no migration keeps it unless its own origin says the cluster is gone', (t) => {
  t.is(whenNoneShown(STATE, true, true), 'not_shown');
  t.is(whenNoneShown(STATE, true, false), 'not_shown');
  t.is(whenNoneShown(CUT_OVER, true, true), 'kept', 'after a cutover the API may show it no more');
  t.is(whenNoneShown(STATE, false, false), 'not_found_here');
  t.is(whenNoneShown(CUT_OVER, false, false), 'not_found_here');
  t.is(whenNoneShown(STATE, false, true), 'drop');
  t.is(whenNoneShown(CUT_OVER, false, true), 'drop');
});

test('a refresh follows its own migration, warns of an end it did not cut over, and says when the wait is over', (t) => {
  t.deepEqual(whenShown(STATE, migration('m-2', 'running')), { superseded: true });
  t.deepEqual(whenShown(STATE, migration('m-1', 'running')), { superseded: false, warnEnded: false, waitOver: false });
  t.deepEqual(whenShown(STATE, migration('m-1', 'syncing')), { superseded: false, warnEnded: false, waitOver: true });
  for (const ended of ['done', 'canceled', 'error'] as const) {
    t.deepEqual(whenShown(STATE, migration('m-1', ended)), { superseded: false, warnEnded: true, waitOver: true });
    t.deepEqual(whenShown(CUT_OVER, migration('m-1', ended)), { superseded: false, warnEnded: false, waitOver: true });
  }
  const noWait = { ...STATE, wait_for: 'none' as const };
  t.deepEqual(whenShown(noWait, migration('m-1', 'running')), { superseded: false, warnEnded: false, waitOver: true });
  // No wait_for in the state (an import): the default, syncing.
  const imported = { ...STATE, wait_for: null };
  t.false((whenShown(imported, migration('m-1', 'running')) as { waitOver: boolean }).waitOver);
  t.true((whenShown(imported, migration('m-1', 'syncing')) as { waitOver: boolean }).waitOver);
});

test('an update cuts over, waits again after a failed wait, or changes the state alone', (t) => {
  t.is(updateAction(STATE, { cutover: true }, null), 'cutover');
  t.is(updateAction(STATE, { cutover: true }, { resumeWait: true }), 'cutover');
  t.is(updateAction(STATE, { cutover: false }, { resumeWait: true }), 'wait_again');
  t.is(updateAction(CUT_OVER, { cutover: true }, { resumeWait: true }), 'wait_again');
  t.is(updateAction({ ...STATE, id: null }, { cutover: false }, { resumeWait: true }), 'in_place');
  t.is(updateAction(STATE, { cutover: false }, { adopt: true }), 'in_place');
  t.is(updateAction(STATE, { cutover: false }, null), 'in_place');
});

test('a destroy stops only a migration that may still run and was not cut over', (t) => {
  t.true(stopsOnDelete(STATE));
  t.true(stopsOnDelete({ ...STATE, status: 'syncing' }));
  t.true(stopsOnDelete({ ...STATE, status: null }), 'not seen yet: the client looks before it stops');
  t.false(stopsOnDelete({ ...STATE, id: null }));
  t.false(stopsOnDelete({ ...CUT_OVER, status: 'syncing' }), 'cut over: the record counts, not a stale status');
  for (const ended of ['done', 'canceled', 'error'] as const) t.false(stopsOnDelete({ ...STATE, status: ended }));
});

test('after an import or a move the unobserved arguments are adopted in place; the others still replace', (t) => {
  for (const name of ['source', 'disable_ssl', 'ignore_dbs']) {
    t.false(replacementStands([name, 0, 'host'], { adopt: true }), name);
    t.true(replacementStands([name], null), name);
    t.true(replacementStands([name], { resumeWait: true }), name);
  }
  t.true(replacementStands(['cluster_id'], { adopt: true }));
});

test('a plan promises the wait again only for a healthy migration short of its target that nothing replaces', (t) => {
  const resume = { resumeWait: true as const };
  t.true(resumesWait(STATE, resume, 'syncing', false));
  t.true(resumesWait({ ...STATE, status: 'syncing' }, resume, 'done', false));
  t.false(resumesWait({ ...STATE, status: 'syncing' }, resume, 'syncing', false), 'reached');
  t.false(resumesWait(STATE, resume, 'running', false), 'reached');
  t.false(resumesWait(STATE, resume, 'none', false));
  t.false(resumesWait(STATE, resume, 'syncing', true), 'replaced');
  t.false(resumesWait(STATE, null, 'syncing', false));
  t.false(resumesWait(STATE, { adopt: true }, 'syncing', false));
  t.false(resumesWait({ ...STATE, status: 'error' }, resume, 'syncing', false));
  t.false(resumesWait({ ...STATE, status: null }, resume, 'syncing', false));
});

test('a replacement cuts over only a syncing migration', (t) => {
  t.true(replacementCutsOver({ status: 'syncing' }, true));
  t.false(replacementCutsOver({ status: 'syncing' }, false));
  t.false(replacementCutsOver({ status: 'running' }, true));
  t.false(replacementCutsOver({ status: 'done' }, true));
});

test('after a cutover a plan refuses the undo, and a replacement unless allowed', (t) => {
  t.deepEqual(refusalsAfterCutover(false, true, false), ['undo', 'replace']);
  t.deepEqual(refusalsAfterCutover(false, false, false), ['undo']);
  t.deepEqual(refusalsAfterCutover(true, true, false), ['replace']);
  t.deepEqual(refusalsAfterCutover(undefined, true, true), []);
  t.deepEqual(refusalsAfterCutover(null, false, false), [], 'cutover unset is no undo');
  t.deepEqual(refusalsAfterCutover(true, false, false), []);
});

test('a migration that ended before the cutover needs only the record', (t) => {
  t.true(endedBeforeCutover('done'));
  t.true(endedBeforeCutover('canceled'));
  for (const status of ['running', 'syncing', 'error', null] as const) t.false(endedBeforeCutover(status));
});

test('the end a failed wait shows: a 404 is gone, a failure of this migration its status, anything else none', (t) => {
  t.is(endOf(notFound, 'm-1'), null);
  t.is(endOf(outage, 'm-1'), undefined);
  t.is(endOf(waitFailed('failed', migration('m-1', 'canceled')), 'm-1'), 'canceled');
  t.is(endOf(waitFailed('failed', migration('m-2', 'canceled')), 'm-1'), undefined, 'another migration');
  t.is(endOf(waitFailed('failed'), 'm-1'), undefined);
  t.is(endOf(waitFailed('timeout', migration('m-1', 'running')), 'm-1'), undefined);
  t.is(endOf(new Error('not_found'), 'm-1'), undefined);
});

test('before the stop, an end other than a failure is the cutover; anything else stops nothing', (t) => {
  t.deepEqual(beforeStopFailed(notFound, 'm-1'), { record: null });
  t.deepEqual(beforeStopFailed(waitFailed('failed', migration('m-1', 'canceled')), 'm-1'), { record: 'canceled' });
  t.deepEqual(beforeStopFailed(waitFailed('failed', migration('m-1', 'done')), 'm-1'), { record: 'done' });
  t.is(beforeStopFailed(waitFailed('failed', migration('m-1', 'error')), 'm-1'), 'not_now');
  t.is(beforeStopFailed(waitFailed('timeout', migration('m-1', 'running')), 'm-1'), 'not_now');
  t.is(beforeStopFailed(outage, 'm-1'), 'not_now');
});

test('the last status a failed wait saw of this migration, else the one known before', (t) => {
  t.is(lastSeen(waitFailed('timeout', migration('m-1', 'syncing')), 'm-1', 'running'), 'syncing');
  t.is(lastSeen(waitFailed('superseded', migration('m-2', 'running')), 'm-1', 'syncing'), 'syncing');
  t.is(lastSeen(waitFailed('canceled'), 'm-1', 'running'), 'running');
  t.is(lastSeen(outage, 'm-1', null), null);
});

test('after a failed wait a healthy migration is waited for again, and Ctrl-C on it is an interruption', (t) => {
  t.deepEqual(afterWaitFailed(waitFailed('canceled', migration('m-1', 'running')), 'm-1', null), {
    last: 'running',
    healthy: true,
    interrupted: true,
  });
  t.deepEqual(afterWaitFailed(waitFailed('timeout', migration('m-1', 'syncing')), 'm-1', 'running'), {
    last: 'syncing',
    healthy: true,
    interrupted: false,
  });
  t.deepEqual(afterWaitFailed(waitFailed('failed', migration('m-1', 'error')), 'm-1', 'running'), {
    last: 'error',
    healthy: false,
    interrupted: false,
  });
  t.deepEqual(afterWaitFailed(waitFailed('canceled'), 'm-1', null), { last: null, healthy: false, interrupted: false });
  t.deepEqual(afterWaitFailed(outage, 'm-1', 'running'), { last: 'running', healthy: true, interrupted: false });
});
