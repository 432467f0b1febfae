import test from 'ava';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/codegen/generate';
import { SchemaError, checkSchema, loadSchemaDir } from '../../src/codegen/load';
import { buildModel } from '../../src/codegen/model';
import { run, runOk } from '../helpers/child';
import { ROOT, scratchDir } from '../helpers/project';

const tsx = ['--import=tsx', join(ROOT, 'src/codegen/main.ts')];

test('generation is deterministic and leaves the schemas untouched', async (t) => {
  const before = loadSchemaDir(join(ROOT, 'schema'));
  const first = await generate({ root: ROOT, cdkLibrary: 'cdktf' });
  const second = await generate({ root: ROOT, cdkLibrary: 'cdktf' });
  t.deepEqual(first, second);
  t.deepEqual(loadSchemaDir(join(ROOT, 'schema')), before);
});

test('the committed generated/ and docs/ match a fresh generation', async (t) => {
  for (const file of await generate({ root: ROOT, cdkLibrary: 'cdktf' })) {
    t.is(readFileSync(join(ROOT, file.path), 'utf8'), file.content, file.path);
  }
});

test('--check fails and names the file when generated/ is stale', async (t) => {
  const root = scratchDir(t, 'stale');
  for (const entry of ['schema', 'examples', 'package.json'])
    cpSync(join(ROOT, entry), join(root, entry), { recursive: true });
  await runOk(process.execPath, [...tsx, '--root', root]);
  t.is((await run(process.execPath, [...tsx, '--root', root, '--check'])).code, 0);
  const schemaFile = join(root, 'generated/provider-schema.json');
  writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('"markdown"', '"plain"'));
  const stale = await run(process.execPath, [...tsx, '--root', root, '--check']);
  t.is(stale.code, 1);
  t.regex(stale.stderr, /generated\/provider-schema\.json/);
});

const malformed: Array<[string, unknown, RegExp]> = [
  [
    'an unknown type',
    { title: 'X', type: 'object', properties: { a: { type: 'strin', description: 'd' } } },
    /x\.schema\.json#\/properties\/a\/type: must be one of/,
  ],
  [
    'a property without description',
    { title: 'X', type: 'object', properties: { a: { type: 'string' } } },
    /#\/properties\/a\/description/,
  ],
  [
    'a required name that is not a property',
    { title: 'X', type: 'object', properties: {}, required: ['b'] },
    /#\/required\/0: names "b"/,
  ],
  [
    'a dangling $ref',
    { title: 'X', type: 'object', properties: { a: { $ref: '#/$defs/nope' } } },
    /#\/properties\/a\/\$ref: #\/\$defs\/nope does not resolve/,
  ],
  [
    'an unknown annotation',
    {
      title: 'X',
      type: 'object',
      properties: { a: { type: 'string', description: 'd', 'x-terraform': { replace: true } } },
    },
    /#\/properties\/a\/x-terraform\/replace: unknown annotation/,
  ],
  [
    'an unknown format',
    { title: 'X', type: 'object', properties: { a: { type: 'string', format: 'email', description: 'd' } } },
    /#\/properties\/a\/format/,
  ],
  [
    'a duration ceiling no timer can wait',
    {
      title: 'X',
      type: 'object',
      properties: {
        a: {
          type: 'string',
          format: 'go-duration',
          description: 'd',
          'x-terraform': { minDuration: '1s', maxDuration: '600h' },
        },
      },
    },
    /#\/properties\/a\/x-terraform\/maxDuration: must be a Go duration of whole milliseconds/,
  ],
  [
    'duration bounds on a string that is not a duration',
    {
      title: 'X',
      type: 'object',
      properties: { a: { type: 'string', description: 'd', 'x-terraform': { minDuration: '1s', maxDuration: '1h' } } },
    },
    /#\/properties\/a\/x-terraform: minDuration and maxDuration need/,
  ],
];

for (const [what, schema, message] of malformed) {
  test(`the generator rejects ${what}, naming the file and the JSON pointer`, (t) => {
    const error = t.throws(() => checkSchema('x.schema.json', schema), { instanceOf: SchemaError });
    t.regex(error!.message, message);
  });
}

test('the generate command reports a malformed schema file by path and exits 1', async (t) => {
  const root = scratchDir(t, 'malformed');
  for (const entry of ['schema', 'examples', 'package.json'])
    cpSync(join(ROOT, entry), join(root, entry), { recursive: true });
  const file = join(root, 'schema/online_migration.resource.schema.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.$defs.source.properties.port.type = 'int';
  writeFileSync(file, JSON.stringify(json));
  const result = await run(process.execPath, [...tsx, '--root', root]);
  t.is(result.code, 1);
  t.regex(result.stderr, /online_migration\.resource\.schema\.json#\/\$defs\/source\/properties\/port\/type/);
  mkdirSync(join(root, 'generated'), { recursive: true });
  t.deepEqual(readdirSync(join(root, 'generated')), [], 'nothing is written from a malformed schema');
});

test('a block nested inside a block is rejected by name, not emitted wrongly', (t) => {
  const files = loadSchemaDir(join(ROOT, 'schema'));
  const resource = files.find((f) => f.file === 'online_migration.resource.schema.json')!;
  const json = structuredClone(resource.json);
  json.$defs!.source!.properties!.tls = {
    type: 'object',
    description: 'd',
    'x-terraform': { block: 'single' },
    properties: { ca: { type: 'string', description: 'd' } },
  };
  const error = t.throws(
    () =>
      buildModel(
        files.map((f) => (f === resource ? { ...f, json } : f)),
        '0.0.0',
      ),
    { instanceOf: SchemaError },
  );
  t.regex(
    error!.message,
    /online_migration\.resource\.schema\.json#\/properties\/source\/items\/properties\/tls\/x-terraform\/block: a block inside a block/,
  );
});
