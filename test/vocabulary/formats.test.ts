import test from 'ava';
import type { SchemaRules } from '../../src/tfplugin/framework/rules';
import { validateObject } from '../../src/tfplugin/framework/validate';
import type { TerraformBlock } from '../../src/tfplugin/wire/schema';
import { FORMATS, isLoopbackHost, isUuid } from '../../src/vocabulary/formats';

/** The problem a format finds in each value, or "accepted". */
const problems = (format: string, values: string[]) =>
  Object.fromEntries(values.map((value) => [value, FORMATS[format]!.problem(value) ?? 'accepted']));

test('uuid: 8-4-4-4-12 hexadecimal digits in either case, and nothing around them', (t) => {
  t.deepEqual(
    problems('uuid', [
      '123e4567-e89b-12d3-a456-426614174000',
      '123E4567-E89B-12D3-A456-426614174000',
      '123e4567-e89b-12d3-a456-42661417400g',
      ' 123e4567-e89b-12d3-a456-426614174000',
      '123e4567-e89b-12d3-a456-426614174000 ',
      '123e4567e89b12d3a456426614174000',
    ]),
    {
      '123e4567-e89b-12d3-a456-426614174000': 'accepted',
      '123E4567-E89B-12D3-A456-426614174000': 'accepted',
      '123e4567-e89b-12d3-a456-42661417400g': 'is not a UUID',
      ' 123e4567-e89b-12d3-a456-426614174000': 'is not a UUID',
      '123e4567-e89b-12d3-a456-426614174000 ': 'is not a UUID',
      '123e4567e89b12d3a456426614174000': 'is not a UUID',
    },
  );
  t.true(isUuid('9cc10173-e9ea-4176-9dbc-a4cee4c4ff30'));
  t.false(isUuid('9cc10173-e9ea-4176-9dbc-a4cee4c4ff3'));
});

test('go-duration: what Go parses, and nothing else', (t) => {
  t.deepEqual(problems('go-duration', ['1h30m', '.5s', '-1s', '0', '30', '5 min']), {
    '1h30m': 'accepted',
    '.5s': 'accepted',
    '-1s': 'accepted',
    '0': 'accepted',
    '30': 'is not a Go duration',
    '5 min': 'is not a Go duration',
  });
});

test('name: printable text without leading or trailing blanks; control characters named first', (t) => {
  t.deepEqual(problems('name', ['my migration', ' a', 'a ', '\ta', 'a\u0000b', 'a\u007fb', 'a\u009fb', ' a\u0001']), {
    'my migration': 'accepted',
    ' a': 'starts or ends with a blank',
    'a ': 'starts or ends with a blank',
    '\ta': 'contains a control character',
    'a\u0000b': 'contains a control character',
    'a\u007fb': 'contains a control character',
    'a\u009fb': 'contains a control character',
    ' a\u0001': 'contains a control character',
  });
  t.is(FORMATS.name!.problem('a\u00a0b'), undefined, 'a no-break space inside a name is printable');
});

test('token: one word, no blanks, line breaks or control characters', (t) => {
  const refused = 'contains a blank, a line break or a control character';
  t.deepEqual(problems('token', ['dop_v1_abc', 'a b', 'a\nb', 'a\u00a0b', 'a\u0000b', 'a\u0085b', 'a\u007fb']), {
    dop_v1_abc: 'accepted',
    'a b': refused,
    'a\nb': refused,
    'a\u00a0b': refused,
    'a\u0000b': refused,
    'a\u0085b': refused,
    'a\u007fb': refused,
  });
});

test('https-origin: https:// to any host, http:// only to a loopback address, with no path, query or credentials', (t) => {
  t.deepEqual(
    problems('https-origin', [
      'https://api.example.com',
      'https://api.example.com/',
      'HTTPS://API.example.com:8443',
      'http://127.0.0.1:8080',
      'http://127.1',
      'http://localhost:8080',
      'http://[::1]:8080',
    ]),
    {
      'https://api.example.com': 'accepted',
      'https://api.example.com/': 'accepted',
      'HTTPS://API.example.com:8443': 'accepted',
      'http://127.0.0.1:8080': 'accepted',
      'http://127.1': 'accepted',
      'http://localhost:8080': 'accepted',
      'http://[::1]:8080': 'accepted',
    },
  );
  t.deepEqual(
    problems('https-origin', [
      ' https://api.example.com',
      'https://api.example.com\u0000',
      'ftp://api.example.com',
      'api.example.com',
      'x https://api.example.com',
      'https://',
      'https://user:pw@api.example.com',
      'https://user@api.example.com',
      'https://:pw@api.example.com',
      'https://@api.example.com',
      'https://api.example.com?',
      'https://api.example.com/?page=1',
      'https://api.example.com#top',
      'https://api.example.com/v2',
      'http://api.example.com',
      'http://128.0.0.1',
      'http://[::2]',
    ]),
    {
      ' https://api.example.com': 'contains a blank or a control character',
      'https://api.example.com\u0000': 'contains a blank or a control character',
      'ftp://api.example.com': 'does not start with http:// or https://',
      'api.example.com': 'does not start with http:// or https://',
      'x https://api.example.com': 'contains a blank or a control character',
      'https://': 'is not a valid URL',
      'https://user:pw@api.example.com': 'contains credentials',
      'https://user@api.example.com': 'contains credentials',
      'https://:pw@api.example.com': 'contains credentials',
      'https://@api.example.com': 'contains credentials',
      'https://api.example.com?': 'has a query or a fragment',
      'https://api.example.com/?page=1': 'has a query or a fragment',
      'https://api.example.com#top': 'has a query or a fragment',
      'https://api.example.com/v2': 'has the path "/v2" (an API client adds its own paths)',
      'http://api.example.com': 'is plain http:// to "api.example.com", which is not a loopback address',
      'http://128.0.0.1': 'is plain http:// to "128.0.0.1", which is not a loopback address',
      'http://[::2]': 'is plain http:// to "[::2]", which is not a loopback address',
    },
  );
  t.is(FORMATS['https-origin']!.problem('xhttps://api.example.com'), 'does not start with http:// or https://');
});

test('a loopback host is localhost, 127.0.0.0/8 or [::1], in any case and with a trailing dot', (t) => {
  for (const host of ['localhost', 'LocalHost', 'localhost.', '127.0.0.1', '127.255.0.9', '127.0.0.1.', '[::1]']) {
    t.true(isLoopbackHost(host), host);
  }
  for (const host of [
    'example.com',
    '128.0.0.1',
    '10.127.0.1',
    '127.example.com',
    '[::2]',
    '::1',
    'localhost.com',
    '',
  ]) {
    t.false(isLoopbackHost(host), host);
  }
});

test('host: each refusal says exactly what is wrong', (t) => {
  const longest = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
  t.is(longest.length, 253);
  const embedded = '0000:0000:0000:0000:0000:ffff:255.255.255.255';
  t.is(embedded.length, 45, 'the longest textual IPv6 address');
  t.deepEqual(
    problems('host', [
      longest,
      `${longest}.`,
      `${longest}e`,
      `${'a'.repeat(254)}.`,
      'db.a1',
      'db.1a',
      embedded,
      '[::1]',
      'fe80::1%en0.1_~-',
      `fe80::1%${'z'.repeat(64)}`,
    ]),
    {
      [longest]: 'accepted',
      [`${longest}.`]: 'accepted',
      [`${longest}e`]: 'is 254 characters long',
      [`${'a'.repeat(254)}.`]: 'is 254 characters long',
      'db.a1': 'accepted',
      'db.1a': 'accepted',
      [embedded]: 'accepted',
      '[::1]': 'accepted',
      'fe80::1%en0.1_~-': 'accepted',
      [`fe80::1%${'z'.repeat(64)}`]: 'accepted',
    },
  );
  t.deepEqual(
    problems('host', [
      'postgres://db.example.com/app',
      '9pg://db.example.com',
      'replicator:hunter2@db.example.com',
      'db .example.com',
      'db\u0000.example.com',
      'x[::1]',
      '[::1]x',
      '[::1]x:5432',
      '[::1]:5432x',
      '[::1]:',
      '',
      '.',
      'db..',
      'db-.example.com',
      'd$b.example.com',
      '1.2.3.4.5',
      'fe80::1%eth0%x',
      'fe80::1%eth!0',
      `fe80::1%${'z'.repeat(65)}`,
      '[2001:db8::1',
      '2001:db8::1]',
      '[::1]:5432',
      '[db.example.com]',
      'a:b:5432',
      'db.example.com:5432',
      `${'a'.repeat(64)}.example.com`,
      '10.0.0.256',
    ]),
    {
      'postgres://db.example.com/app':
        'is a URL, not a host (for postgres://user@db.example.com:5432/app the host is "db.example.com")',
      '9pg://db.example.com': 'contains a path',
      'replicator:hunter2@db.example.com': 'contains credentials (user:password@)',
      'db .example.com': 'contains a blank or a control character',
      'db\u0000.example.com': 'contains a blank or a control character',
      'x[::1]': 'has unbalanced brackets',
      '[::1]x': 'has text after the closing bracket',
      '[::1]x:5432': 'has text after the closing bracket',
      '[::1]:5432x': 'has text after the closing bracket',
      '[::1]:': 'has a port',
      '': 'is 0 characters long',
      '.': 'is 0 characters long',
      'db..': 'has an empty label (two dots in a row, or a leading dot)',
      'db-.example.com':
        'has a character other than letters, digits, "-" or "_", or a label starting or ending with "-"',
      'd$b.example.com':
        'has a character other than letters, digits, "-" or "_", or a label starting or ending with "-"',
      '1.2.3.4.5': 'is not a valid IPv4 address',
      'fe80::1%eth0%x': 'is not a valid IPv6 address',
      'fe80::1%eth!0': 'is not a valid IPv6 address',
      [`fe80::1%${'z'.repeat(65)}`]: 'is not a valid IPv6 address',
      '[2001:db8::1': 'has unbalanced brackets',
      '2001:db8::1]': 'has unbalanced brackets',
      '[::1]:5432': 'has a port',
      '[db.example.com]': 'holds something other than an IPv6 address in brackets',
      'a:b:5432': 'is not a valid IPv6 address',
      'db.example.com:5432': 'has a port',
      [`${'a'.repeat(64)}.example.com`]: 'has a label longer than 63 characters',
      '10.0.0.256': 'is not a valid IPv4 address',
    },
  );
});

test("a format's message names the attribute, what the format accepts and what is wrong", (t) => {
  const formatted: TerraformBlock = {
    attributes: {
      endpoint: { type: 'string' },
      token: { type: 'string' },
      name: { type: 'string' },
      host: { type: 'string' },
      id: { type: 'string' },
      wait: { type: 'string' },
    },
  };
  const formatRules: SchemaRules = {
    endpoint: { checks: { format: 'https-origin' } },
    token: { checks: { format: 'token' } },
    name: { checks: { format: 'name' } },
    host: { checks: { format: 'host' } },
    id: { checks: { format: 'uuid' } },
    wait: { checks: { format: 'go-duration' } },
  };
  t.deepEqual(
    validateObject(formatted, formatRules, {
      endpoint: 'http://api.example.com',
      token: 'a b',
      name: ' x',
      host: 'db:5432',
      id: 'x',
      wait: '5',
    }).map((d) => d.detail),
    [
      'endpoint must be an https:// origin such as "https://api.example.com", or an http:// one on a loopback ' +
        'address (127.0.0.0/8, [::1] or localhost) such as "http://127.0.0.1:8080", with no path, query or ' +
        'credentials, but it is plain http:// to "api.example.com", which is not a loopback address.',
      'token must be one word of printable characters, with no blanks or line breaks, but it contains a blank, ' +
        'a line break or a control character; got "a b".',
      'name must be printable text without leading or trailing blanks, but it starts or ends with a blank; got " x".',
      'host must be a DNS name (labels of 1 to 63 letters, digits, "-" or "_", 253 characters in all), an IPv4 ' +
        'address, or an IPv6 address (a "%zone" allowed, in balanced brackets or none), with no scheme, port, ' +
        'credentials or path, but it has a port; got "db:5432".',
      'id must be a UUID such as "123e4567-e89b-12d3-a456-426614174000", but it is not a UUID; got "x".',
      'wait must be a Go duration such as "30m", "1h30m" or ".5s" (units h, m, s, ms, us, ns; an optional sign), ' +
        'but it is not a Go duration; got "5".',
    ],
  );
});
