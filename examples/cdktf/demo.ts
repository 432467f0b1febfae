import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DoClient } from '../../src/api/client';
import { CLIENT_DEFAULTS } from '../../src/provider/config';
import type { Migration } from '../../generated/types';
import { SEED_CLUSTERS } from '../../src/simulator/store';
import { type Simulator, startSimulator } from '../../src/simulator/server';

/**
 * `make demo`: the example stack through terraform init, plan, apply and destroy, against the
 * embedded simulator, or against the real API when DIGITALOCEAN_TOKEN and the stack's inputs
 * (TF_VAR_cluster_id, TF_VAR_source_host, TF_VAR_source_password, ...) are set.
 */
const ROOT = resolve(__dirname, '../..');
const STACK_DIR = join(ROOT, 'cdktf.out/stacks/dodb-example');
const DEMO_STATE = join(ROOT, '.tmp/demo/terraform.tfstate');
const started = Date.now();
const say = (text: string) => console.log(`\n[demo ${seconds(Date.now() - started)}] ${text}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

let interrupted = false;
let running: ChildProcess | undefined;
let simulator: Simulator | undefined;

async function main(): Promise<number> {
  const real = Boolean(process.env.DIGITALOCEAN_TOKEN && process.env.TF_VAR_cluster_id);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: join(ROOT, 'dist/terraformrc'),
    TF_IN_AUTOMATION: '1',
    ...(process.stdout.isTTY ? {} : { TF_CLI_ARGS: '-no-color' }),
  };
  if (real) {
    say(
      `Running against the real DigitalOcean API (${env.DIGITALOCEAN_API_URL ?? CLIENT_DEFAULTS.endpoint}), cluster ${env.TF_VAR_cluster_id}.`,
    );
  } else {
    simulator = await startSimulator({ syncDelayMs: 4000 });
    Object.assign(env, {
      DIGITALOCEAN_API_URL: simulator.url,
      DIGITALOCEAN_TOKEN: simulator.token,
      TF_VAR_cluster_id: SEED_CLUSTERS[0]!.id,
      TF_VAR_source_password: 'demo-only-password',
    });
    say(
      `Running against the embedded simulator at ${simulator.url} (set DIGITALOCEAN_TOKEN and TF_VAR_cluster_id to use the real API).`,
    );
  }
  const clusterId = env.TF_VAR_cluster_id!;
  const client = new DoClient({
    token: env.DIGITALOCEAN_TOKEN!,
    ...CLIENT_DEFAULTS,
    endpoint: env.DIGITALOCEAN_API_URL ?? CLIENT_DEFAULTS.endpoint,
    userAgent: 'dodb-demo',
  });

  say('Synthesizing the example CDKTF stack (examples/cdktf) with node.');
  rmSync(STACK_DIR, { recursive: true, force: true });
  await run(process.execPath, ['--import=tsx', join(ROOT, 'examples/cdktf/main.ts')], { cwd: ROOT, env });
  const backend = real ? [] : ['-reconfigure', `-backend-config=path=${DEMO_STATE}`];
  if (!real) {
    rmSync(join(ROOT, '.tmp/demo'), { recursive: true, force: true });
    mkdirSync(join(ROOT, '.tmp/demo'), { recursive: true });
  }
  const terraform = (args: string[]) => run('terraform', [`-chdir=${STACK_DIR}`, ...args], { cwd: ROOT, env });

  say("dodb lock: the lock file with every platform's hashes, so that init has nothing to add");
  await run(process.execPath, [join(ROOT, 'dist/dodb.js'), 'lock', '--dir', STACK_DIR], { cwd: ROOT, env });
  say('terraform init (the provider comes from the filesystem mirror in dist/mirror)');
  await terraform(['init', '-input=false', ...backend]);
  say('terraform plan');
  await terraform(['plan', '-input=false']);

  const before = await client.findMigration(clusterId).catch(() => undefined);
  say('terraform apply: starts the migration and waits until it is syncing');
  const timeline: Array<{ at: number; migration: Migration }> = [];
  const watching = watch(client, clusterId, before?.id, timeline);
  try {
    await terraform(['apply', '-input=false', '-auto-approve']);
  } finally {
    watching.stop();
  }

  const migration = timeline.at(-1)?.migration;
  say('Summary');
  console.log(`  migration ${migration?.id ?? '(not seen)'} on cluster ${clusterId}`);
  for (const { at, migration: m } of timeline) console.log(`  ${seconds(at - started).padStart(7)}  ${m.status}`);
  if (simulator) {
    const log = (await (await fetch(`${simulator.url}/_sim/requests`)).json()) as Array<{ method: string }>;
    const byMethod = log.reduce<Record<string, number>>(
      (counts, r) => ({ ...counts, [r.method]: (counts[r.method] ?? 0) + 1 }),
      {},
    );
    console.log(
      `  API requests so far: ${log.length} (${Object.entries(byMethod)
        .map(([m, n]) => `${n} ${m}`)
        .join(', ')}), including the demo's own status polls`,
    );
  }

  say('terraform destroy: stops the migration (stopping a syncing migration is the cutover: it becomes done)');
  await terraform(['destroy', '-input=false', '-auto-approve']);
  const after = await client.findMigration(clusterId).catch(() => undefined);
  say(`Done in ${seconds(Date.now() - started)}: migration ${after?.id ?? ''} is ${after?.status ?? 'gone'}.`);
  return 0;
}

/** The migration's status changes while terraform applies, as a person would watch them. */
function watch(
  client: DoClient,
  clusterId: string,
  previousId: string | undefined,
  timeline: Array<{ at: number; migration: Migration }>,
) {
  const controller = new AbortController();
  const loop = async () => {
    while (!controller.signal.aborted) {
      const m = await client.findMigration(clusterId, { signal: controller.signal }).catch(() => undefined);
      if (m && m.id !== previousId && timeline.at(-1)?.migration.status !== m.status) {
        timeline.push({ at: Date.now(), migration: m });
        console.log(`[demo ${seconds(Date.now() - started)}] migration ${m.id}: ${m.status}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  void loop();
  return { stop: () => controller.abort() };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  if (interrupted) return Promise.reject(new Error('interrupted'));
  return new Promise((resolvePromise, reject) => {
    running = spawn(command, args, { ...options, stdio: 'inherit' });
    running.on('error', reject);
    running.on('exit', (code, signal) => {
      running = undefined;
      if (code === 0) resolvePromise();
      else
        reject(
          new Error(
            `${command} ${args.filter((a) => !a.startsWith('-chdir')).join(' ')} exited with ${code ?? signal}`,
          ),
        );
    });
  });
}

// Ctrl-C reaches terraform too (same process group); it stops cleanly, then so do we.
process.on('SIGINT', () => {
  interrupted = true;
  say('Interrupted: waiting for terraform to stop, then stopping the simulator.');
});
process.on('SIGTERM', () => {
  interrupted = true;
  running?.kill('SIGINT');
});

main()
  .catch((error: Error) => {
    say(`Failed: ${error.message}`);
    return interrupted ? 130 : 1;
  })
  .then(async (code) => {
    await simulator?.close();
    process.exit(code);
  });
