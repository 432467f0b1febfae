import { parseArgs } from 'node:util';
import { DoClient, DEFAULT_ENDPOINT } from '../api/client';
import { ApiError, StartRefusedError } from '../api/errors';
import { REACHED, type WaitTarget } from '../api/status';
import { WaitError, waitForStatus } from '../api/wait';
import { startSimulator } from '../simulator/server';
import planRules from '../../generated/plan-rules.json';
import { parseDuration } from '../tfplugin/framework/duration';
import { USER_AGENT, VERSION } from '../version';
import { MirrorError } from '../release/provider-package';
import { type Source, UsageError, sourceFromFlags } from './args';
import { SETUP_USAGE, lock, terraformrc } from './terraform-setup';

const USAGE = `usage:
  dodb migration status --cluster UUID [--json]
  dodb migration start  --cluster UUID (--source-uri postgres://user@host:5432/db | --host H --port P [--db-name D] [--username U])
                        [--password-stdin] [--disable-ssl] [--ignore-db NAME ...] [--wait-for none|running|syncing|done] [--timeout 30m]
                        [--after-cutover] [--json]
  dodb migration stop   --cluster UUID [--migration ID] [--json]
  dodb migration watch  --cluster UUID [--until running|syncing|done] [--timeout 30m] [--json]
  dodb simulator [--port N] [--token T] [--state FILE] [--sync-delay 3s] [--rate-limit 250] [--rate-window 60s] [--burst-limit N] [--allow-concurrent]
                 [--clock-skew 0s|-10m|10m]
${SETUP_USAGE}
  dodb version

Common flags: --api-endpoint URL (else DIGITALOCEAN_API_URL, else ${DEFAULT_ENDPOINT}),
  --token T (else DIGITALOCEAN_TOKEN, else DIGITALOCEAN_ACCESS_TOKEN).
\`start\` refuses (exit 1, nothing started) while the cluster's migration is running or syncing, and
after a cutover (its migration is done) unless --after-cutover is given.
terraformrc prints (or writes) a Terraform CLI configuration that installs dodb/dodb from this package's
mirror; lock writes DIR/.terraform.lock.hcl with the provider's hashes for every platform.
Exit codes: 0 ok, 1 API or wait failure, 2 usage error.`;

const COMMON = {
  cluster: { type: 'string' },
  'api-endpoint': { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  timeout: { type: 'string', default: '30m' },
} as const;

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const [command, sub, ...rest] = argv;
  const args = argv.slice(1);
  try {
    if (command === 'version' || command === '--version') return print(io, `dodb ${VERSION}`);
    if (command === 'help' || command === '--help' || command === undefined) return print(io, USAGE);
    if (command === 'simulator') return await simulator(args, io);
    if (command === 'terraformrc') return terraformrc(args, io, USAGE);
    if (command === 'lock') return lock(args, io, USAGE);
    if (command === 'migration' && sub && ['status', 'start', 'stop', 'watch'].includes(sub)) return await migration(sub, rest, io);
    throw new UsageError(`unknown command "${[command, sub].filter(Boolean).join(' ')}"`, USAGE);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`dodb: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    if (error instanceof ApiError || error instanceof WaitError || error instanceof StartRefusedError || error instanceof MirrorError) {
      io.stderr.write(`dodb: ${error.message}\n`);
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`dodb: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

function print(io: Io, text: string): number {
  io.stdout.write(`${text}\n`);
  return 0;
}

async function migration(action: string, args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      ...COMMON,
      host: { type: 'string' },
      port: { type: 'string' },
      'db-name': { type: 'string' },
      username: { type: 'string' },
      'source-uri': { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'disable-ssl': { type: 'boolean', default: false },
      'ignore-db': { type: 'string', multiple: true },
      'wait-for': { type: 'string', default: 'none' },
      'after-cutover': { type: 'boolean', default: false },
      until: { type: 'string', default: 'syncing' },
      migration: { type: 'string' },
    },
  });
  const cluster = values.cluster;
  if (!cluster) throw new UsageError('--cluster is required: the target cluster\'s UUID', USAGE);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cluster)) {
    throw new UsageError(`--cluster must be a UUID such as 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30 (got "${cluster}")`, USAGE);
  }
  // The same bounds as the resource's timeouts.create, from the schema.
  const { minDuration, maxDuration } = planRules.resources.dodb_online_migration['timeouts.create'].checks;
  const timeoutMs = parseDuration(values.timeout);
  if (timeoutMs === undefined || timeoutMs < parseDuration(minDuration)! || timeoutMs > parseDuration(maxDuration)!) {
    throw new UsageError(`--timeout must be a Go duration from ${minDuration} to ${maxDuration}, such as 30m or 1h30m (got "${values.timeout}")`, USAGE);
  }
  const target = action === 'watch' ? values.until : values['wait-for'];
  if (!['none', ...Object.keys(REACHED)].includes(target) || (action === 'watch' && target === 'none')) {
    throw new UsageError(`--${action === 'watch' ? 'until' : 'wait-for'} must be one of ${action === 'watch' ? '' : 'none, '}running, syncing, done (got "${target}")`, USAGE);
  }
  const source = action === 'start' ? sourceFromFlags(values, USAGE) : undefined;
  const password = values['password-stdin'] ? await readPassword(io.stdin) : undefined;
  const client = clientFrom(values, io.env);
  const output = (data: Record<string, unknown>, text: string) => print(io, values.json ? JSON.stringify(data) : text);

  if (action === 'status') {
    const m = await client.getMigration(cluster);
    return output({ cluster_id: cluster, ...m }, `migration ${m.id} on cluster ${cluster}: ${m.status} (started ${m.created_at})`);
  }
  if (action === 'stop') {
    const id = values.migration ?? (await client.getMigration(cluster)).id;
    await client.stopMigration(cluster, id);
    return output({ cluster_id: cluster, id, stopped: true }, `stopped migration ${id} on cluster ${cluster}`);
  }
  if (action === 'start') {
    const body = { source: { ...(source as Source), ...(password ? { password } : {}) }, disable_ssl: values['disable-ssl'], ...(values['ignore-db'] ? { ignore_dbs: values['ignore-db'] } : {}) };
    const { migration: started } = await client.startMigration(cluster, body, { deadline: Date.now() + timeoutMs, afterCutover: values['after-cutover'] });
    if (target === 'none') return output({ cluster_id: cluster, ...started }, `started migration ${started.id} on cluster ${cluster}: ${started.status}`);
    const reached = await watch(client, cluster, started.id, target as WaitTarget, timeoutMs, values.json, io);
    return output({ cluster_id: cluster, ...reached }, `migration ${reached.id} on cluster ${cluster}: ${reached.status}`);
  }
  const current = await client.getMigration(cluster);
  const reached = await watch(client, cluster, current.id, target as WaitTarget, timeoutMs, values.json, io);
  return output({ cluster_id: cluster, ...reached }, `migration ${reached.id} reached ${reached.status}`);
}

/** Progress on stderr: one live line on a terminal, a plain line per change otherwise. */
async function watch(client: DoClient, cluster: string, id: string, target: WaitTarget, timeoutMs: number, json: boolean, io: Io) {
  const started = Date.now();
  const live = io.stderr.isTTY && !json;
  try {
    return await waitForStatus(client, cluster, id, target, {
      timeoutMs,
      onStatus: (m) => {
        const line = `${((Date.now() - started) / 1000).toFixed(1)}s ${m.id} ${m.status}`;
        io.stderr.write(live ? `\r\x1b[K${line}` : `${line}\n`);
      },
    });
  } finally {
    if (live) io.stderr.write('\n');
  }
}

function clientFrom(values: { token?: string; 'api-endpoint'?: string }, env: NodeJS.ProcessEnv): DoClient {
  const token = values.token || env.DIGITALOCEAN_TOKEN || env.DIGITALOCEAN_ACCESS_TOKEN;
  if (!token) throw new UsageError('no API token: pass --token or set DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN)', USAGE);
  const endpoint = values['api-endpoint'] || env.DIGITALOCEAN_API_URL || DEFAULT_ENDPOINT;
  if (!/^https?:\/\/[^\s]+$/.test(endpoint)) throw new UsageError(`--api-endpoint must be an http(s) URL (got "${endpoint}")`, USAGE);
  return new DoClient({ token, endpoint, userAgent: USER_AGENT });
}

async function readPassword(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new UsageError('--password-stdin: nothing was read from standard input', USAGE);
  return password;
}

async function simulator(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string', default: '0' },
      token: { type: 'string' },
      state: { type: 'string' },
      'sync-delay': { type: 'string', default: '3s' },
      'rate-limit': { type: 'string', default: '250' },
      'rate-window': { type: 'string', default: '60s' },
      'burst-limit': { type: 'string' },
      'allow-concurrent': { type: 'boolean', default: false },
      'clock-skew': { type: 'string', default: '0s' },
    },
  });
  const number = (flag: string, text: string, max: number) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > max) throw new UsageError(`--${flag} must be a whole number from 0 to ${max} (got "${text}")`, USAGE);
    return n;
  };
  const duration = (flag: string, text: string) => {
    const ms = parseDuration(text);
    if (ms === undefined) throw new UsageError(`--${flag} must be a Go duration such as 3s or 1m (got "${text}")`, USAGE);
    return ms;
  };
  const sim = await startSimulator({
    port: number('port', values.port, 65535),
    token: values.token,
    stateFile: values.state,
    syncDelayMs: duration('sync-delay', values['sync-delay']),
    rateLimit: number('rate-limit', values['rate-limit'], 1e9),
    rateWindowMs: duration('rate-window', values['rate-window']),
    burstLimit: values['burst-limit'] === undefined ? undefined : number('burst-limit', values['burst-limit'], 1e9),
    refuseConcurrent: !values['allow-concurrent'],
    // Behind (negative) or ahead of this machine's clock: what created_at shows.
    clockSkewMs: values['clock-skew'].startsWith('-') ? -duration('clock-skew', values['clock-skew'].slice(1)) : duration('clock-skew', values['clock-skew']),
  });
  const clusters = sim.store.listClusters();
  io.stdout.write(
    `dodb simulator listening on ${sim.url}\n` +
      `DIGITALOCEAN_API_URL=${sim.url}\n` +
      `DIGITALOCEAN_TOKEN=${sim.token}\n` +
      clusters.map((c) => `cluster ${c.id} ${c.engine} ${c.name}\n`).join(''),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  io.stdout.write('dodb simulator stopped\n');
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`dodb: internal error: ${(error as Error).stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
