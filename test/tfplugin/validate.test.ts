import test from 'ava';
import type { SchemaRules, TerraformBlock } from '../../src/tfplugin/schema';
import { validateObject } from '../../src/tfplugin/validate';
import { UNKNOWN } from '../../src/tfplugin/values';

const block: TerraformBlock = {
  attributes: { id: { type: 'string' }, wait: { type: 'string' }, timeout: { type: 'string' }, secret: { type: 'string', sensitive: true }, other: { type: 'string' } },
  block_types: { source: { nesting_mode: 'list', block: { attributes: { host: { type: 'string' }, port: { type: 'number' } } } } },
};
const rules: SchemaRules = {
  id: { checks: { format: 'uuid' } },
  wait: { checks: { enum: ['a', 'b'] } },
  timeout: { checks: { format: 'go-duration' } },
  secret: { checks: { minLength: 1, format: 'uuid' }, conflictsWith: ['other'] },
  other: { conflictsWith: ['secret'] },
  'source.host': { checks: { format: 'host' } },
  'source.port': { checks: { minimum: 1, maximum: 65535, integer: true } },
};
const valid = { id: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30', wait: 'a', timeout: '1h30m', secret: null, other: null, source: [{ host: 'db.example.com', port: 5432 }] };

test('valid values and unknown values pass', (t) => {
  t.deepEqual(validateObject(block, rules, valid), []);
  t.deepEqual(validateObject(block, rules, { ...valid, id: UNKNOWN, source: [{ host: UNKNOWN, port: UNKNOWN }] }), []);
  for (const host of ['10.0.0.1', '::1', '[2001:db8::1]', 'db-1.internal', 'localhost']) {
    t.deepEqual(validateObject(block, rules, { ...valid, source: [{ host, port: 1 }] }), [], host);
  }
});

test('each problem names its attribute path and what is accepted', (t) => {
  const diagnostics = validateObject(block, rules, { ...valid, id: 'x', wait: 'c', timeout: '5 min', source: [{ host: 'pg://u:p@h/db', port: 0 }] });
  t.deepEqual(diagnostics.map((d) => d.path), [['id'], ['wait'], ['timeout'], ['source', 0, 'host'], ['source', 0, 'port']]);
  t.regex(diagnostics[0]!.detail!, /id must be a UUID/);
  t.regex(diagnostics[1]!.detail!, /one of "a", "b"; got "c"/);
  t.regex(diagnostics[3]!.detail!, /not a URL/);
  t.notRegex(diagnostics[3]!.detail!, /u:p@/, 'a password in a pasted URL is masked');
  t.regex(diagnostics[4]!.detail!, /from 1 to 65535/);
});

test('a sensitive value is never repeated; conflicting attributes are reported once', (t) => {
  const diagnostics = validateObject(block, rules, { ...valid, secret: 'hunter2', other: 'x' });
  t.is(diagnostics.length, 2);
  t.false(JSON.stringify(diagnostics).includes('hunter2'));
  t.regex(diagnostics[1]!.detail!, /Only one of other and secret/);
});
