import test from 'ava';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLUSTER, SOURCE, admin, simulator } from '../helpers/simulator';
import { ROOT } from '../helpers/project';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function dodb(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/dodb.js'), ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.end(input);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('start refuses while a migration runs and after a cutover (exit 1, no PUT), unless --after-cutover', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  const args = ['migration', 'start', '--cluster', CLUSTER, '--host', 'db.example.com', '--port', '5432'];
  const running = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const busy = await dodb(args, env);
  t.is(busy.code, 1);
  t.regex(busy.stderr, new RegExp(`already has online migration ${running.id}, which is "running"`));
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  const cutover = await dodb(args, env);
  t.is(cutover.code, 1);
  t.regex(cutover.stderr, /is "done": the cluster was cut over/);
  t.is((await admin<Array<{ method: string }>>(sim, 'GET', 'requests')).filter((r) => r.method === 'PUT').length, 0);
  const allowed = await dodb([...args, '--after-cutover'], env);
  t.is(allowed.code, 0, allowed.stderr);
});

test('start with --source-uri and --password-stdin, then status, watch and stop', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 300 });
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  const start = await dodb(['migration', 'start', '--cluster', CLUSTER, '--source-uri', 'postgres://replicator@db.example.com:5432/app', '--password-stdin', '--ignore-db', 'a', '--ignore-db', 'b', '--json'], env, `${SOURCE.password}\n`);
  t.is(start.code, 0, start.stderr);
  const started = JSON.parse(start.stdout);
  t.is(started.status, 'running');

  const status = await dodb(['migration', 'status', '--cluster', CLUSTER], env);
  t.is(status.code, 0);
  t.regex(status.stdout, new RegExp(`migration ${started.id} on cluster ${CLUSTER}: (running|syncing)`));

  const watch = await dodb(['migration', 'watch', '--cluster', CLUSTER, '--until', 'syncing', '--timeout', '30s', '--json'], env);
  t.is(watch.code, 0, watch.stderr);
  t.is(JSON.parse(watch.stdout).status, 'syncing');

  const stop = await dodb(['migration', 'stop', '--cluster', CLUSTER, '--json'], { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_ACCESS_TOKEN: sim.token });
  t.is(stop.code, 0, stop.stderr);
  t.deepEqual(JSON.parse(stop.stdout), { cluster_id: CLUSTER, id: started.id, stopped: true });
  const log = await admin<Array<{ method: string }>>(sim, 'GET', 'requests');
  t.is(log.filter((r) => r.method === 'PUT').length, 1);
  for (const run of [start, status, watch, stop]) t.false(`${run.stdout}${run.stderr}`.includes(SOURCE.password));
});

test('watch prints a plain line per status change when not on a terminal', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 2000 });
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  t.is((await dodb(['migration', 'start', '--cluster', CLUSTER, '--host', 'db', '--port', '5432'], env)).code, 0);
  const watch = await dodb(['migration', 'watch', '--cluster', CLUSTER, '--until', 'syncing'], env);
  t.is(watch.code, 0);
  t.regex(watch.stderr, /^\d+\.\ds [0-9a-f-]+ running\n\d+\.\ds [0-9a-f-]+ syncing\n$/);
  t.false(watch.stderr.includes('\r'));
});

test('API failures exit 1 with the API\'s message and no secret', async (t) => {
  const sim = await simulator(t);
  const missing = await dodb(['migration', 'status', '--cluster', CLUSTER, '--api-endpoint', sim.url, '--token', sim.token]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /failed 404.*check the cluster UUID/);
  const unauthorized = await dodb(['migration', 'status', '--cluster', CLUSTER, '--api-endpoint', sim.url, '--token', 'dop_v1_wrong_token']);
  t.is(unauthorized.code, 1);
  t.regex(unauthorized.stderr, /401.*check the token/);
  t.false(unauthorized.stderr.includes('dop_v1_wrong_token'));
});

const usage: Array<[string, string[], RegExp]> = [
  ['no command', ['migration'], /unknown command "migration"/],
  ['a missing --cluster', ['migration', 'status'], /--cluster is required/],
  ['a cluster that is not a UUID', ['migration', 'status', '--cluster', 'abc'], /--cluster must be a UUID/],
  ['a port out of range', ['migration', 'start', '--cluster', CLUSTER, '--host', 'h', '--port', '70000'], /--port must be a whole number from 1 to 65535/],
  ['a URL as host', ['migration', 'start', '--cluster', CLUSTER, '--host', 'postgres://h', '--port', '1'], /--host must be a host name, not a URL/],
  ['a password in the source URI', ['migration', 'start', '--cluster', CLUSTER, '--source-uri', 'postgres://u:secret@h:1/d'], /must not contain a password/],
  ['a bad duration', ['migration', 'watch', '--cluster', CLUSTER, '--timeout', '5 minutes'], /--timeout must be a Go duration/],
  ['a duration longer than a week', ['migration', 'watch', '--cluster', CLUSTER, '--timeout', '600h'], /--timeout must be a Go duration from 100ms to 168h/],
  ['an unknown status', ['migration', 'watch', '--cluster', CLUSTER, '--until', 'finished'], /--until must be one of running, syncing, done/],
  ['an unknown flag', ['migration', 'status', '--cluster', CLUSTER, '--verbose'], /Unknown option '--verbose'/],
  ['no token', ['migration', 'status', '--cluster', CLUSTER], /no API token/],
];

for (const [what, args, message] of usage) {
  test(`usage error: ${what} exits 2 with the usage`, async (t) => {
    const run = await dodb(args);
    t.is(run.code, 2);
    t.regex(run.stderr, message);
    t.regex(run.stderr, /usage:\n/);
    t.false(run.stderr.includes('secret'));
  });
}
