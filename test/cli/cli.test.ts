import test from 'ava';
import planRules from '../../generated/plan-rules.json';
import { CLUSTER, NO_API, SOURCE } from '../helpers/constants';
import { admin, requests, simulator } from '../helpers/simulator';
import { dodb, startDodb } from './run-dodb';

const NO_CLUSTER = '00000000-0000-4000-8000-000000000000';

test('start refuses while a migration runs and after a cutover (exit 4, no PUT), unless --after-cutover', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  const args = ['migration', 'start', '--cluster', CLUSTER, '--host', 'db.example.com', '--port', '5432'];
  const running = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const busy = await dodb(args, env);
  t.is(busy.code, 4);
  t.regex(busy.stderr, new RegExp(`already has online migration ${running.id}, which is "running"`));
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  const cutover = await dodb(args, env);
  t.is(cutover.code, 4);
  t.regex(cutover.stderr, /is "done": the cluster was cut over/);
  t.is((await admin<Array<{ method: string }>>(sim, 'GET', 'requests')).filter((r) => r.method === 'PUT').length, 0);
  const allowed = await dodb([...args, '--after-cutover'], env);
  t.is(allowed.code, 0, allowed.stderr);
});

test('start with --source-uri and --password-stdin, then status, watch and stop', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 300 });
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  const uri = 'postgres://replicator@db.example.com:5432/app';
  const ignored = ['--ignore-db', 'a', '--ignore-db', 'b'];
  const args = [
    'migration',
    'start',
    '--cluster',
    CLUSTER,
    '--source-uri',
    uri,
    '--password-stdin',
    ...ignored,
    '--json',
  ];
  const start = await dodb(args, env, `${SOURCE.password}\n`);
  t.is(start.code, 0, start.stderr);
  const started = JSON.parse(start.stdout);
  t.is(started.status, 'running');

  const status = await dodb(['migration', 'status', '--cluster', CLUSTER], env);
  t.is(status.code, 0);
  t.regex(status.stdout, new RegExp(`migration ${started.id} on cluster ${CLUSTER}: (running|syncing)`));

  const watch = await dodb(
    ['migration', 'watch', '--cluster', CLUSTER, '--until', 'syncing', '--timeout', '30s', '--json'],
    env,
  );
  t.is(watch.code, 0, watch.stderr);
  t.is(JSON.parse(watch.stdout).status, 'syncing');

  const accessToken = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_ACCESS_TOKEN: sim.token };
  const stop = await dodb(['migration', 'stop', '--cluster', CLUSTER, '--yes', '--json'], accessToken);
  t.is(stop.code, 0, stop.stderr);
  t.deepEqual(JSON.parse(stop.stdout), { cluster_id: CLUSTER, id: started.id, stopped: true, cutover: true });
  const log = await admin<Array<{ method: string }>>(sim, 'GET', 'requests');
  t.is(log.filter((r) => r.method === 'PUT').length, 1);
  for (const run of [start, status, watch, stop]) t.false(`${run.stdout}${run.stderr}`.includes(SOURCE.password));
});

test('watch prints a plain line per status change when not on a terminal', async (t) => {
  // The migration stays running until the test moves it on, once watch has printed the first status.
  const sim = await simulator(t, { syncDelayMs: 600_000 });
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  t.is((await dodb(['migration', 'start', '--cluster', CLUSTER, '--host', 'db', '--port', '5432'], env)).code, 0);
  const watching = startDodb(t, ['migration', 'watch', '--cluster', CLUSTER, '--until', 'syncing'], env);
  await watching.waitFor(/ running\n/, { stream: 'stderr' });
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  const watch = await watching.done;
  t.is(watch.code, 0, watch.stderr);
  t.regex(watch.stderr, /^\d+\.\ds [0-9a-f-]+ running\n\d+\.\ds [0-9a-f-]+ syncing\n$/);
  t.false(watch.stderr.includes('\r'));
});

test("API failures exit 1 with the API's message and no secret", async (t) => {
  const sim = await simulator(t);
  const status = ['migration', 'status', '--cluster', CLUSTER, '--api-endpoint', sim.url];
  const missing = await dodb([
    ...status.slice(0, 2),
    '--cluster',
    NO_CLUSTER,
    ...status.slice(4),
    '--token',
    sim.token,
  ]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, new RegExp(`no such cluster ${NO_CLUSTER}`));
  const unauthorized = await dodb([...status, '--token', 'dop_v1_wrong_token']);
  t.is(unauthorized.code, 1);
  t.regex(unauthorized.stderr, /401.*check the token/);
  t.false(unauthorized.stderr.includes('dop_v1_wrong_token'));
});

test('a password anywhere in --source-uri exits 2, naming the flag and --password-stdin, never the password, before any request', async (t) => {
  const sim = await simulator(t);
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  const password = 'Hunter2-Secret';
  for (const [uri, what] of [
    [`postgres://u@h:5432/db?password=${password}`, 'a password (the "password" parameter)'],
    [`postgres://u@h:5432/db?sslmode=require&PassWord=${password}`, 'a password (the "PassWord" parameter)'],
    [`postgres://u@h:5432/db?sslpassword=${password}`, 'a password (the "sslpassword" parameter)'],
    [`mysql://u:${password}@h:3306/db`, 'a password (user:password@)'],
  ]) {
    const run = await dodb(['migration', 'start', '--cluster', CLUSTER, '--source-uri', uri!], env);
    t.is(run.code, 2, uri);
    t.true(run.stderr.startsWith(`dodb: --source-uri must not contain ${what}: `), run.stderr);
    t.regex(run.stderr, /pipe the password to --password-stdin/, uri);
    t.false(run.stderr.includes(password), `${uri}: the password is not repeated`);
  }
  t.deepEqual(await requests(sim), [], 'nothing was sent');
});

const startArgs = ['migration', 'start', '--cluster', CLUSTER];
const watchArgs = ['migration', 'watch', '--cluster', CLUSTER];
const usage: Array<[string, string[], RegExp]> = [
  ['no command', ['migration'], /unknown command "migration"/],
  ['a missing --cluster', ['migration', 'status'], /--cluster is required/],
  ['a cluster that is not a UUID', ['migration', 'status', '--cluster', 'abc'], /--cluster must be a UUID/],
  [
    'a port out of range',
    [...startArgs, '--host', 'h', '--port', '70000'],
    /--port must be a whole number from 1 to 65535/,
  ],
  ['a URL as host', [...startArgs, '--host', 'postgres://h', '--port', '1'], /--host must be a host name, not a URL/],
  [
    'a password in the source URI',
    [...startArgs, '--source-uri', 'postgres://u:secret@h:1/d'],
    /must not contain a password/,
  ],
  ['a bad duration', [...watchArgs, '--timeout', '5 minutes'], /--timeout must be a Go duration/],
  [
    'a duration longer than a week',
    [...watchArgs, '--timeout', '600h'],
    /--timeout must be a Go duration from 100ms to 168h/,
  ],
  ['an unknown status', [...watchArgs, '--until', 'finished'], /--until must be one of running, syncing, done/],
  ['an unknown flag', ['migration', 'status', '--cluster', CLUSTER, '--verbose'], /Unknown option '--verbose'/],
  ['no token', ['migration', 'status', '--cluster', CLUSTER], /no API token/],
  ['a negative sync delay', ['simulator', '--sync-delay=-1s'], /--sync-delay must be a Go duration/],
  [
    'an empty database to ignore',
    [...startArgs, '--host', 'h', '--port', '1', '--ignore-db', ''],
    /each element of --ignore-db must/,
  ],
  ['a host with a blank', [...startArgs, '--host', 'db host', '--port', '1'], /--host must be a DNS name/],
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

const commandName = (args: string[]) => args.slice(0, args[0] === 'migration' ? 2 : 1).join(' ');

/** Each command's synopsis line, as its usage starts. */
const COMMANDS: Array<[string[], RegExp]> = [
  [['migration', 'status', '--cluster', CLUSTER], /usage:\n {2}dodb migration status --cluster UUID/],
  [[...startArgs, '--host', 'h', '--port', '1'], /usage:\n {2}dodb migration start --cluster UUID/],
  [['migration', 'stop', '--cluster', CLUSTER], /usage:\n {2}dodb migration stop --cluster UUID/],
  [watchArgs, /usage:\n {2}dodb migration watch --cluster UUID/],
  [['simulator'], /usage:\n {2}dodb simulator \[--port N\]/],
  [['terraformrc'], /usage:\n {2}dodb terraformrc \[--out FILE\]/],
  [['lock'], /usage:\n {2}dodb lock \[--dir DIR\]/],
  [['version'], /usage:\n {2}dodb version\n/],
];

for (const [args, synopsis] of COMMANDS) {
  test(`${commandName(args)}: an unknown flag exits 2, naming the flag, with this command's usage only`, async (t) => {
    const run = await dodb([...args, '--verbose', 'x']);
    t.is(run.code, 2);
    t.regex(run.stderr, /^dodb: Unknown option '--verbose'/);
    t.regex(run.stderr, synopsis);
    t.is(run.stderr.match(/ dodb [a-z]/g)?.length, 1, "no other command's synopsis");
    t.is(run.stdout, '');
  });
}

for (const [args, synopsis] of COMMANDS) {
  test(`${commandName(args)} --help prints this command's usage and exits 0, doing nothing else`, async (t) => {
    const run = await dodb([...args.slice(0, args[0] === 'migration' ? 2 : 1), '--help']);
    t.is(run.code, 0, run.stderr);
    t.regex(run.stdout, synopsis);
    t.is(run.stderr, '');
  });
}

test('stop with a migration ID the cluster does not have says nothing was stopped, and exits 1', async (t) => {
  const sim = await simulator(t);
  const env = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  const run = await dodb(['migration', 'stop', '--cluster', CLUSTER, '--migration', 'not-an-id'], env);
  t.is(run.code, 1);
  t.regex(run.stderr, /no migration not-an-id on cluster \S+ \(it has none yet\): nothing was stopped/);
  t.is(run.stdout, '');
  t.is((await requests(sim)).filter((r) => r.method === 'DELETE').length, 0, 'looked, and stopped nothing');
});

const misplaced: Array<[string, string[]]> = [
  ['--host', ['migration', 'status', '--cluster', CLUSTER, '--host', 'x']],
  ['--until', ['migration', 'stop', '--cluster', CLUSTER, '--until', 'done']],
  ['--migration', [...watchArgs, '--migration', 'x']],
  ['--wait-for', [...watchArgs, '--wait-for', 'done']],
  ['--timeout', ['migration', 'status', '--cluster', CLUSTER, '--timeout', '1m']],
  ['--cluster', ['simulator', '--cluster', CLUSTER]],
];

for (const [flag, args] of misplaced) {
  test(`${commandName(args)} ${flag}: another command's flag exits 2 before any request`, async (t) => {
    const sim = await simulator(t);
    const run = await dodb(args, { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token });
    t.is(run.code, 2);
    t.true(run.stderr.includes(`Unknown option '${flag}'`), run.stderr);
    t.regex(run.stderr, new RegExp(`usage:\\n  dodb ${args[0]}`));
    t.deepEqual(await requests(sim), []);
  });
}

test('the token: --token, else DIGITALOCEAN_TOKEN, else DIGITALOCEAN_ACCESS_TOKEN (when the first is unset or empty)', async (t) => {
  const sim = await simulator(t);
  await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const status = ['migration', 'status', '--cluster', CLUSTER];
  const accessToken = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_ACCESS_TOKEN: sim.token };
  const access = await dodb(status, accessToken);
  t.is(access.code, 0, access.stderr);
  const both = await dodb(status, { ...accessToken, DIGITALOCEAN_TOKEN: 'dop_v1_wrong' });
  t.is(both.code, 1, 'DIGITALOCEAN_TOKEN is read first');
  t.regex(both.stderr, /401/);
  const flag = await dodb([...status, '--token', sim.token], {
    DIGITALOCEAN_API_URL: sim.url,
    DIGITALOCEAN_TOKEN: 'dop_v1_wrong',
  });
  t.is(flag.code, 0, flag.stderr);
  const empty = await dodb(status, { ...accessToken, DIGITALOCEAN_TOKEN: '' });
  t.is(empty.code, 0, 'an empty variable counts as unset');
});

const ENDPOINT_VARIABLE = /DIGITALOCEAN_API_URL environment variable/;
const badEnvironment: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
  ['an endpoint with a path', { DIGITALOCEAN_API_URL: `${NO_API.url}/v2` }, /has the path "\/v2"/],
  ['an endpoint that is not http', { DIGITALOCEAN_API_URL: 'ftp://127.0.0.1' }, /must be an https:\/\/ origin/],
  [
    'a token with a blank',
    { DIGITALOCEAN_API_URL: NO_API.url, DIGITALOCEAN_TOKEN: 'secret token' },
    /must be one word/,
  ],
];

for (const [what, env, message] of badEnvironment) {
  test(`${what} in the environment exits 2, naming the variable, before any request`, async (t) => {
    const run = await dodb(['migration', 'status', '--cluster', CLUSTER], {
      DIGITALOCEAN_TOKEN: 'dop_v1_token',
      ...env,
    });
    t.is(run.code, 2);
    t.regex(run.stderr, message);
    t.regex(run.stderr, env.DIGITALOCEAN_TOKEN ? /DIGITALOCEAN_TOKEN environment variable/ : ENDPOINT_VARIABLE);
    t.regex(run.stderr, /usage:\n {2}dodb migration status/);
    t.false(run.stderr.includes('secret'));
  });
}

test("--api-endpoint and --token are checked by the provider schema's rules, naming the flag", async (t) => {
  const args = ['migration', 'status', '--cluster', CLUSTER];
  const endpoint = await dodb([...args, '--api-endpoint', 'https://api.example.com/v2', '--token', 't']);
  t.is(endpoint.code, 2);
  t.regex(endpoint.stderr, /^dodb: --api-endpoint must be an https:\/\/ origin .* but it has the path "\/v2"/);
  const token = await dodb([...args, '--token', 'secret token'], { DIGITALOCEAN_API_URL: NO_API.url });
  t.is(token.code, 2);
  t.regex(token.stderr, /^dodb: --token must be one word of printable characters/);
  t.false(token.stderr.includes('secret'));
});

test('plain http:// to another machine, as --api-endpoint or DIGITALOCEAN_API_URL, exits 2 before any request; loopback is accepted', async (t) => {
  const sim = await simulator(t);
  await admin(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const status = ['migration', 'status', '--cluster', CLUSTER];
  const accepted =
    /must be an https:\/\/ origin .*, or an http:\/\/ one on a loopback address \(127\.0\.0\.0\/8, \[::1\] or localhost\)/;
  for (const [url, host] of [
    ['http://example.com', 'example.com'],
    ['http://10.0.0.5:8080', '10.0.0.5'],
    ['http://api.digitalocean.com', 'api.digitalocean.com'],
  ]) {
    const flag = await dodb([...status, '--api-endpoint', url], { DIGITALOCEAN_TOKEN: sim.token });
    t.is(flag.code, 2, url);
    t.regex(flag.stderr, /^dodb: --api-endpoint must be an https:\/\/ origin/, url);
    const variable = await dodb(status, { DIGITALOCEAN_API_URL: url, DIGITALOCEAN_TOKEN: sim.token });
    t.is(variable.code, 2, url);
    t.regex(variable.stderr, ENDPOINT_VARIABLE, url);
    for (const run of [flag, variable]) {
      t.regex(run.stderr, accepted, url);
      t.true(run.stderr.includes(`is plain http:// to "${host}", which is not a loopback address`), run.stderr);
      t.false(run.stderr.includes(sim.token), 'the token is not repeated');
    }
  }
  t.deepEqual(await requests(sim), [], 'no request before the refusal');
  const port = new URL(sim.url).port;
  for (const url of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
    const run = await dodb([...status, '--api-endpoint', url], { DIGITALOCEAN_TOKEN: sim.token });
    t.is(run.code, 0, `${url}: ${run.stderr}`);
  }
  t.is((await requests(sim)).length, 2, 'one GET for each loopback endpoint');
});

test('the help names the environment variables and the fallback the provider schema gives', async (t) => {
  const help = await dodb(['--help']);
  t.is(help.code, 0);
  const rules = planRules.provider;
  const endpoint = [...rules.api_endpoint.env, rules.api_endpoint.fallback];
  t.true(help.stdout.includes(`--api-endpoint URL (else ${endpoint.join(', else ')})`), help.stdout);
  t.true(help.stdout.includes(`--token T (else ${rules.token.env.join(', else ')})`), help.stdout);
});
