import test from 'ava';
import { join } from 'node:path';
import { runOk } from '../helpers/child';
import { ROOT, scratchDir } from '../helpers/project';
import { CLUSTER } from '../helpers/constants';
import { admin, simulator } from '../helpers/simulator';
import { workspace } from '../helpers/terraform';

test('the example CDKTF stack synthesizes, then init, validate, apply and destroy against the simulator', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 500 });
  const app = scratchDir(t, 'app');
  await runOk(process.execPath, ['--import=tsx', join(ROOT, 'examples/cdktf/main.ts')], { cwd: app });
  const ws = workspace(t, sim);
  const stackDir = join(app, 'cdktf.out/stacks/dodb-example');
  const inStack = (args: string[]) =>
    ws.run([`-chdir=${stackDir}`, ...args], { TF_VAR_cluster_id: CLUSTER, TF_VAR_source_password: 'example-pw' });
  for (const args of [['init'], ['validate'], ['apply', '-auto-approve']]) {
    const result = await inStack(args);
    t.is(result.code, 0, `${args.join(' ')}\n${result.output}`);
  }
  const output = await inStack(['output', '-json']);
  const outputs = JSON.parse(output.stdout);
  t.is(outputs.migration_status.value, 'syncing');
  t.is(outputs.latest_status.value, 'syncing');
  const destroy = await inStack(['destroy', '-auto-approve']);
  t.is(destroy.code, 0, destroy.output);
  t.is(
    (await admin<Array<{ status: string }>>(sim, 'GET', 'migrations'))[0]!.status,
    'done',
    'destroying a syncing migration is its cutover',
  );
});
