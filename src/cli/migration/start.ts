import type { StartMigrationRequest } from '../../../generated/types';
import { REACHED } from '../../vocabulary/status';
import { type Command, UsageError, parseFlags } from '../command';
import { CREDENTIALS_HELP, clientFrom } from '../credentials';
import { MIGRATION, checkFlag } from '../schema-checks';
import { SOURCE_FLAGS, sourceFromFlags } from '../source-flags';
import {
  MIGRATION_FLAGS,
  MIGRATION_FLAG_HELP,
  TIMEOUT_FLAG,
  TIMEOUT_FLAG_HELP,
  clusterOf,
  report,
  targetOf,
  timeoutOf,
} from './flags';
import { Progress } from './progress';

const START_FLAGS = {
  ...MIGRATION_FLAGS,
  ...SOURCE_FLAGS,
  ...TIMEOUT_FLAG,
  'password-stdin': { type: 'boolean', default: false },
  'disable-ssl': { type: 'boolean', default: false },
  'ignore-db': { type: 'string', multiple: true },
  'wait-for': { type: 'string', default: 'none' },
  'after-cutover': { type: 'boolean', default: false },
} as const;

export const startCommand: Command = {
  name: 'migration start',
  synopsis: [
    '--cluster UUID (--source-uri postgres://user@host:5432/db | --host H --port P [--db-name D] [--username U])',
    `[--password-stdin] [--disable-ssl] [--ignore-db NAME ...] [--wait-for none|${Object.keys(REACHED).join('|')}]`,
    `[--timeout ${TIMEOUT_FLAG.timeout.default}] [--after-cutover] [--json]`,
  ],
  flags: [
    MIGRATION_FLAG_HELP[0]!,
    [
      '--source-uri URI',
      'the source as a URI without its password: postgres://user@host:5432/db (or mysql://, redis://)',
    ],
    ['--host H, --port P', 'the source host (not a URL) and port, instead of --source-uri'],
    ['--db-name D, --username U', "the source's database and user (optional)"],
    ['--password-stdin', "read the source user's password from standard input (default: no password)"],
    ['--disable-ssl', 'connect to the source without TLS (default: with TLS)'],
    ['--ignore-db NAME', 'a database of the source not to migrate; repeat it for more (default: none)'],
    [
      `--wait-for none|${Object.keys(REACHED).join('|')}`,
      `after the start, wait for this status (default ${START_FLAGS['wait-for'].default}: return at once)`,
    ],
    TIMEOUT_FLAG_HELP,
    ['--after-cutover', 'start even though the cluster was cut over (its migration is done); default: refuse'],
    ...MIGRATION_FLAG_HELP.slice(1),
  ],
  notes: [
    CREDENTIALS_HELP,
    `\`start\` refuses (exit 4, nothing started) while the cluster's migration is running or syncing, and
after a cutover (its migration is done) unless --after-cutover is given.`,
  ],
  async run(args, io, usage) {
    const flags = parseFlags(usage, args, START_FLAGS);
    const cluster = clusterOf(flags, usage);
    const timeoutMs = timeoutOf(flags.timeout, usage);
    const target = targetOf('wait-for', flags['wait-for'], usage, ['none']);
    const body = await requestFrom(flags, io.stdin, usage);
    const progress = new Progress(io);
    const client = clientFrom(flags, io.env, usage, progress.apiLog);
    const deadline = Date.now() + timeoutMs;
    const { migration } = await client.startMigration(cluster, body, {
      deadline,
      afterCutover: flags['after-cutover'],
    });
    if (target === 'none') {
      const text = `started migration ${migration.id} on cluster ${cluster}: ${migration.status}`;
      return report(io, flags.json, { cluster_id: cluster, ...migration }, text);
    }
    const watch = { cluster, migrationId: migration.id, status: migration.status, target, timeoutMs, json: flags.json };
    return progress.waitAndReport(client, watch, io, (m) => `migration ${m.id} on cluster ${cluster}: ${m.status}`);
  },
};

type StartFlags = ReturnType<typeof parseFlags<typeof START_FLAGS>>;

/** The start's body: the source from its flags, the password from standard input. */
async function requestFrom(flags: StartFlags, stdin: NodeJS.ReadStream, usage: string): Promise<StartMigrationRequest> {
  const ignored = flags['ignore-db'];
  if (ignored) checkFlag(MIGRATION, 'ignore_dbs', '--ignore-db', ignored, usage);
  const source = sourceFromFlags(flags, usage);
  const password = flags['password-stdin'] ? await readPassword(stdin, usage) : undefined;
  return {
    source: { ...source, ...(password ? { password } : {}) },
    disable_ssl: flags['disable-ssl'],
    ...(ignored ? { ignore_dbs: ignored } : {}),
  };
}

/** The password from standard input (one line), checked like the resource's `source.password`. */
async function readPassword(stdin: NodeJS.ReadStream, usage: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!password) throw new UsageError('--password-stdin: nothing was read from standard input', usage);
  checkFlag(MIGRATION, 'source.password', 'the password from --password-stdin', password, usage);
  return password;
}
