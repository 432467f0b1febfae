import test from 'ava';
import { KnownSecrets, redactSecrets } from '../../src/api/redact';

test('token- and password-shaped text is redacted, the rest of the message kept', (t) => {
  const cases: Array<[string, string]> = [
    ['bad header Authorization: Bearer dop_v1_0123456789abcdef', 'bad header Authorization: [redacted]'],
    ['{"authorization":"Bearer abc.def"}', '{"authorization":"[redacted]"}'],
    ['token dop_v1_abcdef0123 is revoked', 'token dop_v1_[redacted] is revoked'],
    [
      'cannot reach postgres://replicator:p@ss/hunter2@db.example.com:5432/app',
      'cannot reach postgres://replicator:[redacted]@db.example.com:5432/app',
    ],
    ['invalid source: {"password":"hunter2","port":5432}', 'invalid source: {"password":"[redacted]","port":5432}'],
    ['password=hunter2&user=x', 'password=[redacted]&user=x'],
    ['api_key: 12345', 'api_key: [redacted]'],
    [`session ${'Ab9_'.repeat(12)} expired`, 'session [redacted] expired'],
    [
      'port must be 1-65535 for cluster 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
      'port must be 1-65535 for cluster 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
    ],
    [
      'PUT /v2/databases/9cc10173-e9ea-4176-9dbc-a4cee4c4ff30/online-migration failed',
      'PUT /v2/databases/9cc10173-e9ea-4176-9dbc-a4cee4c4ff30/online-migration failed',
    ],
  ];
  for (const [input, expected] of cases) t.is(redactSecrets(input), expected, input);
});

test('a known secret is redacted wherever it appears', (t) => {
  t.is(
    redactSecrets('you sent plain-token-value twice: plain-token-value', ['plain-token-value']),
    'you sent [redacted] twice: [redacted]',
  );
  t.is(
    redactSecrets('using password pw-Secret-42: authentication failed', ['pw-Secret-42']),
    'using password [redacted]: authentication failed',
    'the password itself, not the word after it',
  );
  t.is(redactSecrets('abcd-efgh vs abcd', ['abcd', 'abcd-efgh']), '[redacted] vs [redacted]', 'the longer one whole');
});

test("a client's known secrets: its token and every password a request body carried", (t) => {
  const secrets = new KnownSecrets(['plain-token-value']);
  secrets.addFrom({ source: { host: 'db.example.com', password: 'hunter2-long' }, ignore_dbs: ['x'] });
  t.is(secrets.redact('plain-token-value, hunter2-long at db.example.com'), '[redacted], [redacted] at db.example.com');
  t.deepEqual(secrets.redactFields({ error: 'bad hunter2-long', status: 422 }), {
    error: 'bad [redacted]',
    status: 422,
  });
});

test('every credential shape the rules know, in the forms servers write them', (t) => {
  const cases: Array<[string, string]> = [
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', 'Proxy-Authorization: [redacted]'],
    ["authorization='token abc123'", "authorization='[redacted]'"],
    ['authorization = xyz;next', 'authorization = [redacted];next'],
    ['AUTHORIZATION:Bearer a.b', 'AUTHORIZATION:[redacted]'],
    ['authorization: Bearer  two-spaces', 'authorization: [redacted]'],
    ['sent bearer  two-spaces', 'sent bearer [redacted]'],
    ['sent bearer a.b/c+d=e~f_g-h and more', 'sent bearer [redacted] and more'],
    ['sent Basic dXNlcjpwYXNz', 'sent Basic [redacted]'],
    ['keys doo_v1_abc, dor_v1_DEF9 and dop_v1_x1', 'keys doo_v1_[redacted], dor_v1_[redacted] and dop_v1_[redacted]'],
    ['not a key: dox_v1_abc or xdop_v1_abc', 'not a key: dox_v1_abc or xdop_v1_abc'],
    ['https://user:secret@host/x and git+ssh://u:p@h', 'https://user:[redacted]@host/x and git+ssh://u:[redacted]@h'],
    ['https://host:8080/path has no credentials', 'https://host:8080/path has no credentials'],
    ['db_password: "hunter2"', 'db_password: "[redacted]"'],
    ["passwd='x1' pwd=x2 client-secret: x3", "passwd='[redacted]' pwd=[redacted] client-secret: [redacted]"],
    ['access_token=abc&API-KEY=def;apikey:ghi', 'access_token=[redacted]&API-KEY=[redacted];apikey:[redacted]'],
    ['{"secret":"s1","token":"t1"}', '{"secret":"[redacted]","token":"[redacted]"}'],
    ['password_hash=abc secret_key: def', 'password_hash=[redacted] secret_key: [redacted]'],
    ['a password is required', 'a password is required'],
    [`${'a'.repeat(40)} and ${'b'.repeat(39)}`, `[redacted] and ${'b'.repeat(39)}`],
    [`x${'Z9+='.repeat(10)}`, '[redacted]'],
  ];
  for (const [input, expected] of cases) t.is(redactSecrets(input), expected, input);
});

test('known secrets of fewer than four characters are not redacted by value: they would take words with them', (t) => {
  t.is(redactSecrets('abc and abcd', ['abc', 'abcd']), 'abc and [redacted]');
  t.is(redactSecrets('no secrets given'), 'no secrets given');
});

test('the secrets a request body carries: string values under a password, secret or token key, at any depth', (t) => {
  const secrets = new KnownSecrets([]);
  secrets.addFrom({
    source: { Password: 'pw-one', host: 'host-one', port: 5432 },
    list: [{ client_secret: 'sec-two' }, 'loose-three'],
    refresh_token: 'tok-four',
    secret_store: { password: 'pw-seven' },
    token_count: 7,
  });
  secrets.addFrom('top-level-six', 'password');
  secrets.addFrom(null);
  t.is(
    secrets.redact('pw-one host-one sec-two loose-three tok-four top-level-six pw-seven 5432 7'),
    '[redacted] host-one [redacted] loose-three [redacted] [redacted] [redacted] 5432 7',
  );
  t.deepEqual(secrets.redactFields({ a: 'pw-one', b: 1, c: undefined, d: { e: 'pw-one' } }), {
    a: '[redacted]',
    b: 1,
    c: undefined,
    d: { e: 'pw-one' },
  });
});
