import test, { type ExecutionContext } from 'ava';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORMS, VERSION } from './helpers/built-provider';
import { run, runOk } from './helpers/child';
import { ROOT, scratchDir, terraformEnv } from './helpers/project';
import { httpsMirror } from './helpers/https-mirror';
import { installedCopies, outsideDir, userProject } from './helpers/package';
import { CLUSTER } from './helpers/constants';
import { requests, simulator } from './helpers/simulator';
import { platformPackages } from '../src/release/provider-package';
import { PROVIDER_BLOCK, initialized, workspace } from './helpers/terraform';

/** Every fenced block of the README, with the kind its `<!-- sample: KIND -->` marker gives. */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const samples = [...README.matchAll(/(?:<!-- sample: ([a-z-]+) -->\n)?```[a-z]*\n([\s\S]*?)```/g)].map((m, index) => ({
  kind: m[1],
  code: m[2]!,
  index,
}));
const ofKind = (kind: string) => samples.filter((s) => s.kind === kind);

test('every code sample in the README is marked with the kind of test that runs it', (t) => {
  for (const sample of samples) t.truthy(sample.kind, `sample ${sample.index} has no marker:\n${sample.code}`);
  t.deepEqual([...new Set(samples.map((s) => s.kind))].sort(), [
    'cdktf-get',
    'cdktf-json',
    'dodb',
    'hcl',
    'install-cdktf',
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
  for (const target of targets) t.is((await run('make', ['-n', target], { cwd: ROOT })).code, 0, target);
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
    t.is(json.resource.dodb_online_migration.orders.source.password, '${var.source_password}');
  });
}

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
      SCRATCH: dir,
    });
    const output = await runSample(t, sample.code, dir, env);
    t.false(output.includes('readme-password'));
  });
}

const only = (kind: string) => {
  const [sample, ...more] = ofKind(kind);
  if (!sample || more.length > 0) throw new Error(`the README needs exactly one ${kind} sample`);
  return sample.code;
};
const checkout = (code: string) => code.replaceAll('/path/to/dodb', ROOT);

/**
 * A README shell sample, run by bash -e in a folder, in a process group of its own: whatever it left
 * running in the background (and holding its output open) is stopped once bash exits. Resolves with
 * the output; a non-zero exit fails the test.
 */
async function runSample(t: ExecutionContext, code: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run('bash', ['-e', '-c', code], {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1', ...env },
    group: true,
    stopGroupOnExit: true,
  });
  t.is(result.code, 0, result.output);
  return result.output;
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

test('install for CDKTF: cdktf-cli 0.21 deploys the README app on the first try and destroys it; cdktf get generates the same API', async (t) => {
  t.timeout(10 * 60_000);
  const dir = await userProject(t, 'readme-cdktf', { cdktf: '0.21.0', constructs: '10.4.2', 'cdktf-cli': '0.21.0' });
  const app = only('typescript');
  writeFileSync(join(dir, 'main.ts'), app);
  writeFileSync(join(dir, 'cdktf.json'), only('cdktf-json'));
  const sim = await simulator(t, { syncDelayMs: 500 });
  const env = {
    DIGITALOCEAN_API_URL: sim.url,
    DIGITALOCEAN_TOKEN: sim.token,
    TF_VAR_source_password: 'readme-password',
    CI: 'true',
    TF_CLI_CONFIG_FILE: '',
  };

  const output = await runSample(t, checkout(only('install-cdktf')), dir, env);
  t.regex(output, /Apply complete! Resources: 1 added/);
  t.regex(output, /Destroy complete! Resources: 1 destroyed/);
  t.false(output.includes('readme-password'));
  t.deepEqual(await installedCopies(dir, 'constructs'), [join(dir, 'node_modules/constructs')]);
  const calls = (await requests(sim)).map((r) => r.method);
  t.true(calls.includes('PUT') && calls.includes('DELETE'), calls.join(' '));
  t.regex(
    readFileSync(join(dir, 'cdktf.out/stacks/migration/.terraform.lock.hcl'), 'utf8'),
    /"zh:/,
    'deploy kept the lock file dodb wrote',
  );
  const fromPackage = readFileSync(join(dir, 'cdktf.out/stacks/migration/cdk.tf.json'), 'utf8');

  await runSample(t, only('cdktf-get'), dir, { ...env, TF_CLI_CONFIG_FILE: join(dir, '.terraformrc') });
  writeFileSync(join(dir, 'main.ts'), app.replaceAll("from 'dodb/", "from './.gen/providers/dodb/"));
  await runSample(t, 'npx ts-node main.ts', dir, env);
  const withoutMetadata = (text: string) =>
    JSON.stringify(JSON.parse(text), (key, value) => (key === '//' ? undefined : value));
  t.is(
    withoutMetadata(readFileSync(join(dir, 'cdktf.out/stacks/migration/cdk.tf.json'), 'utf8')),
    withoutMetadata(fromPackage),
  );
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
