import test from 'ava';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_ROUTES } from '../../src/simulator/admin-routes';
import { ROOT, scratchDir, terraformEnv } from '../helpers/project';
import { runSample } from '../helpers/shell-sample';
import { CLUSTER } from '../helpers/constants';
import { simulator } from '../helpers/simulator';
import { workspace } from '../helpers/terraform';

const GUIDE = readFileSync(join(ROOT, 'docs/guides/testing-with-the-simulator.md'), 'utf8');
const blocks = [...GUIDE.matchAll(/<!-- guide: sh -->\n\n?```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const EXAMPLE = join(ROOT, 'examples/terraform-test');

/** `POST /_sim/clusters/{id}/migration` from the route's pattern. */
const routeName = ([method, pattern]: (typeof ADMIN_ROUTES)[number]) =>
  `${method} ${pattern.source
    .replace(/^\^|\$$/g, '')
    .replaceAll('\\/', '/')
    .replaceAll('([^/]+)', '{id}')}`;

test('the guide documents every admin route of the simulator, and runs every shell block it shows', (t) => {
  t.is(blocks.length, GUIDE.match(/```sh/g)?.length ?? 0, 'every shell block is marked to run');
  for (const route of ADMIN_ROUTES) t.true(GUIDE.includes(`\`${routeName(route)}\``), routeName(route));
});

test("the guide's shell blocks run in order: examples/terraform-test passes twice in a row against one simulator, then with a fresh cluster", async (t) => {
  t.timeout(4 * 60_000);
  const dir = scratchDir(t, 'guide');
  mkdirSync(join(dir, 'bin'));
  symlinkSync(join(ROOT, 'dist/dodb.js'), join(dir, 'bin/dodb'));
  cpSync(EXAMPLE, join(dir, 'examples/terraform-test'), { recursive: true });
  const env = terraformEnv(join(ROOT, 'dist/terraformrc'), {
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    SOURCE_PASSWORD: 'guide-password',
    TMPDIR: dir,
  });
  const output = await runSample(t, blocks.join('\n'), dir, env);
  t.is(output.match(/Success!\S* 2 passed, 0 failed\./g)?.length, 3, output);
  t.regex(output, /\["PUT","\/v2\/databases\/[^"]+\/online-migration",200\]/, 'the request log shows the starts');
  t.false(output.includes('guide-password'));
});

test('without a reset, the second terraform test of the example against the same simulator is refused: the first one cut over', async (t) => {
  t.timeout(3 * 60_000);
  const sim = await simulator(t, { syncDelayMs: 500 });
  const ws = workspace(t, sim);
  cpSync(EXAMPLE, ws.dir, { recursive: true });
  const env = { TF_VAR_cluster_id: CLUSTER, TF_VAR_source_password: 'guide-password' };
  t.is((await ws.run(['init'])).code, 0);
  const first = await ws.run(['test'], env);
  t.is(first.code, 0, first.output);
  const second = await ws.run(['test'], env);
  t.is(second.code, 1, second.output);
  t.regex(second.output, /Cluster was cut over/);
});
