import test from 'ava';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORMS, VERSION } from '../src/version';
import { run, runOk } from './helpers/child';
import { ROOT, scratchDir, terraformEnv } from './helpers/project';
import { httpsMirror } from './helpers/https-mirror';
import { runSample } from './helpers/shell-sample';
import { cdktnApp, checkout, ofKind, only, samples } from './helpers/readme';
import { outsideDir } from './helpers/package';
import { CLUSTER } from './helpers/constants';
import { simulator } from './helpers/simulator';
import { platformPackages } from '../src/release/provider-package';
import { PROVIDER_BLOCK, initialized, workspace } from './helpers/terraform';

// Every README sample runs here, in `make test`, except the two installs of a CDK command line tool
// into a fresh project, hundreds of megabytes from the npm registry: install-cdktf and cdktf-get in
// test/long/readme-cdktf.test.ts, install-cdktn and cdktn-get (cdktn-cli needs Node 22.19+) in
// test/long/cdktn.test.ts (`make test-long`). The apps they deploy are synthesized here.
test('every code sample in the README is marked with the kind of test that runs it', (t) => {
  for (const sample of samples) t.truthy(sample.kind, `sample ${sample.index} has no marker:\n${sample.code}`);
  t.deepEqual([...new Set(samples.map((s) => s.kind))].sort(), [
    'cdktf-get',
    'cdktf-json',
    'cdktn-get',
    'dodb',
    'hcl',
    'install-cdktf',
    'install-cdktn',
    'install-hcl',
    'make',
    'netmirror',
    'teams',
    'terraformrc',
    'typescript',
  ]);
});

test('the make commands are targets of the Makefile', async (t) => {
  const targets = ofKind('make').flatMap((s) => [...s.code.matchAll(/^make (\S+)/gm)].map((m) => m[1]!));
  t.deepEqual(targets, ['demo', 'test', 'synth', 'hcl']);
  // One make reads the Makefile once for all of them, and fails if any is not a target.
  const dryRun = await run('make', ['-n', ...targets], { cwd: ROOT });
  t.is(dryRun.code, 0, dryRun.output);
});

test('the CLI configuration shown is the one make provider writes', (t) => {
  const [sample] = ofKind('terraformrc');
  t.is(sample!.code.replace('/path/to/dodb', ROOT), readFileSync(join(ROOT, 'dist/terraformrc'), 'utf8'));
});

for (const sample of ofKind('hcl')) {
  test(`HCL sample ${sample.index} passes terraform validate`, async (t) => {
    const sim = await simulator(t);
    const ws = workspace(t, sim);
    ws.write({
      'main.tf': sample.code.includes('required_providers') ? sample.code : `${PROVIDER_BLOCK}\n${sample.code}`,
    });
    await initialized(t, ws);
    const result = await ws.run(['validate']);
    t.is(result.code, 0, result.output);
  });
}

for (const sample of ofKind('typescript')) {
  test(`TypeScript sample ${sample.index} synthesizes`, async (t) => {
    const dir = scratchDir(t, 'readme-app');
    // Inside the checkout `dodb/...` is the package itself (self-reference through its exports).
    writeFileSync(join(dir, 'app.ts'), sample.code);
    await runOk(process.execPath, ['--import=tsx', join(dir, 'app.ts')], { cwd: dir });
    const json = JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/migration/cdk.tf.json'), 'utf8'));
    t.is(json.resource.dodb_online_migration.orders.source.password_wo, '${var.source_password}');
    t.true(json.variable.source_password.ephemeral, 'the password variable is ephemeral');
  });
}

test('the TypeScript sample for CDK Terrain (cdktn, dodb/cdktn/...) synthesizes the same configuration as for cdktf', async (t) => {
  const dir = scratchDir(t, 'readme-app'); // one folder: the local backend's path is in the JSON
  const synth = async (code: string) => {
    writeFileSync(join(dir, 'app.ts'), code);
    await runOk(process.execPath, ['--import=tsx', join(dir, 'app.ts')], { cwd: dir });
    const { '//': _metadata, ...json } = JSON.parse(
      readFileSync(join(dir, 'cdktf.out/stacks/migration/cdk.tf.json'), 'utf8'),
    );
    return json;
  };
  t.true(
    require.resolve('dodb/cdktn').endsWith('dist/cdktn/index.js'),
    'the package itself, as a cdktn app imports it',
  );
  t.deepEqual(await synth(cdktnApp()), await synth(only('typescript')));
});

for (const sample of ofKind('dodb')) {
  test(`CLI sample ${sample.index} runs against the simulator`, async (t) => {
    const sim = await simulator(t, { syncDelayMs: 500 });
    const dir = scratchDir(t, 'readme-cli');
    mkdirSync(join(dir, 'bin'));
    symlinkSync(join(ROOT, 'dist/dodb.js'), join(dir, 'bin/dodb'));
    const env = terraformEnv('/dev/null', {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      DIGITALOCEAN_API_URL: sim.url,
      DIGITALOCEAN_TOKEN: sim.token,
      CLUSTER,
      SOURCE_PASSWORD: 'readme-password',
      TMPDIR: dir,
    });
    const output = await runSample(t, sample.code, dir, env);
    t.false(output.includes('readme-password'));
  });
}

test('install for plain HCL: the packed tarball, its CLI configuration and lock file, then terraform init with nothing missing', async (t) => {
  t.timeout(5 * 60_000);
  const dir = outsideDir(t, 'readme-hcl');
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  writeFileSync(join(dir, 'main.tf'), ofKind('hcl')[0]!.code);
  const env = { TF_CLI_CONFIG_FILE: '' };
  const output = await runSample(t, checkout(only('install-hcl')), dir, env);
  t.true(output.includes('Terraform has been successfully initialized'), output);
  t.false(output.includes('Incomplete lock file information'), output);
  t.false(existsSync(join(dir, 'node_modules/cdktf')), 'an HCL user gets no CDK libraries');
  const lock = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
  t.regex(lock, /"zh:[0-9a-f]{64}"/);
  t.true(readFileSync(join(dir, '.terraformrc'), 'utf8').includes(join(dir, 'node_modules/dodb/dist/mirror')));
});

test('for a team: terraform providers lock against the release served over HTTPS records every platform, and init installs from it with nothing missing', async (t) => {
  t.timeout(5 * 60_000);
  const mirror = await httpsMirror(t, join(ROOT, 'dist/release/mirror'));
  const dir = scratchDir(t, 'readme-teams');
  const toMirror = (code: string) => checkout(code).replaceAll('https://terraform-mirror.example.com/', mirror.url);
  writeFileSync(join(dir, 'terraformrc'), toMirror(only('netmirror')));
  writeFileSync(
    join(dir, 'main.tf'),
    `${PROVIDER_BLOCK.replace('source = "dodb/dodb"', `source = "dodb/dodb", version = "${VERSION}"`)}`,
  );
  const output = await runSample(t, toMirror(only('teams')), dir, {
    TF_CLI_CONFIG_FILE: join(dir, 'terraformrc'),
    SSL_CERT_FILE: mirror.caFile,
  });

  for (const platform of PLATFORMS) {
    t.true(
      mirror.served.includes(`/registry.terraform.io/dodb/dodb/terraform-provider-dodb_${VERSION}_${platform}.zip`),
      `${platform} fetched and hashed`,
    );
  }
  // A mirror's zips are not signed, so Terraform records the h1: it computed from each platform's zip
  // (one and the same: the provider is one Node script), checked against the mirror's zh:.
  const lock = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
  const h1 = [...new Set(platformPackages(join(ROOT, 'dist/mirror'), VERSION).map((p) => p.h1))];
  t.deepEqual(
    [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]),
    h1,
  );
  t.true(output.includes(`Installed dodb/dodb v${VERSION}`), output);
  t.false(output.includes('Incomplete lock file information'), output);
});
