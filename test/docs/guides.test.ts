import test, { type ExecutionContext } from 'ava';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../helpers/child';
import { ROOT, scratchDir } from '../helpers/project';
import { CLUSTER } from '../helpers/constants';
import { simulator, writes } from '../helpers/simulator';
import { PROVIDER_BLOCK, initialized, resourceInstance, workspace } from '../helpers/terraform';

/** The guides under docs/guides/: every fenced block carries a `<!-- guide: KIND -->` marker and runs here. */

const GUIDES = join(ROOT, 'docs/guides');

function blocksOf(file: string) {
  const text = readFileSync(join(GUIDES, file), 'utf8');
  return [...text.matchAll(/(?:<!-- guide: ([a-z-]+) -->\n\n?)?```[a-z]*\n([\s\S]*?)```/g)].map((m) => ({
    kind: m[1],
    code: m[2]!,
  }));
}

const only = (file: string, kind: string) => {
  const found = blocksOf(file).filter((b) => b.kind === kind);
  if (found.length !== 1) throw new Error(`${file} needs exactly one ${kind} block`);
  return found[0]!.code;
};

const flat = (text: string) => text.replace(/\s+/g, ' ');

test('every code block of the guides is marked with the way it runs', (t) => {
  const files = readdirSync(GUIDES).filter((f) => f.endsWith('.md'));
  t.deepEqual(files.sort(), ['cutover.md', 'migrating-from-digitalocean.md', 'testing-with-the-simulator.md']);
  for (const file of files) for (const block of blocksOf(file)) t.truthy(block.kind, `${file}:\n${block.code}`);
});

/** A shell block, run by bash -e with `dodb` on the PATH against the simulator. */
async function shell(t: ExecutionContext, code: string, env: NodeJS.ProcessEnv) {
  const dir = scratchDir(t, 'guide-sh');
  mkdirSync(join(dir, 'bin'));
  symlinkSync(join(ROOT, 'dist/dodb.js'), join(dir, 'bin/dodb'));
  const path = `${join(dir, 'bin')}:${process.env.PATH}`;
  await runOk('bash', ['-e', '-c', code], { cwd: dir, env: { PATH: path, CLUSTER, ...env } });
}

test('cutover guide: start, watch and check, flip cutover (one DELETE, then no changes), then the CLI refuses a second stop', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 500 });
  const ws = workspace(t, sim);
  const api = { DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token };
  const vars = { TF_VAR_source_password: 'guide-password' };
  ws.write({ 'main.tf': `${PROVIDER_BLOCK}\n${only('cutover.md', 'hcl-start')}` });
  await initialized(t, ws);
  const [command, ...args] = only('cutover.md', 'terraform').trim().split(' ');
  t.is(command, 'terraform');
  const start = await ws.run([...args, '-auto-approve'], vars);
  t.is(start.code, 0, start.output);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });

  const [watch, stop] = blocksOf('cutover.md').filter((b) => b.kind === 'sh');
  await shell(t, watch!.code, api);

  ws.write({ 'main.tf': `${PROVIDER_BLOCK}\n${only('cutover.md', 'hcl-cutover')}` });
  const plan = await ws.run(['plan'], vars);
  t.regex(flat(plan.output), /cutover = false -> true.*Warning: Cutover planned/);
  const cutover = await ws.run(['apply', '-auto-approve'], vars);
  t.is(cutover.code, 0, cutover.output);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 });
  t.like(resourceInstance(ws.state())!.attributes, { cutover: true, status: 'done' });
  t.is((await ws.run(['plan', '-detailed-exitcode'], vars)).code, 0);

  await shell(t, stop!.code, api);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 }, 'a migration already done is not stopped again');
});

test('cutover guide: the CDKTF app synthesizes cutover from a variable', async (t) => {
  const dir = scratchDir(t, 'guide-app');
  writeFileSync(join(dir, 'app.ts'), only('cutover.md', 'typescript'));
  await runOk(process.execPath, ['--import=tsx', join(dir, 'app.ts')], { cwd: dir });
  const json = JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/migration/cdk.tf.json'), 'utf8'));
  t.is(json.resource.dodb_online_migration.orders.cutover, '${var.cutover}');
  t.deepEqual(json.resource.dodb_online_migration.orders.timeouts, { create: '45m', update: '2h' });
});

test('migrating guide: the moved block and the configuration validate', async (t) => {
  const sim = await simulator(t);
  const ws = workspace(t, sim);
  const file = 'migrating-from-digitalocean.md';
  ws.write({ 'main.tf': `${only(file, 'hcl-providers')}\n${only(file, 'hcl-moved')}` });
  await initialized(t, ws);
  const validate = await ws.run(['validate']);
  t.is(validate.code, 0, validate.output);
});
