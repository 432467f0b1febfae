import test from 'ava';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../src/version';
import { DODB } from '../helpers/built-provider';
import { run, runOk } from '../helpers/child';
import { NO_API } from '../helpers/constants';
import { ROOT, scratchDir } from '../helpers/project';
import { initialized, workspace } from '../helpers/terraform';

/** The CLI's stdout; it must exit 0. */
const dodb = async (...args: string[]) => (await runOk(DODB, args)).stdout;
const CONFIG = `terraform {\n  required_providers {\n    dodb = {\n      source  = "dodb/dodb"\n      version = "${VERSION}"\n    }\n  }\n}\n`;
const OTHER = `provider "registry.terraform.io/hashicorp/null" {\n  version = "3.2.4"\n  hashes = [\n    "h1:example=",\n  ]\n}\n`;

test('dodb terraformrc prints the configuration of this installation, and --out writes it', async (t) => {
  const printed = await dodb('terraformrc');
  t.true(printed.includes(`path    = "${join(ROOT, 'dist/mirror')}"`), printed);
  t.is(printed, readFileSync(join(ROOT, 'dist/terraformrc'), 'utf8'));
  const file = join(scratchDir(t, 'rc'), 'terraformrc');
  t.regex(await dodb('terraformrc', '--out', file), new RegExp(`export TF_CLI_CONFIG_FILE=${file}`));
  t.is(readFileSync(file, 'utf8'), printed);
});

test('terraform init accepts the lock file dodb lock writes, adds nothing and warns of nothing', async (t) => {
  const ws = workspace(t, NO_API);
  ws.write({ 'main.tf': CONFIG });
  t.regex(await dodb('lock', '--dir', ws.dir), /linux_amd64, linux_arm64/);
  const lock = readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8');
  t.is(lock.match(/"zh:/g)?.length, 1, 'one zip, the same bytes for every platform');
  t.is(lock.match(/"h1:/g)?.length, 1);
  const init = await ws.run(['init']);
  t.is(init.code, 0, init.output);
  t.false(init.output.includes('Incomplete lock file information'), init.output);
  t.is(readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8'), lock);
});

test('dodb lock writes the constraint of the configuration in --dir, in the form terraform init keeps as it is', async (t) => {
  const ws = workspace(t, NO_API);
  ws.write({ 'main.tf': CONFIG.replace(`version = "${VERSION}"`, 'version = "~> 0.1, < 1.0"') });
  await dodb('lock', '--dir', ws.dir);
  const lock = readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8');
  t.regex(lock, /constraints = "~> 0\.1, < 1\.0\.0"/, 'in the normalized form Terraform requires');
  const init = await ws.run(['init']);
  t.is(init.code, 0, init.output);
  t.is(readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8'), lock);
});

test('dodb lock reads the constraint of a synthesized CDKTF stack (cdk.tf.json)', async (t) => {
  const dir = scratchDir(t, 'lock-json');
  const stack = { terraform: { required_providers: { dodb: { source: 'dodb/dodb', version: '>= 0.1.0' } } } };
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack));
  await dodb('lock', '--dir', dir);
  t.regex(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8'), /constraints = ">= 0\.1\.0"/);
});

test('dodb lock keeps the other providers of an existing lock file and replaces its own entry', async (t) => {
  const ws = workspace(t, NO_API);
  ws.write({ 'main.tf': CONFIG });
  await initialized(t, ws); // terraform's own lock: h1: of this platform only
  const path = join(ws.dir, '.terraform.lock.hcl');
  writeFileSync(path, readFileSync(path, 'utf8') + '\n' + OTHER);
  await dodb('lock', '--dir', ws.dir);
  const lock = readFileSync(path, 'utf8');
  t.true(lock.includes(OTHER));
  t.is(lock.match(/provider "registry.terraform.io\/dodb\/dodb"/g)?.length, 1);
  t.true(lock.includes('"zh:'));
});

test('dodb lock rejects a constraint that is not one, naming the flag', async (t) => {
  const result = await run(DODB, ['lock', '--dir', scratchDir(t, 'lock'), '--constraints', '"; rm -rf /']);
  t.is(result.code, 2);
  t.regex(result.stderr, /--constraints must be a Terraform version constraint/);
});

test('without node on the PATH terraform installs the provider but cannot start it, and says the plugin may not suit the architecture', async (t) => {
  const bin = scratchDir(t, 'terraform-only');
  symlinkSync((await runOk('which', ['terraform'])).stdout.trim(), join(bin, 'terraform'));
  const ws = workspace(t, NO_API);
  ws.write({ 'main.tf': `${CONFIG}\nprovider "dodb" {}\n` });
  await dodb('lock', '--dir', ws.dir);
  t.is((await ws.run(['init'], { PATH: bin })).code, 0);
  const validate = await ws.run(['validate'], { PATH: bin });
  t.is(validate.code, 1);
  t.regex(validate.output, /Failed to read any lines from plugin's stdout[\s\S]*not compiled for this architecture/);
});

/** A folder with a `node` that reports an older version than `engines` asks for (the real node underneath). */
function oldNodeOnPath(t: Parameters<typeof scratchDir>[0]): string {
  const bin = scratchDir(t, 'old-node');
  writeFileSync(join(bin, 'pretend-18.js'), "Object.defineProperty(process.versions, 'node', { value: '18.20.8' });\n");
  writeFileSync(
    join(bin, 'node'),
    `#!/bin/sh\nexec ${process.execPath} --require ${join(bin, 'pretend-18.js')} "$@"\n`,
    {
      mode: 0o755,
    },
  );
  return `${bin}:${process.env.PATH}`;
}

test('with a node older than engines first on the PATH, terraform shows why the provider cannot start', async (t) => {
  const ws = workspace(t, NO_API);
  ws.write({ 'main.tf': `${CONFIG}\nprovider "dodb" {}\n` });
  await dodb('lock', '--dir', ws.dir);
  t.is((await ws.run(['init'])).code, 0);
  const validate = await ws.run(['validate'], { PATH: oldNodeOnPath(t) });
  t.is(validate.code, 1);
  t.regex(
    validate.output.replace(/\s+/g, ' '),
    /Unrecognized remote plugin message: the dodb provider needs Node\.js 20\.19 or later, but the node on the PATH \(.*\) is 18\.20\.8/,
  );
});

test('with a node older than engines first on the PATH, the CLI stops at once and says so', async (t) => {
  const old = await run(join(ROOT, 'dist/dodb.js'), ['version'], { env: { ...process.env, PATH: oldNodeOnPath(t) } });
  t.is(old.code, 1);
  t.is(old.stdout, '');
  t.regex(old.stderr, /^dodb: the dodb CLI needs Node\.js 20\.19 or later, but the node on the PATH .* is 18\.20\.8/);
});
