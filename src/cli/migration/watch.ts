import { REACHED } from '../../vocabulary/status';
import { type Command, parseFlags } from '../command';
import { CREDENTIALS_HELP, clientFrom } from '../credentials';
import {
  MIGRATION_FLAGS,
  MIGRATION_FLAG_HELP,
  TIMEOUT_FLAG,
  TIMEOUT_FLAG_HELP,
  UNTIL_FLAG,
  clusterOf,
  currentOf,
  targetOf,
  timeoutOf,
} from './flags';
import { Progress } from './progress';

const STATUSES = Object.keys(REACHED).join('|');

export const watchCommand: Command = {
  name: 'migration watch',
  synopsis: [`--cluster UUID [--until ${STATUSES}] [--timeout ${TIMEOUT_FLAG.timeout.default}] [--json]`],
  flags: [
    ...MIGRATION_FLAG_HELP.slice(0, 1),
    [`--until ${STATUSES}`, `the status to wait for (default ${UNTIL_FLAG.until.default}); a later one counts too`],
    TIMEOUT_FLAG_HELP,
    ...MIGRATION_FLAG_HELP.slice(1),
  ],
  notes: [
    CREDENTIALS_HELP,
    `\`watch\` follows the cluster's most recent migration: on a terminal a ticking elapsed time, otherwise a
line per status change and a heartbeat line every 30 s; it says when it is waiting out a rate limit or
an API outage.`,
  ],
  async run(args, io, usage) {
    const flags = parseFlags(usage, args, {
      ...MIGRATION_FLAGS,
      ...TIMEOUT_FLAG,
      ...UNTIL_FLAG,
    });
    const cluster = clusterOf(flags, usage);
    const timeoutMs = timeoutOf(flags.timeout, usage);
    const target = targetOf('until', flags.until, usage);
    const progress = new Progress(io);
    const client = clientFrom(flags, io.env, usage, progress.apiLog);
    const current = await currentOf(client, cluster);
    const watch = { cluster, migrationId: current.id, status: current.status, target, timeoutMs, json: flags.json };
    return progress.waitAndReport(client, watch, io, (m) => `migration ${m.id} reached ${m.status}`);
  },
};
