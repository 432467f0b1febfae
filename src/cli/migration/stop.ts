import { type Command, parseFlags } from '../command';
import { CREDENTIALS_HELP, clientFrom } from '../credentials';
import { MIGRATION_FLAGS, clusterOf, report } from './flags';

export const stopCommand: Command = {
  name: 'migration stop',
  synopsis: ['--cluster UUID [--migration ID] [--json]'],
  notes: [CREDENTIALS_HELP],
  async run(args, io, usage) {
    const flags = parseFlags(usage, args, { ...MIGRATION_FLAGS, migration: { type: 'string' } });
    const cluster = clusterOf(flags, usage);
    const client = clientFrom(flags, io.env, usage);
    const id = flags.migration ?? (await client.getMigration(cluster)).id;
    if (!(await client.stopMigration(cluster, id))) {
      io.stderr.write(
        `dodb: cluster ${cluster} does not show migration ${id} running or syncing: nothing was stopped\n`,
      );
      return 1;
    }
    return report(
      io,
      flags.json,
      { cluster_id: cluster, id, stopped: true },
      `stopped migration ${id} on cluster ${cluster}`,
    );
  },
};
