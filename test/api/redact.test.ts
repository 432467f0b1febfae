import test from 'ava';
import { redactSecrets } from '../../src/api/redact';

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
  ];
  for (const [input, expected] of cases) t.is(redactSecrets(input), expected, input);
});

test('a known secret is redacted wherever it appears', (t) => {
  t.is(
    redactSecrets('you sent plain-token-value twice: plain-token-value', ['plain-token-value']),
    'you sent [redacted] twice: [redacted]',
  );
});
