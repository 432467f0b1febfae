import test, { type ExecutionContext } from 'ava';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { run, runOk, start } from './helpers/child';
import { ROOT, terraformEnv } from './helpers/project';
import { CLUSTER } from './helpers/constants';
import { simulator, writes } from './helpers/simulator';
import { workspace } from './helpers/terraform';
import { until } from './helpers/until';
import type { Simulator } from '../src/simulator/server';
import { PROVIDER_SOURCE, PROVIDER_TYPE } from '../src/version';

// These tests share cdktf.out/ and the demo's state, so they run one after the other.
const STACK_DIR = join(ROOT, 'cdktf.out/stacks/dodb-example');
/** `make demo` in its own process group, as a terminal runs it. */
const DEMO = { cwd: ROOT, env: terraformEnv('/dev/null'), group: true };

/** Runs `make TARGET` and reads the stack file it writes (before a later make removes the folder). */
async function made(target: 'hcl' | 'synth', file: string): Promise<string> {
  await runOk('make', ['-s', target], { cwd: ROOT, env: terraformEnv('/dev/null') });
  return readFileSync(join(STACK_DIR, file), 'utf8');
}
/** `make synth` once for the tests that read the JSON stack. */
let synthesized: Promise<string> | undefined;
const synthJson = () => (synthesized ??= made('synth', 'cdk.tf.json'));

test.serial('make synth writes the example stack with every migration argument', async (t) => {
  const json = JSON.parse(await synthJson());
  const migration = json.resource.dodb_online_migration.migration;
  for (const key of ['cluster_id', 'source', 'ignore_dbs', 'wait_for']) t.true(key in migration, key);
  t.deepEqual(Object.keys(migration.source).sort(), ['db_name', 'host', 'password', 'port', 'username']);
  t.is(migration.source.password, '${var.source_password}');
  t.true(json.variable.source_password.sensitive);
  t.is(json.terraform.required_providers[PROVIDER_TYPE].source, PROVIDER_SOURCE);
  t.truthy(json.data.dodb_online_migration.latest);
});

/** A stack file planned against the simulator: `terraform show -json` of the saved plan. */
async function planOf(t: ExecutionContext, sim: Simulator, file: string, content: string) {
  const ws = workspace(t, sim);
  ws.write({ [file]: content });
  // The stack's local backend points above the checkout; the plan needs no state of its own.
  const init = await ws.run(['init', `-backend-config=path=${join(ws.dir, 'terraform.tfstate')}`]);
  t.is(init.code, 0, init.output);
  const validate = await ws.run(['validate']);
  t.is(validate.code, 0, `${file}: ${validate.output}`);
  const vars = { TF_VAR_cluster_id: CLUSTER, TF_VAR_source_password: 'plan-only-password' };
  const plan = await ws.run(['plan', '-out=plan.bin'], vars);
  t.is(plan.code, 0, `${file}: ${plan.output}`);
  const shown = await ws.run(['show', '-json', 'plan.bin']);
  t.is(shown.code, 0, shown.output);
  const json = JSON.parse(shown.stdout);
  const changes = (json.resource_changes as Array<{ address: string; change: Record<string, unknown> }>).map(
    ({ address, change }) => ({
      address,
      actions: change.actions,
      after: change.after,
      after_unknown: change.after_unknown,
      after_sensitive: change.after_sensitive,
    }),
  );
  return { changes: changes.sort((a, b) => a.address.localeCompare(b.address)), outputs: json.output_changes };
}

test.serial(
  'make hcl writes a stack that validates and plans against the simulator exactly as the JSON synth does',
  async (t) => {
    const sim = await simulator(t);
    const stack = await made('hcl', 'cdk.tf');
    t.regex(stack, /resource "dodb_online_migration" "migration" \{/);
    const [hcl, json] = await Promise.all([
      planOf(t, sim, 'cdk.tf', stack),
      synthJson().then((content) => planOf(t, sim, 'cdk.tf.json', content)),
    ]);
    t.deepEqual(hcl, json);
    // What both plans must hold, so that two empty or equally broken plans do not pass.
    const migration = json.changes.find((c) => c.address === 'dodb_online_migration.migration');
    t.deepEqual(migration?.actions, ['create']);
    t.like(migration?.after, {
      cluster_id: CLUSTER,
      ignore_dbs: ['scratch'],
      wait_for: 'syncing',
      timeouts: { create: '10m' },
      source: [
        {
          host: 'legacy-db.example.com',
          port: 5432,
          db_name: 'app',
          username: 'replicator',
          password: 'plan-only-password',
        },
      ],
    });
    t.deepEqual(
      json.changes.map((c) => c.address),
      ['data.dodb_online_migration.latest', 'dodb_online_migration.migration'],
    );
    t.deepEqual(Object.keys(json.outputs).sort(), ['cutover_at', 'latest_status', 'migration_id', 'migration_status']);
    t.deepEqual(await writes(sim), { PUT: 0, DELETE: 0 }, 'a plan starts nothing');
  },
);

test.serial(
  'make demo: apply reaches syncing, prints the timeline and summary, destroys, and leaves no process',
  async (t) => {
    const demo = await run('make', ['-s', 'demo'], DEMO);
    t.is(demo.code, 0, demo.output.slice(-3000));
    t.regex(demo.output, /Running against the embedded simulator/);
    t.regex(demo.output, /resource "dodb_online_migration" "migration"/, 'the plan shows the migration in HCL');
    t.regex(demo.output, /migration [0-9a-f-]{36}: running[\s\S]*migration [0-9a-f-]{36}: syncing/);
    t.regex(
      demo.output,
      /Summary\n {2}migration [0-9a-f-]{36} on cluster [0-9a-f-]{36}\n\s+[\d.]+s {2}running\n\s+[\d.]+s {2}syncing\n {2}API requests so far: \d+ \(\d+ GET, 1 PUT\)/,
    );
    t.regex(demo.output, /Destroy complete! Resources: 1 destroyed/);
    t.regex(demo.output, /is done\./, 'stopping the syncing migration is the cutover');
    t.false(demo.output.includes('Incomplete lock file information'), 'the demo does what it tells users to do');
    t.is(demo.output.match(/^migration_status = /gm)?.length, 1, 'the outputs once, after the apply');
    t.deepEqual(processesIn(STACK_DIR), []);
  },
);

test.serial('make demo interrupted with Ctrl-C during the apply leaves no simulator or provider process', async (t) => {
  const demo = start(t, 'make', ['-s', 'demo'], DEMO);
  // Once the apply has begun: Ctrl-C reaches every process of the group, as in a terminal.
  await demo.waitFor(/Creating\.\.\./, { stream: 'stdout', ms: 150_000 });
  demo.kill('SIGINT');
  const interrupted = await demo.done;
  t.not(interrupted.code, 0);
  t.regex(interrupted.output, /Interrupted/);
  // A provider that terraform stopped may still be on its way out when make has exited.
  await until(
    'the providers to exit',
    async () => (processesIn(STACK_DIR).length === 0 ? true : undefined),
    10_000,
  ).catch(() => undefined);
  t.deepEqual(processesIn(STACK_DIR), [], 'no provider left');
  t.false(interrupted.output.includes('Destroy complete'));
});

/** Processes whose working directory is `dir`: the providers terraform started there. */
function processesIn(dir: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const cwd = readlinkSync(`/proc/${pid}/cwd`);
        return cwd === dir && existsSync(`/proc/${pid}/cmdline`)
          ? [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')]
          : [];
      } catch {
        return [];
      }
    });
}
