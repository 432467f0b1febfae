import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratchDir } from '../helpers/project';
import { runOk } from '../helpers/child';
import { CLUSTER } from '../helpers/constants';
import { simulator, writes } from '../helpers/simulator';
import { workspace } from '../helpers/terraform';

test('the example CDKTF stack synthesizes with cutover, then init, validate, apply, the cutover (one DELETE) and a destroy that sends nothing', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 500 });
  const app = scratchDir(t, 'app');
  await runOk(process.execPath, ['--import=tsx', join(ROOT, 'examples/cdktf/main.ts')], { cwd: app });
  const stackDir = join(app, 'cdktf.out/stacks/dodb-example');
  const synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  t.is(synthesized.resource.dodb_online_migration.migration.cutover, '${var.cutover}');
  t.like(synthesized.variable.cutover, { type: 'bool', default: 'false' });

  const ws = workspace(t, sim);
  const inStack = (args: string[], cutover = 'false') =>
    ws.run([`-chdir=${stackDir}`, ...args], {
      TF_VAR_cluster_id: CLUSTER,
      TF_VAR_source_password: 'example-pw',
      TF_VAR_cutover: cutover,
    });
  for (const args of [['init'], ['validate'], ['apply', '-auto-approve']]) {
    const result = await inStack(args);
    t.is(result.code, 0, `${args.join(' ')}\n${result.output}`);
  }
  const outputs = async () => JSON.parse((await inStack(['output', '-json'])).stdout);
  const applied = await outputs();
  t.is(applied.migration_status.value, 'syncing');
  t.is(applied.latest_status.value, 'syncing');
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 0 });

  const cutover = await inStack(['apply', '-auto-approve'], 'true');
  t.is(cutover.code, 0, cutover.output);
  const cutOver = await outputs();
  t.is(cutOver.migration_status.value, 'done');
  t.regex(cutOver.cutover_at.value, /^\d{4}-\d\d-\d\dT/);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 });

  const destroy = await inStack(['destroy', '-auto-approve'], 'true');
  t.is(destroy.code, 0, destroy.output);
  t.deepEqual(await writes(sim), { PUT: 1, DELETE: 1 }, 'after the cutover, destroy sends nothing');
});
