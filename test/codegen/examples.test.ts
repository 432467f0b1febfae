import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ROOT, scratchDir, terraformEnv } from '../helpers/project';

const pages: Array<[string, string, string]> = [
  ['docs/index.md', 'examples/provider/provider', 'ProviderExample'],
  ['docs/resources/online_migration.md', 'examples/resources/dodb_online_migration/resource', 'OnlineMigrationExample'],
  ['docs/data-sources/online_migration.md', 'examples/data-sources/dodb_online_migration/data-source', 'DataSourceExample'],
];

for (const [page, stem, className] of pages) {
  test(`${page}: its TypeScript example synthesizes and its HCL example parses`, (t) => {
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

    t.notThrows(() => execFileSync('terraform', ['fmt', '-check', '-'], { input: hclSource + '\n', env: terraformEnv('/dev/null') }));
  });
}
