import { type Command, parseFlags } from '../command';
import { CREDENTIALS_HELP, clientFrom } from '../credentials';
import { MIGRATION_FLAGS, MIGRATION_FLAG_HELP, clusterOf, latestOf, report } from './flags';

export const statusCommand: Command = {
  name: 'migration status',
  synopsis: ['--cluster UUID [--json]'],
  flags: MIGRATION_FLAG_HELP,
  notes: [
    CREDENTIALS_HELP,
    `\`status\` shows the cluster's most recent migration; a cluster that has had none yet is no error (exit 0,
null fields in JSON), a cluster that does not exist is (exit 1, error code no_such_cluster).`,
  ],
  async run(args, io, usage) {
    const flags = parseFlags(usage, args, MIGRATION_FLAGS);
    const cluster = clusterOf(flags, usage);
    const m = await latestOf(clientFrom(flags, io.env, usage), cluster);
    if (!m) {
      const none = { cluster_id: cluster, id: null, status: null, created_at: null };
      return report(io, flags.json, none, `cluster ${cluster} has no online migration yet`);
    }
    const text = `migration ${m.id} on cluster ${cluster}: ${m.status} ${m.created_at ? ` (started ${m.created_at})` : ''}`;
    return report(io, flags.json, { cluster_id: cluster, ...m }, text);
  },
};
