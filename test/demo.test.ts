import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, terraformEnv } from './helpers/project';

// These tests share cdktf.out/ and the demo's state, so they run one after the other.
const STACK_DIR = join(ROOT, 'cdktf.out/stacks/dodb-example');

test.serial('make synth writes the example stack with every migration argument', (t) => {
  execFileSync('make', ['-s', 'synth'], { cwd: ROOT, env: terraformEnv('/dev/null') });
  const json = JSON.parse(readFileSync(join(STACK_DIR, 'cdk.tf.json'), 'utf8'));
  const migration = json.resource.dodb_online_migration.migration;
  for (const key of ['cluster_id', 'source', 'ignore_dbs', 'wait_for']) t.true(key in migration, key);
  t.deepEqual(Object.keys(migration.source).sort(), ['db_name', 'host', 'password', 'port', 'username']);
  t.is(migration.source.password, '${var.source_password}');
  t.true(json.variable.source_password.sensitive);
  t.is(json.terraform.required_providers.dodb.source, 'dodb/dodb');
  t.truthy(json.data.dodb_online_migration.latest);
});

test.serial('make hcl writes the stack as formatted HCL', (t) => {
  execFileSync('make', ['-s', 'hcl'], { cwd: ROOT, env: terraformEnv('/dev/null') });
  const hcl = readFileSync(join(STACK_DIR, 'cdk.tf'), 'utf8');
  t.regex(hcl, /resource "dodb_online_migration" "migration" \{/);
  t.notThrows(() => execFileSync('terraform', ['fmt', '-check', join(STACK_DIR, 'cdk.tf')], { env: terraformEnv('/dev/null') }));
});

test.serial('make demo: apply reaches syncing, prints the timeline and summary, destroys, and leaves no process', async (t) => {
  const run = await demo();
  t.is(run.code, 0, run.output.slice(-3000));
  t.regex(run.output, /Running against the embedded simulator/);
  t.regex(run.output, /resource "dodb_online_migration" "migration"/, 'the plan shows the migration in HCL');
  t.regex(run.output, /migration [0-9a-f-]{36}: running[\s\S]*migration [0-9a-f-]{36}: syncing/);
  t.regex(run.output, /Summary\n {2}migration [0-9a-f-]{36} on cluster [0-9a-f-]{36}\n\s+[\d.]+s {2}running\n\s+[\d.]+s {2}syncing\n {2}API requests so far: \d+ \(\d+ GET, 1 PUT\)/);
  t.regex(run.output, /Destroy complete! Resources: 1 destroyed/);
  t.regex(run.output, /is done\./, 'stopping the syncing migration is the cutover');
  t.deepEqual(processesIn(STACK_DIR), []);
});

test.serial('make demo interrupted with Ctrl-C during the apply leaves no simulator or provider process', async (t) => {
  const run = await demo((child, output) => {
    if (output.includes('Creating...') && !child.killed) process.kill(-child.pid!, 'SIGINT');
  });
  t.not(run.code, 0);
  t.regex(run.output, /Interrupted/);
  await new Promise((r) => setTimeout(r, 500));
  t.deepEqual(processesIn(STACK_DIR), [], 'no provider left');
  t.false(run.output.includes('Destroy complete'));
});

/** The demo in its own process group, as a terminal runs it: Ctrl-C reaches every process in it. */
function demo(onOutput?: (child: ReturnType<typeof spawn>, output: string) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('make', ['-s', 'demo'], { cwd: ROOT, env: terraformEnv('/dev/null'), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
      onOutput?.(child, output);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Processes whose working directory is `dir`: the providers terraform started there. */
function processesIn(dir: string): string[] {
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      return cwd === dir && existsSync(`/proc/${pid}/cmdline`) ? [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')] : [];
    } catch {
      return [];
    }
  });
}
