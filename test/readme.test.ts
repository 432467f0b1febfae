import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, scratchDir, terraformEnv } from './helpers/project';
import { CLUSTER, simulator } from './helpers/simulator';
import { PROVIDER_BLOCK, initialized, workspace } from './helpers/terraform';

/** Every fenced block of the README, with the kind its `<!-- sample: KIND -->` marker gives. */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const samples = [...README.matchAll(/(?:<!-- sample: ([a-z]+) -->\n)?```[a-z]*\n([\s\S]*?)```/g)].map((m, index) => ({ kind: m[1], code: m[2]!, index }));
const ofKind = (kind: string) => samples.filter((s) => s.kind === kind);

test('every code sample in the README is marked with the kind of test that runs it', (t) => {
  t.true(samples.length >= 8);
  for (const sample of samples) t.truthy(sample.kind, `sample ${sample.index} has no marker:\n${sample.code}`);
  t.deepEqual([...new Set(samples.map((s) => s.kind))].sort(), ['dodb', 'hcl', 'make', 'terraformrc', 'typescript']);
});

test('the make commands are targets of the Makefile', (t) => {
  const targets = ofKind('make').flatMap((s) => [...s.code.matchAll(/^make (\S+)/gm)].map((m) => m[1]!));
  t.deepEqual(targets, ['demo', 'test', 'synth', 'hcl']);
  for (const target of targets) t.notThrows(() => execFileSync('make', ['-n', target], { cwd: ROOT, stdio: 'ignore' }), target);
});

test('the CLI configuration shown is the one make provider writes', (t) => {
  const [sample] = ofKind('terraformrc');
  t.is(sample!.code.replace('/path/to/dodb', ROOT), readFileSync(join(ROOT, 'dist/terraformrc'), 'utf8'));
});

for (const sample of ofKind('hcl')) {
  test(`HCL sample ${sample.index} passes terraform validate`, async (t) => {
    const sim = await simulator(t);
    const ws = workspace(t, sim);
    ws.write({ 'main.tf': sample.code.includes('required_providers') ? sample.code : `${PROVIDER_BLOCK}\n${sample.code}` });
    await initialized(t, ws);
    const result = await ws.run(['validate']);
    t.is(result.code, 0, result.output);
  });
}

for (const sample of ofKind('typescript')) {
  test(`TypeScript sample ${sample.index} synthesizes`, (t) => {
    const dir = scratchDir(t, 'readme-app');
    const generated = relative(dir, join(ROOT, 'generated'));
    writeFileSync(join(dir, 'app.ts'), sample.code.replace(/'\.\/generated\//g, `'${generated}/`));
    execFileSync(process.execPath, ['--import=tsx', join(dir, 'app.ts')], { cwd: dir });
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
      DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token, CLUSTER, SOURCE_PASSWORD: 'readme-password', SCRATCH: dir,
    });
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('bash', ['-e', '-c', sample.code], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      child.on('close', (code) => resolve({ code, output }));
    });
    t.is(result.code, 0, result.output);
    t.false(result.output.includes('readme-password'));
  });
}
