import test from 'ava';
import type { Migration } from '../../generated/types';
import { ApiError, StartRefusedError } from '../../src/api/errors';
import { StartLockError } from '../../src/api/start-lock';
import { WaitError } from '../../src/api/wait';
import { UsageError } from '../../src/cli/command';
import { CliError, EXIT, failureOf } from '../../src/cli/exit-codes';
import { DodbError } from '../../src/errors';
import { MirrorError } from '../../src/release/provider-package';

/** One family of errors: each member's code is what --json prints, and the code alone decides the exit code. */

const latest = { id: 'm-2', status: 'running' };
const migration = { id: 'm-1', status: 'running' } as Migration;

test('every error of the family reports its code and the exit code the README documents', (t) => {
  const cases: Array<[DodbError, string, number]> = [
    [new ApiError({ code: 'unauthorized', method: 'GET', path: '/v2/databases', status: 401 }), 'unauthorized', 1],
    [
      new ApiError({ code: 'start_unknown', method: 'PUT', path: '/v2/databases/c/online-migration' }),
      'start_unknown',
      1,
    ],
    [new StartLockError('timeout', 'c'), 'start_lock', EXIT.api],
    [new MirrorError('the mirror is not built'), 'mirror', EXIT.api],
    [new CliError('no_migration', 'cluster c has no online migration yet'), 'no_migration', EXIT.api],
    [new CliError('no_such_cluster', 'no such cluster c'), 'no_such_cluster', EXIT.api],
    [new UsageError('--cluster is required', 'usage: ...'), 'usage', EXIT.usage],
    [new CliError('confirmation_required', 'confirm with --yes'), 'confirmation_required', EXIT.usage],
    [new WaitError('timeout', 'migration m-1 did not reach "syncing"', migration), 'wait_timeout', EXIT.timeout],
    [new StartRefusedError('active', 'c', latest), 'refused_active', EXIT.refused],
    [new StartRefusedError('cutover', 'c', latest), 'refused_cutover', EXIT.refused],
    [new StartRefusedError('raced', 'c', latest), 'refused_raced', EXIT.refused],
    [new CliError('already_ended', 'already done'), 'already_ended', EXIT.refused],
    [new CliError('not_confirmed', 'not confirmed'), 'not_confirmed', EXIT.refused],
    [new WaitError('failed', 'ended with status "error"', migration), 'wait_failed', EXIT.failed],
    [new WaitError('superseded', 'superseded by m-2', migration), 'wait_superseded', EXIT.failed],
    [new WaitError('canceled', 'stopped waiting', migration), 'wait_canceled', EXIT.failed],
  ];
  for (const [error, code, exitCode] of cases) {
    const failure = failureOf(error)!;
    t.is(failure.code, code, error.message);
    t.is(failure.exitCode, exitCode, code);
    t.is(error.name, error.constructor.name, 'the name says which member it is');
  }
});

test('a timeout says to watch again; an API error carries its HTTP status; anything outside the family is a bug', (t) => {
  const timeout = failureOf(new WaitError('timeout', 'migration m-1 did not reach "syncing" within 30s'))!;
  t.is(
    timeout.message,
    'migration m-1 did not reach "syncing" within 30s: it is still on its way, run `dodb migration watch` again',
  );
  t.is(failureOf(new ApiError({ code: 'not_found', method: 'GET', path: '/v2/x', status: 404 }))!.httpStatus, 404);
  t.is(failureOf(new WaitError('failed', 'failed'))!.httpStatus, undefined);
  t.is(failureOf(new Error('a bug')), undefined);
  t.is(failureOf('a string'), undefined);
});

test('the message and the cause are redacted, the cause kept as what led to the error', (t) => {
  const token = `dop_v1_${'a'.repeat(64)}`;
  const poll = new ApiError({
    code: 'network',
    method: 'GET',
    path: '/v2/databases/c/online-migration',
    cause: { code: 'ECONNRESET', message: `socket hang up (Authorization: Bearer ${token})` },
  });
  const wait = new WaitError('timeout', `gave up with password=hunter22 and ${token}`, undefined, poll);
  t.false(wait.message.includes('hunter22'));
  t.false(wait.message.includes(token));
  t.is(wait.cause, poll, 'a cause of the family is redacted already: kept as it is');
  t.false(JSON.stringify((poll as { cause?: unknown }).cause).includes(token));
  t.is(((poll as { cause?: { code?: string } }).cause ?? {}).code, 'ECONNRESET');
  const outside = new DodbError('x', 'failed', Object.assign(new Error(`token=${token}`), { code: 'E1' }));
  t.deepEqual(outside.cause, { name: 'Error', code: 'E1', message: 'token=[redacted]' });
  t.deepEqual(new DodbError('x', 'failed', 'secret=s3cr3t!').cause, { message: 'secret=[redacted]' });
  t.false('cause' in new DodbError('x', 'no cause'));
});
