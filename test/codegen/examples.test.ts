import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type TerraformStack } from 'cdktf';
import { run } from '../helpers/child';
import { ROOT, scratchDir, terraformEnv } from '../helpers/project';
import { PROVIDER_BLOCK, initialized, workspace } from '../helpers/terraform';

const pages: Array<[string, string, string]> = [
  ['docs/index.md', 'examples/provider/provider', 'ProviderExample'],
  ['docs/resources/online_migration.md', 'examples/resources/dodb_online_migration/resource', 'OnlineMigrationExample'],
  [
    'docs/data-sources/online_migration.md',
    'examples/data-sources/dodb_online_migration/data-source',
    'DataSourceExample',
  ],
];

for (const [page, stem, className] of pages) {
  test(`${page}: its TypeScript example synthesizes and its HCL example parses`, async (t) => {
    const doc = readFileSync(join(ROOT, page), 'utf8');
    const tsSource = readFileSync(join(ROOT, `${stem}.ts`), 'utf8').trimEnd();
    const hclSource = readFileSync(join(ROOT, `${stem}.tf`), 'utf8').trimEnd();
    t.true(doc.includes(tsSource), 'the page shows the TypeScript example');
    t.true(doc.includes(hclSource), 'the page shows the HCL example');

    const outdir = scratchDir(t, 'example');
    const app = new App({ outdir });
    const Stack = require(join(ROOT, stem))[className] as new (scope: App, id: string) => TerraformStack;
    new Stack(app, 'example');
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, 'stacks/example/cdk.tf.json'), 'utf8'));
    t.is(json.terraform.required_providers.dodb.source, 'dodb/dodb');

    const fmt = await run('terraform', ['fmt', '-check', '-'], {
      input: hclSource + '\n',
      env: terraformEnv('/dev/null'),
    });
    t.is(fmt.code, 0, fmt.output);
  });
}

const synthExample = (t: ExecutionContext, stem: string, className: string) => {
  const outdir = scratchDir(t, 'example');
  const app = new App({ outdir });
  new (require(join(ROOT, stem))[className] as new (scope: App, id: string) => TerraformStack)(app, 'example');
  app.synth();
  return JSON.parse(readFileSync(join(outdir, 'stacks/example/cdk.tf.json'), 'utf8'));
};

test('the CDKTF examples import the constructs from the package, as a user writes them', (t) => {
  for (const [, stem] of pages) {
    const imports = [...readFileSync(join(ROOT, `${stem}.ts`), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    t.deepEqual(
      imports.filter((i) => !['cdktf', 'constructs'].includes(i) && !i.startsWith('dodb/')),
      [],
      stem,
    );
  }
});

test('the resource example feeds password_wo from an ephemeral variable, in HCL and CDKTF alike', (t) => {
  const hcl = readFileSync(join(ROOT, 'examples/resources/dodb_online_migration/resource.tf'), 'utf8');
  t.regex(hcl, /ephemeral\s+= true/);
  t.regex(hcl, /password_wo\s+= var\.source_password/);
  t.notRegex(hcl, /\bpassword\s+=/);
  const json = synthExample(t, 'examples/resources/dodb_online_migration/resource', 'OnlineMigrationExample');
  t.is(json.variable.source_password.ephemeral, true);
  t.is(json.resource.dodb_online_migration.example.source.password_wo, '${var.source_password}');
  t.is(json.resource.dodb_online_migration.example.source.password, undefined);
});

test('the data-source example reads the cluster of the resource', (t) => {
  t.regex(
    readFileSync(join(ROOT, 'examples/data-sources/dodb_online_migration/data-source.tf'), 'utf8'),
    /cluster_id = dodb_online_migration\.example\.cluster_id/,
  );
  const json = synthExample(t, 'examples/data-sources/dodb_online_migration/data-source', 'DataSourceExample');
  t.is(json.data.dodb_online_migration.current.cluster_id, '${dodb_online_migration.example.cluster_id}');
});

test('the import page says source is not read back and generated configuration cannot fill it', (t) => {
  const page = readFileSync(join(ROOT, 'docs/resources/online_migration.md'), 'utf8');
  t.regex(page, /`source` \(and the password fields\) is not read back/);
  t.regex(page, /-generate-config-out` cannot fill\s+`source`/);
});

test('the provider page says how to install', (t) => {
  const page = readFileSync(join(ROOT, 'docs/index.md'), 'utf8');
  t.regex(page, /## Installation/);
  for (const step of [
    'npx dodb terraformrc --out',
    'npx dodb lock',
    'npx dodb lock --dir cdktf.out/stacks/',
    '"terraformProviders": ["dodb/dodb@',
  ])
    t.true(page.includes(step), step);
});

for (const [page, stem] of pages) {
  test(`${page}: its HCL example passes terraform validate`, async (t) => {
    const ws = workspace(t, { url: 'http://127.0.0.1:9', token: 'unused' });
    const hcl = readFileSync(join(ROOT, `${stem}.tf`), 'utf8');
    ws.write({ 'main.tf': hcl.includes('required_providers') ? hcl : `${PROVIDER_BLOCK}\n${hcl}` });
    await initialized(t, ws);
    const result = await ws.run(['validate']);
    t.is(result.code, 0, result.output);
  });
}
