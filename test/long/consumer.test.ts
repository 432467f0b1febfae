import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/project';
import { installedCopies, sh, sharedTarball, userProject } from '../helpers/package';

const tarball = sharedTarball(test);
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * The ends of the peer ranges: the oldest releases they admit (cdktf 0.19 brought ImportableResource,
 * which the bindings' generateConfigForImport returns; 0.18's types lack it) and the newest of each.
 */
const ENDS = {
  low: { cdktf: '0.19.0', constructs: '10.0.25' },
  high: { cdktf: '0.21.0', constructs: '10.8.1' },
};

/** A user's app: the package's main entry and one subpath per construct, as the docs show them. */
const APP = `import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { DodbProvider, OnlineMigration } from 'dodb';
import { DataDodbOnlineMigration } from 'dodb/data-dodb-online-migration';
import { OnlineMigration as SameClass } from 'dodb/online-migration';
import { DodbProvider as SameProvider } from 'dodb/provider';

const app = new App();
const stack = new TerraformStack(app, 'users');
new DodbProvider(stack, 'dodb', { httpRetryMax: 2 });
const migration = new OnlineMigration(stack, 'orders', {
  clusterId: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
  source: { host: 'legacy-db.example.com', port: 5432, dbName: 'orders' },
});
const current = new DataDodbOnlineMigration(stack, 'current', { clusterId: migration.clusterId });
new TerraformOutput(stack, 'status', { value: current.status });
if (SameClass !== OnlineMigration || SameProvider !== DodbProvider) throw new Error('a subpath gave another copy of a class');
app.synth();
`;

test('the package declares peers, no runtime dependencies, and ships only what it needs', (t) => {
  t.is(manifest.private, undefined);
  t.is(manifest.dependencies, undefined, 'the provider and CLI are bundled: nothing to install at run time');
  t.deepEqual(Object.keys(manifest.peerDependencies).sort(), ['cdktf', 'cdktn', 'constructs']);
  t.deepEqual(Object.keys(manifest.exports).sort(), [
    '.',
    './cdktn',
    './cdktn/data-dodb-online-migration',
    './cdktn/online-migration',
    './cdktn/provider',
    './data-dodb-online-migration',
    './online-migration',
    './package.json',
    './provider',
  ]);
});

for (const [end, versions] of Object.entries(ENDS)) {
  test(`a CDKTF project with cdktf ${versions.cdktf} and constructs ${versions.constructs} installs the packed tarball and synthesizes under ts-node, tsx and tsc output`, async (t) => {
    t.timeout(10 * 60_000);
    const dir = await userProject(t, `consumer-${end}`, { dodb: `file:${await tarball()}`, ...versions });
    t.deepEqual(
      await installedCopies(dir, 'constructs'),
      [join(dir, 'node_modules/constructs')],
      "one constructs, the user's",
    );
    t.deepEqual(await installedCopies(dir, 'cdktf'), [join(dir, 'node_modules/cdktf')]);
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules/dodb/package.json'), 'utf8'));
    t.is(installed.dependencies, undefined);
    writeFileSync(join(dir, 'main.ts'), APP);

    const synthesized = () => JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/users/cdk.tf.json'), 'utf8'));
    const runs: Array<[string, () => Promise<unknown>]> = [
      ['ts-node', () => sh(dir, 'npx', ['ts-node', 'main.ts'])],
      ['tsx', () => sh(dir, 'npx', ['tsx', 'main.ts'])],
      // The package's own declarations type-check against this cdktf too, not only the user's code.
      [
        'tsc',
        async () => {
          await sh(dir, 'npx', ['tsc', '--skipLibCheck', 'false']);
          await sh(dir, process.execPath, ['main.js']);
        },
      ],
    ];
    for (const [runner, synth] of runs) {
      await synth();
      const json = synthesized();
      t.is(json.terraform.required_providers.dodb.source, 'dodb/dodb', runner);
      t.is(json.resource.dodb_online_migration.orders.source.db_name, 'orders', runner);
      t.is(json.data.dodb_online_migration.current.cluster_id, '${dodb_online_migration.orders.cluster_id}', runner);
      t.is(json.provider.dodb[0].http_retry_max, 2, runner);
    }
  });
}
