import test from 'ava';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';
import type { SchemaRules } from '../../../src/tfplugin/framework/rules';
import { validateObject } from '../../../src/tfplugin/framework/validate';
import { UNKNOWN } from '../../../src/tfplugin/wire/values';

const block: TerraformBlock = {
  attributes: {
    id: { type: 'string' },
    wait: { type: 'string' },
    timeout: { type: 'string' },
    secret: { type: 'string', sensitive: true },
    other: { type: 'string' },
    version: { type: 'number' },
    names: { type: ['set', 'string'] },
  },
  block_types: {
    source: { nesting_mode: 'list', block: { attributes: { host: { type: 'string' }, port: { type: 'number' } } } },
  },
};
const rules: SchemaRules = {
  id: { checks: { format: 'uuid' } },
  wait: { checks: { enum: ['a', 'b'] } },
  timeout: { checks: { format: 'go-duration', minDuration: '100ms', maxDuration: '168h' } },
  secret: { checks: { minLength: 1, format: 'uuid' }, conflictsWith: ['other'] },
  other: { conflictsWith: ['secret'] },
  version: { requires: ['secret'], checks: { minimum: 0, integer: true } },
  names: { checks: { items: { minLength: 1, maxLength: 8, format: 'name' } } },
  'source.host': { checks: { format: 'host' } },
  'source.port': { checks: { minimum: 1, maximum: 65535, integer: true } },
};
const valid = {
  id: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
  wait: 'a',
  timeout: '1h30m',
  secret: null,
  other: null,
  source: [{ host: 'db.example.com', port: 5432 }],
};

test('valid values and unknown values pass', (t) => {
  t.deepEqual(validateObject(block, rules, valid), []);
  t.deepEqual(validateObject(block, rules, { ...valid, id: UNKNOWN, source: [{ host: UNKNOWN, port: UNKNOWN }] }), []);
  for (const host of [
    '10.0.0.1',
    '::1',
    '[2001:db8::1]',
    'db-1.internal',
    'localhost',
    'fe80::1%eth0',
    '[fe80::1%eth0]',
    'db.example.com.',
    `${'a'.repeat(63)}.example.com`,
  ]) {
    t.deepEqual(validateObject(block, rules, { ...valid, source: [{ host, port: 1 }] }), [], host);
  }
});

test('each problem names its attribute path and what is accepted', (t) => {
  const diagnostics = validateObject(block, rules, {
    ...valid,
    id: 'x',
    wait: 'c',
    timeout: '5 min',
    source: [{ host: 'pg://u:p@h/db', port: 0 }],
  });
  t.deepEqual(
    diagnostics.map((d) => d.path),
    [['id'], ['wait'], ['timeout'], ['source', 0], ['source', 0, 'port']],
    'the block, not the line, where Terraform would print a line holding a password',
  );
  t.regex(diagnostics[0]!.detail!, /id must be a UUID/);
  t.regex(diagnostics[1]!.detail!, /one of "a", "b"; got "c"/);
  t.regex(diagnostics[3]!.detail!, /is a URL, not a host/);
  t.notRegex(diagnostics[3]!.detail!, /u:p@/, 'a password in a pasted URL is masked');
  t.regex(diagnostics[4]!.detail!, /from 1 to 65535/);
});

const hostProblem = (host: string) =>
  validateObject(block, rules, { ...valid, source: [{ host, port: 1 }] })[0]?.detail ?? 'accepted';

test('a host is a DNS name, an IPv4 or an IPv6 address, and nothing around it', (t) => {
  const refused: Array<[string, RegExp]> = [
    ['10.0.0.1:5432', /has a port/],
    ['db.example.com:5432', /has a port/],
    ['[2001:db8::1]:5432', /has a port/],
    ['...', /empty label/],
    ['ab..cd', /empty label/],
    [':', /not a valid IPv6 address/],
    ['[2001:db8::1', /unbalanced brackets/],
    ['2001:db8::1]', /unbalanced brackets/],
    ['[db.example.com]', /other than an IPv6 address/],
    [`${'abcdef:'.repeat(43)}`, /not a valid IPv6 address/],
    [`${'a'.repeat(70)}.example.com`, /label longer than 63/],
    [`${'abcdefghi.'.repeat(26)}com`, /263 characters long/],
    ['10.0.0.256', /not a valid IPv4 address/],
    ['-db.example.com', /starting or ending with "-"/],
    ['db.example.com/app', /contains a path/],
    ['fe80::1%', /not a valid IPv6 address/],
  ];
  for (const [host, problem] of refused) t.regex(hostProblem(host), problem, host);
});

test('credentials in a host are never repeated in the message', (t) => {
  for (const host of [
    'replicator:hunter2secret@db.example.com',
    'postgres://replicator:p@ss/hunter2@db.example.com:5432/app',
  ]) {
    const detail = hostProblem(host);
    t.regex(detail, /credentials|URL/, host);
    t.false(detail.includes('hunter2'), host);
    t.false(detail.includes('replicator'), host);
  }
});

test('durations: Go syntax, whole milliseconds, within the declared range', (t) => {
  const problem = (timeout: string) => validateObject(block, rules, { ...valid, timeout })[0]?.detail ?? 'accepted';
  for (const ok of ['.5s', '+5m', '100ms', '168h', '1h30m', '1.5s', '2h0m0.001s']) t.is(problem(ok), 'accepted', ok);
  t.regex(problem('0s'), /duration from 100ms to 168h; got "0s"/);
  t.regex(problem('0'), /from 100ms to 168h/);
  t.regex(problem('-5m'), /from 100ms to 168h/);
  t.regex(problem('600h'), /from 100ms to 168h/);
  t.regex(problem('2000h'), /from 100ms to 168h/);
  t.regex(problem('1.0005s'), /whole number of milliseconds/);
  t.regex(problem('5 minutes'), /must be a Go duration/);
});

test('a requirement on a sibling, and checks on each element of a set', (t) => {
  const missing = validateObject(block, rules, { ...valid, version: 1 });
  t.deepEqual(
    missing.map((d) => d.path),
    [['version']],
  );
  t.regex(missing[0]!.detail!, /version requires secret/);
  t.deepEqual(
    validateObject(block, rules, { ...valid, version: 1, secret: UNKNOWN }),
    [],
    'an unknown sibling may still be set',
  );
  for (const [names, problem] of [
    [[' '], /starts or ends with a blank/],
    [['a\nb'], /control character/],
    [[''], /must not be empty/],
    [['123456789'], /at most 8 characters/],
  ] as const) {
    const diagnostics = validateObject(block, rules, { ...valid, names: [...names] });
    t.regex(diagnostics[0]!.detail!, problem);
    t.regex(diagnostics[0]!.detail!, /each element of names/);
  }
});

test('a sensitive value is never repeated; conflicting attributes are reported once', (t) => {
  const diagnostics = validateObject(block, rules, { ...valid, secret: 'hunter2', other: 'x' });
  t.is(diagnostics.length, 2);
  t.false(JSON.stringify(diagnostics).includes('hunter2'));
  t.regex(diagnostics[1]!.detail!, /Only one of other and secret/);
  t.deepEqual(
    diagnostics.map((d) => d.path),
    [undefined, undefined],
    'no line of configuration shown for a sensitive attribute, nor for a conflict with one',
  );
});

// Each rule below on its own: a rule that only works alongside another could still be silently dropped.
const pair: TerraformBlock = { attributes: { a: { type: 'string' }, b: { type: 'string' } } };
for (const [declaring, other] of [
  ['a', 'b'],
  ['b', 'a'],
] as const) {
  test(`a conflict declared on ${declaring} alone binds both, whichever name sorts first`, (t) => {
    const diagnostics = validateObject(pair, { [declaring]: { conflictsWith: [other] } }, { a: 'x', b: 'y' });
    t.deepEqual(
      diagnostics.map((d) => [d.summary, d.detail, d.path]),
      [['Conflicting attributes', 'Only one of a and b can be set; remove one of them.', ['a']]],
    );
    t.deepEqual(validateObject(pair, { [declaring]: { conflictsWith: [other] } }, { a: 'x', b: null }), []);
  });
}

const listed: TerraformBlock = {
  attributes: { tags: { type: ['list', 'string'] }, ports: { type: ['set', 'number'] } },
  block_types: { source: { nesting_mode: 'list', min_items: 1, max_items: 2, block: { attributes: {} } } },
};
const listRules: SchemaRules = {
  tags: { checks: { minItems: 1, maxItems: 2, items: { pattern: '^[a-z]+$' } } },
  ports: { checks: { items: { minimum: 1, maximum: 65535, integer: true } } },
};
const listValid = { tags: ['a'], ports: [5432], source: [{}] };
const detailOf = (value: Record<string, unknown>) =>
  validateObject(listed, listRules, { ...listValid, ...value } as never).map((d) => d.detail);

test('minItems on a list attribute is enforced', (t) => {
  t.deepEqual(detailOf({}), []);
  t.deepEqual(detailOf({ tags: [] }), ['tags needs at least 1 element; it has 0.']);
});

test('maxItems on a list attribute is enforced', (t) => {
  t.deepEqual(detailOf({ tags: ['a', 'b'] }), []);
  t.deepEqual(detailOf({ tags: ['a', 'b', 'c'] }), ['tags takes at most 2 elements; it has 3.']);
});

test("a block's min_items and max_items are enforced", (t) => {
  t.deepEqual(detailOf({ source: [] }), ['source needs at least 1 block; it has 0.']);
  t.deepEqual(detailOf({ source: [{}, {}] }), []);
  t.deepEqual(detailOf({ source: [{}, {}, {}] }), ['source takes at most 2 blocks; it has 3.']);
});

test('pattern is enforced, on a value and on each element', (t) => {
  const block: TerraformBlock = { attributes: { slug: { type: 'string' }, key: { type: 'string', sensitive: true } } };
  const patterned: SchemaRules = { slug: { checks: { pattern: '^[a-z]+$' } }, key: { checks: { pattern: '^k-' } } };
  t.deepEqual(validateObject(block, patterned, { slug: 'abc', key: 'k-1' }), []);
  t.deepEqual(
    validateObject(block, patterned, { slug: 'ABC', key: 'hunter2' }).map((d) => d.detail),
    ['slug must match the regular expression ^[a-z]+$; got "ABC".', 'key must match the regular expression ^k-.'],
    'a sensitive value is not repeated',
  );
  t.deepEqual(detailOf({ tags: ['a', 'B'] }), [
    'each element of tags must match the regular expression ^[a-z]+$; got "B".',
  ]);
});

test('number checks apply to each element of a set of numbers', (t) => {
  t.deepEqual(detailOf({ ports: [1, 0] }), ['each element of ports must be a whole number from 1 to 65535; got 0.']);
});
