import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCertificate } from '../src/tfplugin/certificate';
import { startSimulator } from '../src/simulator/server';
import { type Row, median, ms } from './table';

const ROOT = join(__dirname, '..');
const PROVIDER = join(ROOT, 'dist/mirror/registry.terraform.io/dodb/dodb/0.1.0/linux_amd64/terraform-provider-dodb_v0.1.0');

function spawnUntilLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      child.kill('SIGKILL');
    });
    child.on('error', reject);
  });
}

async function handshake(): Promise<Row> {
  const env = {
    PATH: process.env.PATH,
    TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2',
    PLUGIN_PROTOCOL_VERSIONS: '6,5',
    PLUGIN_CLIENT_CERT: selfSignedCertificate().certPem,
  };
  const provider: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 20; i++) {
    provider.push(await spawnUntilLine(PROVIDER, [], env));
    bare.push(await spawnUntilLine(process.execPath, ['-e', 'console.log(1)'], env));
  }
  return {
    what: 'provider spawn to handshake line',
    figure: ms(median(provider)), baseline: `node -e 'console.log(1)' ${ms(median(bare))}`, ratio: `${(median(provider) / median(bare)).toFixed(2)}x`,
    goal: '<= 80 ms', command: 'make bench (median of 20)',
  };
}


/** `terraform plan` against the simulator, for dodb_online_migration and terraform_data at the same counts. */
async function plans(): Promise<Row[]> {
  const sim = await startSimulator({ syncDelayMs: 0, rateLimit: 1_000_000 });
  const clusters = Array.from({ length: 201 }, () => sim.store.addCluster('pg').id);
  const base = mkdtempSync(join(ROOT, '.tmp/bench-tf-'));
  mkdirSync(base, { recursive: true });
  const env = {
    ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: join(ROOT, 'dist/terraformrc'), TF_IN_AUTOMATION: '1',
    DIGITALOCEAN_API_URL: sim.url, DIGITALOCEAN_TOKEN: sim.token,
  };
  // Asynchronous, so that the simulator in this process keeps answering while terraform runs.
  const tf = (dir: string, args: string[]) =>
    new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      let errors = '';
      const child = spawn('terraform', [...args, '-no-color', '-input=false'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (chunk) => (errors += chunk));
      child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`terraform ${args[0]} failed in ${dir}:\n${errors}`))));
    });
  const count = () => sim.store.all().length;
  const requestsNow = async () => ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as unknown[]).length;
  const rows: Row[] = [];
  try {
    for (const n of [1, 200]) {
      const migrationDir = join(base, `dodb-${n}`);
      const dataDir = join(base, `data-${n}`);
      mkdirSync(migrationDir);
      mkdirSync(dataDir);
      writeFileSync(join(migrationDir, 'main.tf'), `terraform {\n  required_providers {\n    dodb = { source = "dodb/dodb" }\n  }\n}\nvariable "clusters" { type = list(string) }\nresource "dodb_online_migration" "m" {\n  count      = ${n}\n  cluster_id = var.clusters[count.index]\n  wait_for   = "none"\n  source {\n    host = "db\${count.index}.example.com"\n    port = 5432\n  }\n}\n`);
      writeFileSync(join(migrationDir, 'terraform.tfvars.json'), JSON.stringify({ clusters: n === 1 ? clusters.slice(0, 1) : clusters.slice(1) }));
      writeFileSync(join(dataDir, 'main.tf'), `resource "terraform_data" "d" {\n  count = ${n}\n  input = { host = "db\${count.index}.example.com", port = 5432 }\n}\n`);
      await tf(migrationDir, ['init']);
      await tf(dataDir, ['init']);
      const fresh = { dodb: [] as number[], data: [] as number[] };
      for (let i = 0; i < 3; i++) {
        fresh.dodb.push(await tf(migrationDir, ['plan']));
        fresh.data.push(await tf(dataDir, ['plan']));
      }
      const before = await requestsNow();
      const migrationsBefore = count();
      await tf(migrationDir, ['apply', '-auto-approve']);
      const applyRequests = (await requestsNow()) - before;
      if (count() - migrationsBefore !== n) throw new Error(`apply started ${count() - migrationsBefore} migrations, expected ${n}`);
      await tf(dataDir, ['apply', '-auto-approve']);
      const inState = { dodb: [] as number[], data: [] as number[] };
      const beforePlans = await requestsNow();
      for (let i = 0; i < 3; i++) {
        inState.dodb.push(await tf(migrationDir, ['plan']));
        inState.data.push(await tf(dataDir, ['plan']));
      }
      const planRequests = ((await requestsNow()) - beforePlans) / 3;
      const row = (what: string, ours: number[], theirs: number[], goal: string): Row => ({
        what, figure: ms(median(ours)), baseline: `terraform_data ${ms(median(theirs))}`, ratio: `${(median(ours) / median(theirs)).toFixed(2)}x`,
        goal, command: `make bench (terraform plan, median of 3)`,
      });
      rows.push(row(`terraform plan, ${n} resource${n > 1 ? 's' : ''}, fresh`, fresh.dodb, fresh.data, '-'));
      rows.push(row(`terraform plan, ${n} resource${n > 1 ? 's' : ''}, in state`, inState.dodb, inState.data, n === 200 ? '<= 4x' : '-'));
      rows.push({
        what: `API requests per resource, ${n} resource${n > 1 ? 's' : ''}`, figure: `apply ${(applyRequests / n).toFixed(2)}, plan ${(planRequests / n).toFixed(2)}`,
        baseline: 'terraform_data 0', ratio: '-', goal: '-', command: 'make bench (simulator request log)',
      });
    }
  } finally {
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
  return rows;
}

export async function benchProvider(): Promise<Row[]> {
  return [await handshake(), ...(await plans())];
}
