import test from 'ava';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/codegen/generate';
import { SchemaError, checkSchema, loadSchemaDir } from '../../src/codegen/load';
import { buildModel } from '../../src/codegen/model';
import { emitPlanRules } from '../../src/codegen/emit-terraform-schema';
import { run } from '../helpers/child';
import { ROOT, scratchDir } from '../helpers/project';

const tsx = ['--import=tsx', join(ROOT, 'src/codegen/main.ts')];

/** One generation of the checkout, shared by the tests that only read it. */
let generated: ReturnType<typeof generate> | undefined;
const fresh = () => (generated ??= generate({ root: ROOT, cdkLibrary: 'cdktf' }));

test('generation is deterministic and leaves the schemas untouched', async (t) => {
  const before = loadSchemaDir(join(ROOT, 'schema'));
  const first = await fresh();
  const second = await generate({ root: ROOT, cdkLibrary: 'cdktf' });
  t.deepEqual(first, second);
  t.deepEqual(loadSchemaDir(join(ROOT, 'schema')), before);
});

test('the committed generated/ and docs/ match a fresh generation', async (t) => {
  for (const file of await fresh()) {
    t.is(readFileSync(join(ROOT, file.path), 'utf8'), file.content, file.path);
  }
});

test('--check fails and names the file when generated/ is stale', async (t) => {
  const root = scratchDir(t, 'stale');
  // A generated tree as fresh as the committed one (the test above holds the two equal).
  for (const entry of ['schema', 'examples', 'package.json', 'generated', 'docs'])
    cpSync(join(ROOT, entry), join(root, entry), { recursive: true });
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
  [
    'a keyword the generator does not enforce (multipleOf)',
    { title: 'X', type: 'object', properties: { a: { type: 'integer', multipleOf: 5, description: 'd' } } },
    /#\/properties\/a\/multipleOf: the generator does not support the keyword "multipleOf" on type "integer"/,
  ],
  [
    'a keyword on a type it does not apply to (minimum on a string)',
    { title: 'X', type: 'object', properties: { a: { type: 'string', minimum: 1, description: 'd' } } },
    /#\/properties\/a\/minimum: the generator does not support/,
  ],
  [
    'an enum of numbers, which validation would not check',
    { title: 'X', type: 'object', properties: { a: { type: 'integer', enum: [1, 2], description: 'd' } } },
    /#\/properties\/a\/enum: the generator does not support/,
  ],
  [
    'a keyword beside a $ref that the $ref would hide',
    {
      title: 'X',
      type: 'object',
      properties: { a: { $ref: '#/$defs/b', minLength: 3 } },
      $defs: { b: { type: 'string', description: 'd' } },
    },
    /#\/properties\/a\/minLength: the generator does not support the keyword "minLength" beside a \$ref/,
  ],
  [
    'a pattern that is not a regular expression',
    { title: 'X', type: 'object', properties: { a: { type: 'string', pattern: '([a-z]', description: 'd' } } },
    /#\/properties\/a\/pattern: must be a regular expression/,
  ],
  [
    'a conflictsWith naming no sibling',
    {
      title: 'X',
      type: 'object',
      properties: { a: { type: 'string', description: 'd', 'x-terraform': { conflictsWith: ['c'] } } },
    },
    /#\/properties\/a\/x-terraform\/conflictsWith\/0: names "c", which is not a sibling/,
  ],
  [
    'a versionOf naming a sibling that is not write-only',
    {
      title: 'X',
      type: 'object',
      properties: {
        secret: { type: 'string', description: 'd' },
        v: { type: 'integer', description: 'd', 'x-terraform': { requiresReplace: true, versionOf: 'secret' } },
      },
    },
    /#\/properties\/v\/x-terraform\/versionOf: names "secret", which is not a write-only sibling/,
  ],
  [
    'a versionOf without requiresReplace',
    {
      title: 'X',
      type: 'object',
      properties: {
        secret: { type: 'string', description: 'd', 'x-terraform': { writeOnly: true } },
        v: { type: 'integer', description: 'd', 'x-terraform': { versionOf: 'secret' } },
      },
    },
    /#\/properties\/v\/x-terraform: a versionOf attribute is stored and needs requiresReplace/,
  ],
  [
    'a maxItems that is not a count',
    {
      title: 'X',
      type: 'object',
      properties: { a: { type: 'array', items: { type: 'string' }, maxItems: -1, description: 'd' } },
    },
    /#\/properties\/a\/maxItems: must be a whole number/,
  ],
  [
    'a default written by hand in a description',
    {
      title: 'X',
      type: 'object',
      properties: { a: { type: 'boolean', default: false, description: 'On or off. Defaults to `false`.' } },
    },
    /#\/properties\/a\/description: says its default by hand/,
  ],
  [
    'a reference to a file that is not in the schema folder',
    { title: 'X', type: 'object', properties: { a: { $ref: 'api/nope.schema.json' } } },
    /#\/properties\/a\/\$ref: api\/nope\.schema\.json names api\/nope\.schema\.json, which is not a file/,
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

test('pattern, minItems and maxItems reach the rules that validation reads, and a $ref reaches another file', (t) => {
  const dir = scratchDir(t, 'keywords');
  mkdirSync(join(dir, 'api'));
  const write = (file: string, json: unknown) => writeFileSync(join(dir, file), JSON.stringify(json));
  write('api/word.schema.json', { title: 'Word', type: 'string', enum: ['a', 'b'], description: 'A word.' });
  write('provider.schema.json', {
    title: 'P',
    type: 'object',
    'x-terraform': { kind: 'provider', typeName: 'dodb' },
    properties: {
      slug: { type: 'string', pattern: '^[a-z]+$', description: 'd' },
      tags: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string' }, description: 'd' },
      word: { $ref: 'api/word.schema.json', description: 'Here.', 'x-terraform': { computed: true } },
    },
  });
  const files = loadSchemaDir(dir);
  const rules = emitPlanRules(buildModel(files, '0.0.0')).provider;
  t.deepEqual(rules.slug, { checks: { pattern: '^[a-z]+$' } });
  t.deepEqual(rules.tags, { checks: { minItems: 1, maxItems: 3 } });
  t.deepEqual(rules.word, { checks: { enum: ['a', 'b'] } });
  t.deepEqual(files.find((f) => f.file === 'provider.schema.json')!.json.properties!.word, {
    type: 'string',
    enum: ['a', 'b'],
    tsType: 'Word',
    description: 'Here.',
    'x-terraform': { computed: true },
  });
});

test('versionOf reaches the rules the plan reads, and the docs say what it does', (t) => {
  const model = buildModel(loadSchemaDir(join(ROOT, 'schema')), '0.0.0');
  const rules = emitPlanRules(model).resources.dodb_online_migration!;
  t.is(rules['source.password_wo_version']!.versionOf, 'password_wo');
  t.regex(
    readFileSync(join(ROOT, 'docs/resources/online_migration.md'), 'utf8'),
    /`password_wo_version`.*The version of `password_wo`: only a change from one version to another replaces/,
  );
});

test("a resource type that does not start with the provider's type name is refused", (t) => {
  const files = loadSchemaDir(join(ROOT, 'schema')).map((f) =>
    f.file === 'online_migration.resource.schema.json'
      ? { ...f, json: { ...f.json, 'x-terraform': { ...f.json['x-terraform'], typeName: 'other_online_migration' } } }
      : f,
  );
  const error = t.throws(() => buildModel(files, '0.0.0'), { instanceOf: SchemaError });
  t.regex(error!.message, /online_migration\.resource\.schema\.json#\/x-terraform\/typeName: must start with "dodb_"/);
});

test('the generator writes where an unset value comes from: environment variables, then the fallback or default', (t) => {
  const model = buildModel(loadSchemaDir(join(ROOT, 'schema')), '0.0.0');
  const described = (attributes: { name: string; description: string }[], name: string) =>
    attributes.find((a) => a.name === name)!.description;
  t.regex(
    described(model.provider.block.attributes, 'api_endpoint'),
    /\. Defaults to the `DIGITALOCEAN_API_URL` environment variable, then `https:\/\/api\.digitalocean\.com`\.$/,
  );
  t.regex(described(model.provider.block.attributes, 'http_retry_max'), /\. Defaults to `4`\.$/);
  const resource = model.resources[0]!.block;
  t.regex(described(resource.attributes, 'wait_for'), /\. Defaults to `syncing`\.$/);
  t.regex(
    described(resource.blocks.find((b) => b.name === 'timeouts')!.block.attributes, 'create'),
    /Defaults to `30m`\.$/,
  );
  t.notRegex(described(resource.attributes, 'status'), /Defaults/);
});
