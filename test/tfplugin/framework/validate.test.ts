import test from 'ava';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';
import type { SchemaRules } from '../../../src/tfplugin/framework/rules';
import { quoted, validateObject } from '../../../src/tfplugin/framework/validate';
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

test('nothing to check in a null object, nor in a block without attributes', (t) => {
  t.deepEqual(validateObject(block, rules, null), []);
  const bare: TerraformBlock = { block_types: { inner: { nesting_mode: 'single', block: { attributes: {} } } } };
  t.deepEqual(validateObject(bare, {}, { inner: {} }), []);
});

test('a summary names the problem and the attribute; a diagnostic points at the attribute', (t) => {
  const diagnostics = validateObject(block, rules, { ...valid, id: 'x', version: 1 });
  t.deepEqual(
    diagnostics.map((d) => [d.severity, d.summary, d.path]),
    [
      ['error', 'Invalid value for id', ['id']],
      ['error', 'Missing required attribute', ['version']],
    ],
  );
  t.is(diagnostics[1]!.detail, 'version requires secret: set secret too, or remove version.');
  t.deepEqual(
    validateObject(listed, listRules, { ...listValid, source: [] }).map((d) => [d.summary, d.path]),
    [['Wrong number of source blocks', ['source']]],
  );
});

test('a requirement is met by a set sibling, and not by an absent one', (t) => {
  t.deepEqual(
    validateObject(block, rules, { ...valid, version: 1, secret: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30' }),
    [],
  );
  const { secret: _, ...withoutSecret } = valid;
  t.deepEqual(
    validateObject(block, rules, { ...withoutSecret, version: 1 }).map((d) => d.detail),
    ['version requires secret: set secret too, or remove version.'],
  );
});

test('a conflict with an unknown or absent value is no conflict yet; one with a sensitive sibling shows no line', (t) => {
  const declared: SchemaRules = { a: { conflictsWith: ['b'] } };
  t.deepEqual(validateObject(pair, declared, { a: 'x', b: UNKNOWN }), []);
  t.deepEqual(validateObject(pair, declared, { a: 'x' }), []);
  const secretB: TerraformBlock = { attributes: { a: { type: 'string' }, b: { type: 'string', sensitive: true } } };
  t.deepEqual(
    validateObject(secretB, declared, { a: 'x', b: 'hunter2' }).map((d) => [d.detail, d.path]),
    [['Only one of a and b can be set; remove one of them.', undefined]],
  );
  const nested: TerraformBlock = { block_types: { inner: { nesting_mode: 'single', block: secretB } } };
  t.deepEqual(
    validateObject(nested, { 'inner.a': { conflictsWith: ['b'] } }, { inner: { a: 'x', b: 'y' } }).map((d) => [
      d.detail,
      d.path,
    ]),
    [['Only one of inner.a and inner.b can be set; remove one of them.', ['inner']]],
    'the enclosing block, not the line of the secret',
  );
});

test('a single nested block is checked with its own rules; null and unknown pass', (t) => {
  const outer: TerraformBlock = {
    attributes: {},
    block_types: { inner: { nesting_mode: 'single', block: { attributes: { port: { type: 'number' } } } } },
  };
  const inner: SchemaRules = { 'inner.port': { checks: { minimum: 1, maximum: 65535, integer: true } } };
  t.deepEqual(
    validateObject(outer, inner, { inner: { port: 0 } }).map((d) => [d.detail, d.path]),
    [['inner.port must be a whole number from 1 to 65535; got 0.', ['inner', 'port']]],
  );
  t.deepEqual(validateObject(outer, inner, { inner: { port: 1 } }), []);
  t.deepEqual(validateObject(outer, inner, { inner: null }), []);
  t.deepEqual(validateObject(outer, inner, { inner: UNKNOWN }), []);
});

test('lengths: both bounds inclusive, counted in characters (a surrogate pair is one), a minimum above 1 named', (t) => {
  const text: TerraformBlock = { attributes: { label: { type: 'string' } } };
  const sized: SchemaRules = { label: { checks: { minLength: 3, maxLength: 4 } } };
  const problem = (label: string) => validateObject(text, sized, { label })[0]?.detail ?? 'accepted';
  t.is(problem('abc'), 'accepted');
  t.is(problem('abcd'), 'accepted');
  t.is(problem('ab'), 'label must be at least 3 characters long.');
  t.is(problem('abcde'), 'label must be at most 4 characters long; it has 5.');
  t.is(problem('\u{10000}\u{10FFFF}😀\u{10000}'), 'accepted', 'the lowest and highest high surrogates pair up');
  t.is(problem('\u{10000}\u{10FFFF}😀\u{10000}a'), 'label must be at most 4 characters long; it has 5.');
  t.is(problem('\ud800ab'), 'accepted', 'a lone high surrogate is one character, and so is what follows');
  t.is(problem('\ud800\ud800\ud800\ud800\ud800'), 'label must be at most 4 characters long; it has 5.');
  t.is(problem('a\udc00\ud800'), 'accepted');
});

test('a pattern matches in Unicode mode; an element check needs no items rule', (t) => {
  const text: TerraformBlock = { attributes: { mark: { type: 'string' }, tags: { type: ['list', 'string'] } } };
  const checked: SchemaRules = { mark: { checks: { pattern: '^.$' } }, tags: { checks: { maxItems: 1 } } };
  t.deepEqual(validateObject(text, checked, { mark: '😀', tags: ['any'] }), []);
  t.deepEqual(
    validateObject(text, checked, { mark: 'ab', tags: ['a', 'b'] }).map((d) => d.detail),
    ['mark must match the regular expression ^.$; got "ab".', 'tags takes at most 1 element; it has 2.'],
  );
});

test('the elements of a sensitive set are never repeated', (t) => {
  const secrets: TerraformBlock = { attributes: { keys: { type: ['set', 'string'], sensitive: true } } };
  const checked: SchemaRules = { keys: { checks: { items: { enum: ['k1'] } } } };
  t.deepEqual(
    validateObject(secrets, checked, { keys: ['k1', 'hunter2'] }).map((d) => d.detail),
    ['each element of keys must be one of "k1".'],
  );
});

test('numbers: each bound named, inclusive; a whole number where declared; never infinite', (t) => {
  const numbers: TerraformBlock = { attributes: { n: { type: 'number' } } };
  const problem = (checks: SchemaRules[string]['checks'], n: number) =>
    validateObject(numbers, { n: { checks } }, { n })[0]?.detail ?? 'accepted';
  t.is(problem({ minimum: 0, integer: true }, 0), 'accepted');
  t.is(problem({ minimum: 0, integer: true }, -1), 'n must be a whole number of at least 0; got -1.');
  t.is(problem({ minimum: 0, integer: true }, 1.5), 'n must be a whole number of at least 0; got 1.5.');
  t.is(problem({ minimum: 0.5 }, 0.4), 'n must be a number of at least 0.5; got 0.4.');
  t.is(problem({ maximum: 10 }, 10), 'accepted');
  t.is(problem({ maximum: 10 }, 11), 'n must be a number of at most 10; got 11.');
  t.is(problem({ minimum: 1, maximum: 2 }, 2.5), 'n must be a number from 1 to 2; got 2.5.');
  t.is(problem({}, Infinity), 'n must be a number; got Infinity.');
  t.is(problem({}, 12.5), 'accepted');
});

test('a value quoted in a message is cut short past 64 characters, never inside a character', (t) => {
  t.is(quoted('a'.repeat(64)), JSON.stringify('a'.repeat(64)));
  t.is(quoted('a'.repeat(65)), `"${'a'.repeat(64)}…" (65 characters)`);
  t.is(quoted(`${'a'.repeat(63)}😀b`), `"${'a'.repeat(63)}…" (65 characters)`);
  t.is(quoted(`${'a'.repeat(64)}😀`), `"${'a'.repeat(64)}…" (65 characters)`);
  t.is(quoted('user@example.com'), undefined);
  t.is(quoted('pg://h'), undefined);
  t.is(quoted('a:/b'), '"a:/b"');
});

test('checks leave booleans alone, in a value and in a list; a list problem has a summary', (t) => {
  const mixed: TerraformBlock = {
    attributes: { enabled: { type: 'bool' }, flags: { type: ['list', 'bool'] } },
  };
  const checked: SchemaRules = { enabled: { checks: { minimum: 1 } }, flags: { checks: { maxItems: 2 } } };
  t.deepEqual(validateObject(mixed, checked, { enabled: true, flags: [true, false] }), []);
  t.deepEqual(
    validateObject(mixed, checked, { enabled: false, flags: [true, true, true] }).map((d) => [d.summary, d.detail]),
    [['Invalid value for flags', 'flags takes at most 2 elements; it has 3.']],
  );
});

test('lone low surrogates are one character each', (t) => {
  const text: TerraformBlock = { attributes: { label: { type: 'string' } } };
  const problem = (label: string) =>
    validateObject(text, { label: { checks: { maxLength: 4 } } }, { label })[0]?.detail ?? 'accepted';
  t.is(problem('\udc00\udc00\udc00\udc00\udc00'), 'label must be at most 4 characters long; it has 5.');
  t.is(problem('\ue000\udc00\ue000\udc00\ue000'), 'label must be at most 4 characters long; it has 5.');
});

test('a value that may hold credentials is not repeated, and nothing stands in its place', (t) => {
  t.deepEqual(
    validateObject(block, rules, { ...valid, wait: 'user@host' }).map((d) => d.detail),
    ['wait must be one of "a", "b".'],
  );
});

test('an attribute can conflict with a nested block', (t) => {
  const withBlock: TerraformBlock = {
    attributes: { a: { type: 'string' } },
    block_types: { inner: { nesting_mode: 'single', block: { attributes: {} } } },
  };
  const declared: SchemaRules = { a: { conflictsWith: ['inner'] } };
  t.deepEqual(
    validateObject(withBlock, declared, { a: 'x', inner: {} }).map((d) => [d.detail, d.path]),
    [['Only one of a and inner can be set; remove one of them.', ['a']]],
  );
  t.deepEqual(validateObject(withBlock, declared, { a: 'x', inner: null }), []);
});
