import { REACHED } from '../../vocabulary/status';
import { type Command, parseFlags } from '../command';
import { CREDENTIALS_HELP, clientFrom } from '../credentials';
import { MIGRATION_FLAGS, TIMEOUT_FLAG, clusterOf, targetOf, timeoutOf, UNTIL_FLAG } from './flags';
import { waitAndReport } from './progress';

export const watchCommand: Command = {
  name: 'migration watch',
  synopsis: [
    `--cluster UUID [--until ${Object.keys(REACHED).join('|')}] [--timeout ${TIMEOUT_FLAG.timeout.default}] [--json]`,
  ],
  notes: [CREDENTIALS_HELP],
  async run(args, io, usage) {
    const flags = parseFlags(usage, args, {
      ...MIGRATION_FLAGS,
      ...TIMEOUT_FLAG,
      ...UNTIL_FLAG,
    });
    const cluster = clusterOf(flags, usage);
    const timeoutMs = timeoutOf(flags.timeout, usage);
    const target = targetOf('until', flags.until, usage);
    const client = clientFrom(flags, io.env, usage);
    const current = await client.getMigration(cluster);
    const watch = { cluster, migrationId: current.id, target, timeoutMs, json: flags.json };
    return waitAndReport(client, watch, io, (m) => `migration ${m.id} reached ${m.status}`);
  },
};
