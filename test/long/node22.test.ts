import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratchDir } from '../helpers/project';
import { sh } from '../helpers/package';
import { requests, simulator } from '../helpers/simulator';
import { initialized, migrationConfig, workspace } from '../helpers/terraform';
import { nodeFromNpm } from './node';

test('under Node 22 the provider runs terraform init, apply and destroy, and the CLI runs', async (t) => {
  const node22 = await nodeFromNpm(t, 22);
  const PATH = `${node22}:${process.env.PATH}`;
  const cache = scratchDir(t, 'node22-cache');
  const sim = await simulator(t, { syncDelayMs: 500 });
  const ws = workspace(t, sim);
  ws.write({ 'main.tf': migrationConfig() });
  await initialized(t, ws);
  const env = { PATH, XDG_CACHE_HOME: cache };
  const apply = await ws.run(['apply', '-auto-approve'], env);
  t.is(apply.code, 0, apply.output);
  t.regex(apply.output, /Apply complete! Resources: 1 added/);
  const destroy = await ws.run(['destroy', '-auto-approve'], env);
  t.is(destroy.code, 0, destroy.output);
  t.deepEqual(
    (await requests(sim)).filter((r) => r.method !== 'GET').map((r) => r.method),
    ['PUT', 'DELETE'],
  );
  // The launcher names its code cache by the Node version that ran it.
  t.true(
    readdirSync(join(cache, 'dodb')).some((f) => /-v22\.\d+\.\d+\.cache$/.test(f)),
    readdirSync(join(cache, 'dodb')).join(' '),
  );
  t.regex(await sh(ROOT, join(node22, 'node'), [join(ROOT, 'dist/dodb.js'), 'version']), /^dodb \d/);
});
