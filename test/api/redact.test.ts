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
