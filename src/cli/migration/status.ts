import { type Command, parseFlags } from '../command';
import { CREDENTIALS_HELP, clientFrom } from '../credentials';
import { MIGRATION_FLAGS, clusterOf, report } from './flags';

export const statusCommand: Command = {
  name: 'migration status',
  synopsis: ['--cluster UUID [--json]'],
  notes: [CREDENTIALS_HELP],
  async run(args, io, usage) {
    const flags = parseFlags(usage, args, MIGRATION_FLAGS);
    const cluster = clusterOf(flags, usage);
    const m = await clientFrom(flags, io.env, usage).getMigration(cluster);
    const text = `migration ${m.id} on cluster ${cluster}: ${m.status}${m.created_at ? ` (started ${m.created_at})` : ''}`;
    return report(io, flags.json, { cluster_id: cluster, ...m }, text);
  },
};
