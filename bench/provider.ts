import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { selfSignedCertificate } from '../src/tfplugin/wire/certificate';
import { startSimulator } from '../src/simulator/server';
import { PROVIDER } from '../test/helpers/built-provider';
import { COOKIE } from '../test/helpers/constants';
import { selfTimeByModule } from './profile';
import { type Report, type Row, goal, median, ms, spread } from './table';

const ROOT = join(__dirname, '..');
const STARTS = 20;
const PLANS = 5;

/** Spawn, and the ms until the first stdout byte; stderr is collected until `stderrUntil` matches. */
function spawnUntilLine(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stderrUntil?: RegExp,
): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let elapsed: number | undefined;
    let stderr = '';
    const done = () => {
      if (elapsed === undefined || (stderrUntil && !stderrUntil.test(stderr))) return;
      child.kill('SIGKILL');
      resolve({ ms: elapsed, stderr });
    };
    child.stdout.once('data', () => {
      elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      done();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      done();
    });
    child.on('error', reject);
  });
}

const STARTUP_PARTS = ['boot_ms', 'modules_ms', 'certificate_ms', 'listen_ms'] as const;
const PART_NAMES = {
  boot_ms: 'Node boot',
  modules_ms: 'loading and evaluating the bundle',
  certificate_ms: 'key and certificate',
  listen_ms: 'TLS server listening',
};
type StartupParts = Record<(typeof STARTUP_PARTS)[number], number>;

function startupParts(log: string): StartupParts[] {
  return [...log.matchAll(/^.*start-up timing.*$/gm)].map(([line]) => {
    const json = /\{.*\}/.exec(line);
    if (json) return JSON.parse(json[0]) as StartupParts;
    // Terraform's own log prints the fields as key=value.
    return Object.fromEntries(
      STARTUP_PARTS.map((part) => [part, Number(new RegExp(`${part}=([\\d.]+)`).exec(line)?.[1])]),
    ) as StartupParts;
  });
}

function startupBreakdown(parts: StartupParts[], total?: number): string[] {
  const medians = STARTUP_PARTS.map((part) => median(parts.map((p) => p[part])));
  const inNode = medians.reduce((a, b) => a + b, 0);
  return [
    ...(total === undefined ? [] : [`  spawn and exec, before Node's clock starts   ${ms(total - inNode)}`]),
    ...STARTUP_PARTS.map((part, i) => `  ${PART_NAMES[part].padEnd(44)} ${ms(medians[i]!)}`),
  ];
}

/** Spawn to handshake line, next to bare node, in the same clean environment Terraform gives a plugin. */
async function handshake(): Promise<Report> {
  const env = {
    PATH: process.env.PATH,
    ...COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '6,5',
    PLUGIN_CLIENT_CERT: selfSignedCertificate().certPem,
  };
  const provider: number[] = [];
  const bare: number[] = [];
  const parts: StartupParts[] = [];
  for (let i = 0; i < STARTS; i++) {
    provider.push((await spawnUntilLine(PROVIDER, [], env)).ms);
    bare.push((await spawnUntilLine(process.execPath, ['-e', 'console.log(1)'], env)).ms);
    const traced = await spawnUntilLine(PROVIDER, [], { ...env, TF_LOG_PROVIDER: 'trace' }, /start-up timing.*\n/);
    parts.push(...startupParts(traced.stderr));
  }
  // The same bare Node in this shell's environment, as terraform passes it on (NODE_EXTRA_CA_CERTS, where set).
  const bareHere: number[] = [];
  for (let i = 0; i < STARTS / 2; i++)
    bareHere.push((await spawnUntilLine(process.execPath, ['-e', 'console.log(1)'], { ...process.env, ...env })).ms);
  const over = median(provider) - median(bare);
  return {
    rows: [
      {
        what: 'provider spawn to handshake line, over bare Node',
        figure: `${ms(median(provider))} - ${ms(median(bare))} = ${ms(over)}`,
        baseline: `node -e 'console.log(1)' ${ms(median(bare))}`,
        ratio: `${(median(provider) / median(bare)).toFixed(2)}x`,
        goal: goal('<= 15 ms over', over <= 15),
        command: `median of ${STARTS}, clean env; ranges ${spread(provider)} / ${spread(bare)}`,
      },
    ],
    sections: [
      `Provider start-up in a clean environment (median of ${STARTS}; the parts from its TF_LOG_PROVIDER=trace line):`,
      ...startupBreakdown(parts, median(provider)),
      `  (bare Node in this shell's environment${process.env.NODE_EXTRA_CA_CERTS ? ', with NODE_EXTRA_CA_CERTS' : ''}: ${ms(median(bareHere))} to its first line)`,
    ],
  };
}

interface Workspace {
  dir: string;
  tf(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<number>;
}

/** `terraform plan` against the simulator, for dodb_online_migration and terraform_data at the same counts. */
async function plans(): Promise<Report> {
  const sim = await startSimulator({ syncDelayMs: 0, rateLimit: 1_000_000 });
  const clusters = Array.from({ length: 201 }, () => sim.store.addCluster('pg').id);
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const base = mkdtempSync(join(ROOT, '.tmp/bench-tf-'));
  const env = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: join(ROOT, 'dist/terraformrc'),
    TF_IN_AUTOMATION: '1',
    DIGITALOCEAN_API_URL: sim.url,
    DIGITALOCEAN_TOKEN: sim.token,
  };
  const workspace = (name: string, mainTf: string, vars?: object): Workspace => {
    const dir = join(base, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.tf'), mainTf);
    if (vars) writeFileSync(join(dir, 'terraform.tfvars.json'), JSON.stringify(vars));
    // Asynchronous, so that the simulator in this process keeps answering while terraform runs.
    const tf = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
      new Promise<number>((resolve, reject) => {
        const started = process.hrtime.bigint();
        let errors = '';
        const child = spawn('terraform', [...args, '-no-color', '-input=false'], {
          cwd: dir,
          env: { ...env, ...extraEnv },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child.stderr.on('data', (chunk) => (errors += chunk));
        child.on('close', (code) =>
          code === 0
            ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
            : reject(new Error(`terraform ${args[0]} failed in ${dir}:\n${errors}`)),
        );
      });
    return { dir, tf };
  };
  const count = () => sim.store.all().length;
  const requestsNow = async () => ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as unknown[]).length;
  /** Interleaved, so that both sides see the same load on this shared machine. */
  const timePlans = async (dodb: Workspace, data: Workspace) => {
    const times = { dodb: [] as number[], data: [] as number[] };
    for (let i = 0; i < PLANS; i++) {
      times.dodb.push(await dodb.tf(['plan']));
      times.data.push(await data.tf(['plan']));
    }
    return times;
  };
  const rows: Row[] = [];
  const sections: string[] = [];
  try {
    for (const n of [1, 200]) {
      const migrations = workspace(`dodb-${n}`, migrationConfig(n), {
        clusters: n === 1 ? clusters.slice(0, 1) : clusters.slice(1),
      });
      const data = workspace(
        `data-${n}`,
        `resource "terraform_data" "d" {\n  count = ${n}\n  input = { host = "db\${count.index}.example.com", port = 5432 }\n}\n`,
      );
      await migrations.tf(['init']);
      await data.tf(['init']);
      const beforeFresh = await requestsNow();
      const fresh = await timePlans(migrations, data);
      // A fresh plan checks each start at the API (issue 21): at most 2 reads per planned start.
      const freshRequests = ((await requestsNow()) - beforeFresh) / PLANS;
      const before = await requestsNow();
      const migrationsBefore = count();
      await migrations.tf(['apply', '-auto-approve']);
      const applyRequests = (await requestsNow()) - before;
      if (count() - migrationsBefore !== n)
        throw new Error(`apply started ${count() - migrationsBefore} migrations, expected ${n}`);
      await data.tf(['apply', '-auto-approve']);
      const beforePlans = await requestsNow();
      const inState = await timePlans(migrations, data);
      const planRequests = ((await requestsNow()) - beforePlans) / PLANS;
      const plural = n > 1 ? 'migrations' : 'migration';
      const limit = n === 1 ? 8 : 3;
      const row = (what: string, times: typeof fresh, withGoal: boolean): Row => {
        const ratio = median(times.dodb) / median(times.data);
        return {
          what,
          figure: ms(median(times.dodb)),
          baseline: `terraform_data ${ms(median(times.data))}`,
          ratio: `${ratio.toFixed(2)}x`,
          goal: withGoal ? goal(`<= ${limit}x`, ratio <= limit) : '-',
          command: `median of ${PLANS}; ranges ${spread(times.dodb)} / ${spread(times.data)}`,
        };
      };
      rows.push(row(`terraform plan, ${n} ${plural}, fresh`, fresh, n === 1));
      rows.push(row(`terraform plan, ${n} ${plural} in state`, inState, n === 200));
      rows.push({
        what: `API requests per migration, ${n} ${plural}`,
        figure: `plan of a start ${(freshRequests / n).toFixed(2)}, plan in state ${(planRequests / n).toFixed(2)}, apply ${(applyRequests / n).toFixed(2)}`,
        baseline: 'terraform_data 0',
        ratio: '-',
        goal: goal('start <= 2, in state 1', freshRequests / n <= 2 && planRequests / n <= 1),
        command: 'simulator request log',
      });
      if (n === 200) {
        const inspected = await inspectPlan(migrations, base);
        rows.push(inspected.row);
        sections.push(...inspected.sections);
      }
    }
  } finally {
    await sim.close();
    // BENCH_KEEP=1 leaves the workspaces, logs and .cpuprofile files for a closer look.
    if (!process.env.BENCH_KEEP) rmSync(base, { recursive: true, force: true });
  }
  return { rows, sections };
}

function migrationConfig(n: number): string {
  return `terraform {\n  required_providers {\n    dodb = { source = "dodb/dodb" }\n  }\n}\nvariable "clusters" { type = list(string) }\nresource "dodb_online_migration" "m" {\n  count      = ${n}\n  cluster_id = var.clusters[count.index]\n  wait_for   = "none"\n  source {\n    host = "db\${count.index}.example.com"\n    port = 5432\n  }\n}\n`;
}

/**
 * Two more 200-in-state plans, untimed: one with the provider's trace log (each RPC's count and
 * handler time, each process's CPU time and peak memory), one under the V8 CPU profiler.
 */
async function inspectPlan(migrations: Workspace, base: string): Promise<{ row: Row; sections: string[] }> {
  const logFile = join(base, 'plan-trace.log');
  await migrations.tf(['plan'], { TF_LOG_PROVIDER: 'trace', TF_LOG_PATH: logFile });
  const log = readFileSync(logFile, 'utf8');
  const rpcs = new Map<string, number[]>();
  for (const [, rpc, took] of log.matchAll(/ (\w+) done: .*?ms=([\d.]+)/g))
    rpcs.set(rpc!, [...(rpcs.get(rpc!) ?? []), Number(took)]);
  const usage = [...log.matchAll(/resource usage: .*?cpu_ms=([\d.]+).*?max_rss_kb=(\d+)/g)].map(([, cpu, rss]) => ({
    cpu: Number(cpu),
    rssMb: Number(rss) / 1024,
  }));
  const peak = Math.max(...usage.map((u) => u.rssMb));
  const bareRss =
    Number((await spawnOutput(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS)'])).trim()) / 1024;

  const profileDir = join(base, 'profile');
  const bundle = profiledProvider(base, profileDir);
  await migrations.tf(['plan'], { TF_CLI_CONFIG_FILE: bundle.cliConfig });
  const byModule = [...selfTimeByModule(profileDir, bundle.script)].sort((a, b) => b[1] - a[1]);
  const profiled = byModule.reduce((sum, [, took]) => sum + took, 0);
  const busy = byModule.filter(([name]) => name !== '(idle)').reduce((sum, [, took]) => sum + took, 0);

  return {
    row: {
      what: 'provider peak memory, 200 migrations in state',
      figure: `${peak.toFixed(1)} MB`,
      baseline: `node -e '' ${bareRss.toFixed(1)} MB`,
      ratio: `${(peak / bareRss).toFixed(2)}x`,
      goal: '-',
      command: "max RSS of the largest of the plan's provider processes",
    },
    sections: [
      '',
      `RPCs Terraform makes in one 200-in-state plan (${usage.length} provider starts; handler time includes waiting for the API):`,
      '  RPC                          calls   total ms   mean ms',
      ...[...rpcs]
        .sort((a, b) => sum(b[1]) - sum(a[1]))
        .map(
          ([rpc, took]) =>
            `  ${rpc.padEnd(28)} ${String(took.length).padStart(5)} ${sum(took).toFixed(1).padStart(10)} ${(sum(took) / took.length).toFixed(2).padStart(9)}`,
        ),
      `  provider CPU per start: ${usage.map((u) => ms(u.cpu)).join(', ')} (total ${ms(sum(usage.map((u) => u.cpu)))}, with trace logging on)`,
      '',
      'The same starts inside terraform, with its environment (NODE_EXTRA_CA_CERTS, where set, is loaded during Node boot):',
      ...startupBreakdown(startupParts(log)),
      '',
      `CPU profile of the provider during one 200-in-state plan (self time, all starts; ${ms(busy)} busy of ${ms(profiled)} profiled):`,
      ...byModule.map(
        ([name, took]) => `  ${ms(took).padStart(10)} ${((100 * took) / profiled).toFixed(1).padStart(5)}%  ${name}`,
      ),
    ],
  };
}

/**
 * The provider bundled without minification (module markers kept) and without the code cache, run
 * under --cpu-prof through a dev override.
 */
function profiledProvider(base: string, profileDir: string): { script: string; cliConfig: string } {
  const bin = join(base, 'profiled-provider');
  mkdirSync(bin, { recursive: true });
  mkdirSync(profileDir, { recursive: true });
  const script = join(bin, 'provider.js');
  buildSync({
    entryPoints: [join(ROOT, 'src/provider/main.ts')],
    outfile: script,
    bundle: true,
    keepNames: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  // Without NODE_EXTRA_CA_CERTS, as the real executable runs it (the simulator is plain HTTP).
  writeFileSync(
    join(bin, 'terraform-provider-dodb'),
    `#!/bin/sh\nunset NODE_EXTRA_CA_CERTS\nexec "${process.execPath}" --cpu-prof --cpu-prof-dir="${profileDir}" "${script}"\n`,
    { mode: 0o755 },
  );
  const cliConfig = join(base, 'profiled.tfrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  dev_overrides {\n    "dodb/dodb" = "${bin}"\n  }\n  direct {}\n}\n`,
  );
  return { script, cliConfig };
}

function spawnOutput(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', () => resolve(out));
    child.on('error', reject);
  });
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export async function benchProvider(): Promise<Report> {
  const start = await handshake();
  const planned = await plans();
  return { rows: [...start.rows, ...planned.rows], sections: [...start.sections, ...planned.sections] };
}
