import test, { type ExecutionContext } from 'ava';
import { CLUSTER } from '../helpers/constants';
import { admin, injectFaults, simulator, writes } from '../helpers/simulator';
import { start } from '../helpers/child';
import { DODB, type Run, dodb } from './run-dodb';

/** The CLI as a runbook tool: distinct exit codes, errors as JSON, a confirmed cutover, signs of life. */

const NO_CLUSTER = '00000000-0000-4000-8000-000000000000';
const START = ['migration', 'start', '--cluster', CLUSTER, '--host', 'db.example.com', '--port', '5432'];
const STATUS = ['migration', 'status', '--cluster', CLUSTER];
const STOP = ['migration', 'stop', '--cluster', CLUSTER];
const WATCH = ['migration', 'watch', '--cluster', CLUSTER];

async function api(t: ExecutionContext, syncDelayMs = 600_000) {
  const sim = await simulator(t, { syncDelayMs });
  return { sim, env: { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token } };
}

/** The one JSON object on stdout, and its exit code as the process's. */
function jsonError(t: ExecutionContext, run: Run, code: string, exitCode: number) {
  t.is(run.code, exitCode, run.stdout + run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.is(lines.length, 1, 'one JSON object on stdout');
  const { error } = JSON.parse(lines[0]!);
  t.like(error, { code, exit_code: exitCode });
  t.is(typeof error.message, 'string');
}

test('exit 0: done, and status tells "no migration yet" (the cluster exists) from "no such cluster" (exit 1)', async (t) => {
  const { env } = await api(t);
  const none = await dodb(STATUS, env);
  t.is(none.code, 0, none.stderr);
  t.is(none.stdout, `cluster ${CLUSTER} has no online migration yet\n`);
  const noneJson = await dodb([...STATUS, '--json'], env);
  t.deepEqual(JSON.parse(noneJson.stdout), { cluster_id: CLUSTER, id: null, status: null, created_at: null });

  const missing = await dodb(['migration', 'status', '--cluster', NO_CLUSTER], env);
  t.is(missing.code, 1);
  t.regex(missing.stderr, new RegExp(`^dodb: no such cluster ${NO_CLUSTER}`));
  jsonError(t, await dodb(['migration', 'status', '--cluster', NO_CLUSTER, '--json'], env), 'no_such_cluster', 1);
});

test('exit 1: an API or credentials error, as JSON with the API error code', async (t) => {
  const { env } = await api(t);
  const wrong = { ...env, DIGITALOCEAN_TOKEN: 'dop_v1_wrong' };
  for (const args of [STATUS, START, STOP, WATCH]) {
    const run = await dodb([...args, '--json'], wrong);
    jsonError(t, run, 'unauthorized', 1);
    t.is(JSON.parse(run.stdout).error.http_status, 401);
    t.false(run.stdout.includes('dop_v1_wrong'));
  }
  jsonError(t, await dodb([...WATCH, '--json'], env), 'no_migration', 1);
});

test('exit 2: a usage error, as JSON too, before any request', async (t) => {
  const { sim, env } = await api(t);
  const run = await dodb([...WATCH, '--until', 'finished', '--json'], env);
  jsonError(t, run, 'usage', 2);
  t.regex(JSON.parse(run.stdout).error.message, /--until must be one of/);
  t.is(run.stderr, '');
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 });
});

test('exit 3: a wait that times out says to watch again; off a terminal it prints a heartbeat while nothing changes', async (t) => {
  const { sim, env } = await api(t);
  const started = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  // The heartbeat's 30 s made short through DODB_HEARTBEAT_MS, so that it comes within the timeout.
  const run = await dodb([...WATCH, '--until', 'syncing', '--timeout', '10s'], { ...env, DODB_HEARTBEAT_MS: '200' });
  t.is(run.code, 3, run.stderr);
  t.regex(run.stderr, new RegExp(`^\\d+\\.\\ds ${started.id} running$`, 'm'));
  t.regex(run.stderr, new RegExp(`^\\d+\\.\\ds ${started.id} running: still waiting for syncing$`, 'm'));
  t.regex(run.stderr, /did not reach "syncing" within 10s.*still on its way, run `dodb migration watch` again/);
  t.false(run.stderr.includes('\r'), 'no terminal control off a terminal');
  jsonError(t, await dodb([...WATCH, '--timeout', '1s', '--json'], env), 'wait_timeout', 3);
});

test('watch says when it waits out a rate limit', async (t) => {
  const { sim, env } = await api(t, 0);
  await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  await injectFaults(sim, [{ kind: 'status', status: 429, retryAfter: 3, match: { method: 'GET' } }]);
  const run = await dodb([...WATCH, '--until', 'syncing'], env);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stderr, /waiting out a rate limit: waiting 3s before retrying GET/);
});

test('exit 4: refused; start over an active migration, stop of a migration that is already done', async (t) => {
  const { sim, env } = await api(t);
  await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  jsonError(t, await dodb([...START, '--json'], env), 'refused_active', 4);
  const done = await admin<{ id: string }>(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  const stop = await dodb(STOP, env);
  t.is(stop.code, 4);
  t.is(
    stop.stderr,
    `dodb: migration ${done.id} on cluster ${CLUSTER} is already done (cut over): nothing was stopped\n`,
  );
  jsonError(t, await dodb([...STOP, '--json'], env), 'already_ended', 4);
  jsonError(t, await dodb([...START, '--json'], env), 'refused_cutover', 4);
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 });
});

test('exit 5: the migration failed before reaching the status waited for', async (t) => {
  const { sim, env } = await api(t);
  await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, { status: 'error' });
  const run = await dodb([...WATCH, '--until', 'syncing'], env);
  t.is(run.code, 5);
  t.regex(run.stderr, /ended with status "error" before reaching "syncing"/);
  jsonError(t, await dodb([...WATCH, '--json'], env), 'wait_failed', 5);
});

test('stop of a syncing migration is the cutover: off a terminal it needs --yes (exit 2, no DELETE), with --yes it stops it', async (t) => {
  const { sim, env } = await api(t);
  const started = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  const unconfirmed = await dodb(STOP, env);
  t.is(unconfirmed.code, 2);
  t.regex(unconfirmed.stderr, /is syncing: stopping it is the cutover.*writes must already go to it.*pass --yes/);
  jsonError(t, await dodb([...STOP, '--json'], env), 'confirmation_required', 2);
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 });

  const confirmed = await dodb([...STOP, '--yes'], env);
  t.is(confirmed.code, 0, confirmed.stderr);
  t.regex(confirmed.stderr, /stopping it is the cutover/);
  t.regex(confirmed.stdout, new RegExp(`stopped migration ${started.id} .*the cutover is done`));
  t.deepEqual(await writes(sim), { PUT: 0, DELETE: 1 });
});

/** The CLI on a pseudo-terminal (util-linux `script`), answering its question, if it asks one, with `answer`. */
async function onTerminal(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv, answer = ''): Promise<Run> {
  const command = [process.execPath, DODB, ...args].map((word) => `'${word}'`).join(' ');
  const terminal = start(t, 'script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: { PATH: process.env.PATH, TERM: 'dumb', ...env },
    interactive: true,
  });
  // Answer once the question is on the terminal, as a person would.
  void terminal.waitFor(/Type "yes" to go on: /, { stream: 'stdout' }).then(
    () => terminal.write(`${answer}\n`),
    () => undefined,
  );
  return terminal.done;
}

for (const [answer, code, deletes] of [
  ['no', 4, 0],
  ['yes', 0, 1],
] as const) {
  test(`stop of a syncing migration on a terminal asks first; answering "${answer}" exits ${code} with ${deletes} DELETE`, async (t) => {
    const { sim, env } = await api(t);
    await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
    const run = await onTerminal(t, STOP, env, answer);
    t.is(run.code, code, run.stdout);
    t.regex(run.stdout, /stopping it is the cutover[\s\S]*Type "yes" to go on:/);
    t.deepEqual(await writes(sim), { PUT: 0, DELETE: deletes });
  });
}

test('watch on a terminal ticks: one live line, rewritten, with the elapsed time and the status waited for', async (t) => {
  const { sim, env } = await api(t);
  const started = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const run = await onTerminal(t, [...WATCH, '--until', 'syncing', '--timeout', '5s'], env);
  t.is(run.code, 3, run.stdout);
  const redraws = run.stdout.match(
    new RegExp(`\\r\\x1b\\[K\\d+\\.\\ds ${started.id} running: waiting for syncing`, 'g'),
  );
  t.true((redraws?.length ?? 0) >= 2, run.stdout);
});

test('stop --help says that stopping a syncing migration is the cutover and that off a terminal it needs --yes', async (t) => {
  const help = await dodb([...STOP.slice(0, 2), '--help']);
  t.is(help.code, 0);
  t.regex(help.stdout, /--yes +confirm the cutover without asking/);
  t.regex(
    help.stdout.replace(/\s+/g, ' '),
    /Stopping a `syncing` migration is the cutover.*off a terminal .* it needs --yes/,
  );
});

for (const [command, flags] of [
  ['status', ['--cluster UUID', '--json', '--api-endpoint URL', '--token T']],
  ['start', ['--source-uri URI', '--wait-for', '--timeout DURATION', '--after-cutover', '--password-stdin']],
  ['stop', ['--migration ID', '--yes']],
  ['watch', ['--until', '--timeout DURATION']],
] as const) {
  test(`migration ${command} --help lists each flag with what it does and its default`, async (t) => {
    const help = await dodb(['migration', command, '--help']);
    t.is(help.code, 0);
    const table = help.stdout.split('flags:\n')[1]!.split('\n\n')[0]!;
    for (const flag of flags) t.regex(table, new RegExp(`^  ${flag.replace(/[|.]/g, '\\$&')}.* {2}\\S`, 'm'), flag);
    if (command !== 'stop') t.regex(table, /default/);
  });
}
