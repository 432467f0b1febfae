import test from 'ava';
import { requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, workspace } from '../helpers/terraform';

const CLUSTER = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';
const SOURCE = { host: '"db.example.com"', port: '5432' };

function resource(overrides: { cluster?: string; source?: Record<string, string>; body?: string; provider?: string } = {}): string {
  const source = { ...SOURCE, ...overrides.source };
  const lines = Object.entries(source).filter(([, v]) => v !== 'OMIT').map(([k, v]) => `    ${k} = ${v}`).join('\n');
  return `${PROVIDER_BLOCK}
provider "dodb" {
${overrides.provider ?? ''}
}

resource "dodb_online_migration" "m" {
  cluster_id = ${overrides.cluster ?? `"${CLUSTER}"`}
  source {
${lines}
  }
${overrides.body ?? ''}
}
`;
}

/** [what, configuration, pattern naming the attribute and what is accepted] */
const cases: Array<[string, string, RegExp]> = [
  ['a cluster_id that is not a UUID', resource({ cluster: '"abc"' }), /cluster_id must be a UUID/],
  ['an empty cluster_id', resource({ cluster: '""' }), /cluster_id must be a UUID/],
  ['port 0', resource({ source: { port: '0' } }), /source\[0\]\.port must be a whole number from 1 to 65535/],
  ['port 65536', resource({ source: { port: '65536' } }), /source\[0\]\.port must be a whole number from 1 to 65535/],
  ['port "abc"', resource({ source: { port: '"abc"' } }), /Incorrect attribute value type[\s\S]*port/],
  ['a fractional port', resource({ source: { port: '5432.5' } }), /source\[0\]\.port must be a whole number/],
  ['an empty host', resource({ source: { host: '""' } }), /source\[0\]\.host must not be empty/],
  ['a postgres:// URL as host', resource({ source: { host: '"postgres://replicator@db.example.com:5432/app"' } }), /source\[0\]\.host must be a host name or IP\s+address, not a URL/],
  ['a host with a port', resource({ source: { host: '"db.example.com:5432"' } }), /source\[0\]\.host must be a host name or IP\s+address, without scheme, port/],
  ['a host with a space', resource({ source: { host: '"db example.com"' } }), /source\[0\]\.host must be a host name/],
  ['both password and password_wo', resource({ source: { password: '"a"', password_wo: '"b"' } }), /Only one of source\[0\]\.password and\s+source\[0\]\.password_wo/],
  ['an empty password', resource({ source: { password: '""' } }), /source\[0\]\.password must not be empty/],
  ['an empty db_name', resource({ source: { db_name: '""' } }), /source\[0\]\.db_name must not be empty/],
  ['an empty username', resource({ source: { username: '""' } }), /source\[0\]\.username must not be empty/],
  ['a negative password_wo_version', resource({ source: { password_wo_version: '-1' } }), /source\[0\]\.password_wo_version must be a whole number of at\s+least 0/],
  ['an unknown wait_for', resource({ body: '  wait_for = "finished"' }), /wait_for must be one of "none", "running", "syncing", "done"/],
  ['an empty string in ignore_dbs', resource({ body: '  ignore_dbs = ["a", ""]' }), /ignore_dbs must not contain empty strings/],
  ['a bad create timeout', resource({ body: '  timeouts {\n    create = "5 minutes"\n  }' }), /timeouts\.create must be a Go duration/],
  ['a bad delete timeout', resource({ body: '  timeouts {\n    delete = "1x"\n  }' }), /timeouts\.delete must be a Go duration/],
  ['no source block', resource().replace(/  source \{[\s\S]*?\n  \}\n/, ''), /Insufficient source blocks/],
  ['two source blocks', resource().replace(/(  source \{[\s\S]*?\n  \}\n)/, '$1$1'), /Too many source blocks/],
  ['a missing port', resource({ source: { port: 'OMIT' } }), /The argument "port" is required/],
  ['an api_endpoint that is not a URL', resource({ provider: '  api_endpoint = "ftp://api.example.com"' }), /api_endpoint must be an http:\/\/ or https:\/\/ URL/],
  ['a negative http_retry_max', resource({ provider: '  http_retry_max = -1' }), /http_retry_max must be a whole number from 0 to 100/],
  ['an empty token', resource({ provider: '  token = ""' }), /token must not be empty/],
  ['a minimum retry wait above the maximum', resource({ provider: '  http_retry_wait_min = 5\n  http_retry_wait_max = 1' }), /http_retry_wait_min \(5\) must not be larger than\s+http_retry_wait_max \(1\)/],
  ['a data source cluster_id that is not a UUID', `${PROVIDER_BLOCK}\ndata "dodb_online_migration" "d" {\n  cluster_id = "cluster-1"\n}\n`, /cluster_id must be a UUID/],
];

test('every bad input fails terraform validate with a diagnostic naming the attribute, before any API call', async (t) => {
  t.true(cases.length >= 20);
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': resource() });
  await initialized(t, ws);
  const good = await ws.run(['validate']);
  t.is(good.code, 0, good.output);
  for (const [what, config, pattern] of cases) {
    ws.write({ 'main.tf': config });
    const result = await ws.run(['validate']);
    t.is(result.code, 1, `${what}: validate must fail`);
    t.regex(result.output, pattern, what);
    t.regex(result.output, /Error: /, what);
  }
  t.deepEqual(await requests(sim), [], 'the simulator saw no request');
});

test('values from variables are validated at plan, before any API call, and secrets are not echoed', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  ws.write({
    'main.tf': `${resource({ source: { host: 'var.host', password: 'var.password' } })}
variable "host" { type = string }
variable "password" {
  type      = string
  sensitive = true
}
`,
  });
  await initialized(t, ws);
  const plan = await ws.run(['plan', '-var', 'host=mysql://admin:hunter2@db.example.com/app', '-var', 'password=']);
  t.is(plan.code, 1);
  t.regex(plan.output, /source\[0\]\.host must be a host name or IP\s+address, not a URL/);
  t.regex(plan.output, /source\[0\]\.password must not be empty/);
  t.false(plan.output.includes('hunter2'), 'a password inside a pasted URL is not repeated');
  t.deepEqual(await requests(sim), []);
});
