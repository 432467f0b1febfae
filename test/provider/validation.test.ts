import test from 'ava';
import { CLUSTER } from '../helpers/constants';
import { requests, simulator } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, workspace } from '../helpers/terraform';

const SOURCE = { host: '"db.example.com"', port: '5432' };

function resource(
  overrides: { cluster?: string; source?: Record<string, string>; body?: string; provider?: string } = {},
): string {
  const source = { ...SOURCE, ...overrides.source };
  const lines = Object.entries(source)
    .filter(([, v]) => v !== 'OMIT')
    .map(([k, v]) => `    ${k} = ${v}`)
    .join('\n');
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

/** A message as Terraform prints it: wrapped at any space. */
const says = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
const timeout = (which: string, value: string) => resource({ body: `  timeouts {\n    ${which} = "${value}"\n  }` });

/** [what, configuration, pattern naming the attribute and what is accepted] */
const cases: Array<[string, string, RegExp]> = [
  ['a cluster_id that is not a UUID', resource({ cluster: '"abc"' }), says('cluster_id must be a UUID')],
  ['an empty cluster_id', resource({ cluster: '""' }), says('cluster_id must be a UUID')],
  ['port 0', resource({ source: { port: '0' } }), says('source[0].port must be a whole number from 1 to 65535')],
  [
    'port 65536',
    resource({ source: { port: '65536' } }),
    says('source[0].port must be a whole number from 1 to 65535'),
  ],
  ['port "abc"', resource({ source: { port: '"abc"' } }), /Incorrect attribute value type[\s\S]*port/],
  ['a fractional port', resource({ source: { port: '5432.5' } }), says('source[0].port must be a whole number')],
  ['an empty host', resource({ source: { host: '""' } }), says('source[0].host must not be empty')],
  [
    'a postgres:// URL as host',
    resource({ source: { host: '"postgres://replicator@db.example.com:5432/app"' } }),
    says('source[0].host must be a DNS name'),
  ],
  ['a host with a port', resource({ source: { host: '"db.example.com:5432"' } }), says('but it has a port')],
  [
    'an IPv4 address with a port',
    resource({ source: { host: '"10.0.0.1:5432"' } }),
    says('but it has a port; got "10.0.0.1:5432"'),
  ],
  [
    'a host with a space',
    resource({ source: { host: '"db example.com"' } }),
    says('source[0].host must be a DNS name'),
  ],
  ['a host of three dots', resource({ source: { host: '"..."' } }), says('but it has an empty label')],
  ['a host of one colon', resource({ source: { host: '":"' } }), says('but it is not a valid IPv6 address')],
  [
    'an unclosed IPv6 bracket',
    resource({ source: { host: '"[2001:db8::1"' } }),
    says('but it has unbalanced brackets'),
  ],
  ['a host with two dots in a row', resource({ source: { host: '"ab..cd"' } }), says('but it has an empty label')],
  [
    '300 characters of hex and colons',
    resource({ source: { host: `"${'abcdef:'.repeat(43)}ab"` } }),
    says('but it is not a valid IPv6 address'),
  ],
  [
    'a 70-character DNS label',
    resource({ source: { host: `"${'a'.repeat(70)}.example.com"` } }),
    says('but it has a label longer than 63 characters'),
  ],
  ['a host with a path', resource({ source: { host: '"db.example.com/app"' } }), says('but it contains a path')],
  [
    'a host with credentials',
    resource({ source: { host: '"replicator:hunter2secret@db.example.com"' } }),
    says('source[0].host must be a DNS name'),
  ],
  [
    'a URL with an @ in its password',
    resource({ source: { host: '"postgres://replicator:p@ss/hunter2@db.example.com:5432/app"' } }),
    says('but it is a URL, not a host'),
  ],
  [
    'both password and password_wo',
    resource({ source: { password: '"a"', password_wo: '"b"' } }),
    says('Only one of source[0].password and source[0].password_wo'),
  ],
  ['an empty password', resource({ source: { password: '""' } }), says('source[0].password must not be empty')],
  [
    'a 1,025-character password of emoji (2,050 UTF-16 units)',
    resource({ source: { password: `"${'😀'.repeat(1025)}"` } }),
    says('source[0].password must be at most 1024 characters long; it has 1025.'),
  ],
  [
    'a password_wo_version without password_wo',
    resource({ source: { password_wo_version: '1' } }),
    says('source[0].password_wo_version requires source[0].password_wo'),
  ],
  ['an empty db_name', resource({ source: { db_name: '""' } }), says('source[0].db_name must not be empty')],
  [
    'a blank db_name',
    resource({ source: { db_name: '" "' } }),
    says(
      'source[0].db_name must be printable text without leading or trailing blanks, but it starts or ends with a blank',
    ),
  ],
  [
    'a db_name with a NUL',
    resource({ source: { db_name: '"app\\u0000x"' } }),
    says(
      'source[0].db_name must be printable text without leading or trailing blanks, but it contains a control character',
    ),
  ],
  [
    'a db_name with a newline',
    resource({ source: { db_name: '"app\\nx"' } }),
    says(
      'source[0].db_name must be printable text without leading or trailing blanks, but it contains a control character',
    ),
  ],
  [
    'a 65-character db_name',
    resource({ source: { db_name: `"${'d'.repeat(65)}"` } }),
    says('source[0].db_name must be at most 64 characters long; it has 65'),
  ],
  ['an empty username', resource({ source: { username: '""' } }), says('source[0].username must not be empty')],
  [
    'a 10,000-character username',
    resource({ source: { username: `"${'u'.repeat(10_000)}"` } }),
    says('source[0].username must be at most 64 characters long; it has 10000'),
  ],
  [
    'a username with a trailing blank',
    resource({ source: { username: '"replicator "' } }),
    says('source[0].username must be printable text'),
  ],
  [
    'a negative password_wo_version',
    resource({ source: { password_wo: '"pw"', password_wo_version: '-1' } }),
    says('source[0].password_wo_version must be a whole number of at least 0'),
  ],
  [
    'an unknown wait_for',
    resource({ body: '  wait_for = "finished"' }),
    says('wait_for must be one of "none", "running", "syncing", "done"'),
  ],
  [
    'an empty string in ignore_dbs',
    resource({ body: '  ignore_dbs = ["a", ""]' }),
    says('each element of ignore_dbs must not be empty'),
  ],
  [
    'a blank string in ignore_dbs',
    resource({ body: '  ignore_dbs = [" "]' }),
    says('each element of ignore_dbs must be printable text without leading or trailing blanks'),
  ],
  ['a bad create timeout', timeout('create', '5 minutes'), says('timeouts.create must be a Go duration')],
  ['a bad delete timeout', timeout('delete', '1x'), says('timeouts.delete must be a Go duration')],
  [
    'a create timeout of 0s',
    timeout('create', '0s'),
    says('timeouts.create must be a duration from 100ms to 168h; got "0s"'),
  ],
  [
    'a create timeout of 0',
    timeout('create', '0'),
    says('timeouts.create must be a duration from 100ms to 168h; got "0"'),
  ],
  [
    'a create timeout of 1.5ms',
    timeout('create', '1.5ms'),
    says('timeouts.create must be a duration from 100ms to 168h; got "1.5ms"'),
  ],
  [
    'a create timeout of 100.5ms',
    timeout('create', '100.5ms'),
    says('timeouts.create must be a whole number of milliseconds'),
  ],
  [
    'a create timeout of 600h',
    timeout('create', '600h'),
    says('timeouts.create must be a duration from 100ms to 168h; got "600h"'),
  ],
  [
    'a create timeout of 2000h',
    timeout('create', '2000h'),
    says('timeouts.create must be a duration from 100ms to 168h; got "2000h"'),
  ],
  [
    'a negative create timeout',
    timeout('create', '-5m'),
    says('timeouts.create must be a duration from 100ms to 168h'),
  ],
  [
    'a delete timeout of 0s',
    timeout('delete', '0s'),
    says('timeouts.delete must be a duration from 100ms to 168h; got "0s"'),
  ],
  [
    'a delete timeout of 600h',
    timeout('delete', '600h'),
    says('timeouts.delete must be a duration from 100ms to 168h; got "600h"'),
  ],
  ['no source block', resource().replace(/ {2}source \{[\s\S]*?\n {2}\}\n/, ''), /Insufficient source blocks/],
  ['two source blocks', resource().replace(/( {2}source \{[\s\S]*?\n {2}\}\n)/, '$1$1'), /Too many source blocks/],
  ['a missing port', resource({ source: { port: 'OMIT' } }), /The argument "port" is required/],
  [
    'an api_endpoint that is not a URL',
    resource({ provider: '  api_endpoint = "ftp://api.example.com"' }),
    says('api_endpoint must be an https:// origin'),
  ],
  [
    'an api_endpoint with a path',
    resource({ provider: '  api_endpoint = "http://127.0.0.1:8080/v2"' }),
    says(
      'api_endpoint must be an https:// origin such as "https://api.example.com", or an http:// one on a loopback address (127.0.0.0/8, [::1] or localhost) such as "http://127.0.0.1:8080", with no path, query or credentials, but it has the path "/v2"',
    ),
  ],
  ...['example.com', '10.0.0.5:8080', 'api.digitalocean.com'].map((origin): [string, string, RegExp] => [
    `a plain http:// api_endpoint on ${origin}`,
    resource({ provider: `  api_endpoint = "http://${origin}"` }),
    says(
      `api_endpoint must be an https:// origin such as "https://api.example.com", or an http:// one on a loopback address (127.0.0.0/8, [::1] or localhost) such as "http://127.0.0.1:8080", with no path, query or credentials, but it is plain http:// to "${origin.replace(/:\d+$/, '')}", which is not a loopback address`,
    ),
  ]),
  [
    'an api_endpoint with credentials',
    resource({ provider: '  api_endpoint = "https://user:hunter2@api.example.com"' }),
    says('but it contains credentials'),
  ],
  [
    'a negative http_retry_max',
    resource({ provider: '  http_retry_max = -1' }),
    says('http_retry_max must be a whole number from 0 to 100'),
  ],
  ['an empty token', resource({ provider: '  token = ""' }), says('token must not be empty')],
  [
    'a blank token',
    resource({ provider: '  token = " "' }),
    says('token must be one word of printable characters, with no blanks or line breaks'),
  ],
  [
    'a token with a newline',
    resource({ provider: '  token = "dop_v1_abc\\n"' }),
    says('token must be one word of printable characters, with no blanks or line breaks'),
  ],
  [
    'a minimum retry wait above the maximum',
    resource({ provider: '  http_retry_wait_min = 5\n  http_retry_wait_max = 1' }),
    says('http_retry_wait_min (5) must not be larger than http_retry_wait_max (1)'),
  ],
  [
    'a minimum retry wait above the maximum left at its fallback',
    resource({ provider: '  http_retry_wait_min = 40' }),
    says('http_retry_wait_min (40) must not be larger than http_retry_wait_max (30)'),
  ],
  [
    'a data source cluster_id that is not a UUID',
    `${PROVIDER_BLOCK}\ndata "dodb_online_migration" "d" {\n  cluster_id = "cluster-1"\n}\n`,
    says('cluster_id must be a UUID'),
  ],
];

/** Accepted as Go and the RFCs write them, though they look unusual. */
const accepted: Array<[string, string]> = [
  ['an IPv6 address with a zone', resource({ source: { host: '"fe80::1%eth0"' } })],
  ['a bracketed IPv6 address with a zone', resource({ source: { host: '"[fe80::1%eth0]"' } })],
  ['an IPv4 address', resource({ source: { host: '"10.0.0.1"' } })],
  ['a fully qualified name with its trailing dot', resource({ source: { host: '"db.example.com."' } })],
  ['a create timeout of .5s', timeout('create', '.5s')],
  ['a create timeout of +5m', timeout('create', '+5m')],
  ['a delete timeout of 168h', timeout('delete', '168h')],
  [
    'a 1,000-character password with emoji (1,186 UTF-16 units)',
    resource({ source: { password: `"${'p'.repeat(814)}${'😀'.repeat(186)}"` } }),
  ],
  ['a password_wo_version with password_wo', resource({ source: { password_wo: '"pw"', password_wo_version: '1' } })],
  [
    'an api_endpoint with a port and a trailing slash',
    resource({ provider: '  api_endpoint = "http://127.0.0.1:8080/"' }),
  ],
  ...['127.0.0.1:8080', '127.3.4.5:8080', '[::1]:8080', 'localhost:8080'].map((origin): [string, string] => [
    `a plain http:// api_endpoint on the loopback address ${origin}`,
    resource({ provider: `  api_endpoint = "http://${origin}"` }),
  ]),
];

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  range?: { start: { line: number } };
}

/**
 * Every case as one file, each in its own lines with its own names (and, for provider settings, its
 * own aliased provider): one `terraform validate -json` answers for all, and each diagnostic belongs
 * to the case whose lines it points into.
 */
function oneFile(configs: string[]): { text: string; lines: Array<[number, number]> } {
  let text = PROVIDER_BLOCK;
  const lines: Array<[number, number]> = [];
  configs.forEach((config, i) => {
    const first = text.split('\n').length;
    const alias = `c${i}`;
    // Terraform starts a provider for each configuration of it: only the cases that set one get theirs.
    const body = config.replace(PROVIDER_BLOCK, '').replace(/provider "dodb" \{\s*\}\n/, '');
    const own = body.includes('provider "dodb" {\n') ? `  provider = dodb.${alias}\n` : '';
    text += body
      .replace('provider "dodb" {\n', `provider "dodb" {\n  alias = "${alias}"\n`)
      .replace(
        /(resource|data) "dodb_online_migration" "\w+" \{\n/,
        (_, kind) => `${kind} "dodb_online_migration" "${alias}" {\n${own}`,
      );
    lines.push([first, text.split('\n').length]);
  });
  return { text, lines };
}

test('every bad input fails terraform validate with a diagnostic naming the attribute, before any API call', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  const all = oneFile([...cases.map(([, config]) => config), ...accepted.map(([, config]) => config)]);
  ws.write({ 'main.tf': all.text });
  await initialized(t, ws);
  const result = await ws.run(['validate', '-json']);
  t.is(result.code, 1, result.output);
  const diagnostics = (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
  const within = ([first, last]: [number, number]) =>
    diagnostics.filter((d) => d.range && d.range.start.line >= first && d.range.start.line < last);
  t.deepEqual(
    diagnostics.filter((d) => !d.range),
    [],
    'every diagnostic points into the configuration',
  );
  cases.forEach(([what, , pattern], i) => {
    const errors = within(all.lines[i]!).filter((d) => d.severity === 'error');
    t.true(errors.length > 0, `${what}: validate must fail`);
    t.true(
      errors.some((d) => pattern.test(`${d.summary}\n${d.detail ?? ''}`)),
      `${what}: ${JSON.stringify(errors)}`,
    );
  });
  accepted.forEach(([what], i) => t.deepEqual(within(all.lines[cases.length + i]!), [], what));
  t.false(result.output.includes('hunter2'), 'a password is not repeated');
  t.false(result.output.includes('dop_v1_abc'), 'a token is not repeated, not even in a line of configuration');
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
  t.regex(plan.output, says('source[0].host must be a DNS name'));
  t.regex(plan.output, says('but it is a URL, not a host'));
  t.regex(plan.output, /source\[0\]\.password must not be empty/);
  t.false(plan.output.includes('hunter2'), 'a password inside a pasted URL is not repeated');
  t.deepEqual(await requests(sim), []);
});

test('DIGITALOCEAN_API_URL with plain http:// to another machine fails the plan, naming the variable, before any request', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': resource() });
  await initialized(t, ws);
  for (const url of ['http://example.com', 'http://10.0.0.5:8080', 'http://api.digitalocean.com']) {
    const plan = await ws.run(['plan'], { DIGITALOCEAN_API_URL: url });
    t.is(plan.code, 1, url);
    t.regex(plan.output, says('api_endpoint must be an https:// origin'), url);
    t.regex(plan.output, says('which is not a loopback address'), url);
    t.regex(plan.output, says('The value comes from the DIGITALOCEAN_API_URL environment variable.'), url);
  }
  t.deepEqual(await requests(sim), [], 'the simulator saw no request');
  const loopback = await ws.run(['plan']);
  t.is(loopback.code, 0, `${sim.url} is plain http:// on a loopback address: ${loopback.output}`);
});
