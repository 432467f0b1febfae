import type { Migration } from '../../../generated/types';
import { type Command, parseFlags } from '../command';
import { CREDENTIALS_HELP, clientFrom } from '../credentials';
import { CliError } from '../exit-codes';
import { confirmed } from './confirm';
import { MIGRATION_FLAGS, MIGRATION_FLAG_HELP, clusterOf, latestOf, report } from './flags';

const STOP_FLAGS = {
  ...MIGRATION_FLAGS,
  migration: { type: 'string' },
  yes: { type: 'boolean', default: false },
} as const;

const CUTOVER_NOTE = `Stopping a \`syncing\` migration is the cutover: the target cluster stops replicating from the
source and runs on its own, so writes must already go to it. \`stop\` says so and asks on a terminal;
off a terminal (a script, CI) it needs --yes, or it exits 2 and stops nothing. Stopping a \`running\`
migration cancels its initial copy. A migration that already ended (done, canceled, error) is not
stopped again: exit 4. With Terraform, prefer \`cutover = true\` on the resource: a reviewed change.`;

export const stopCommand: Command = {
  name: 'migration stop',
  synopsis: ['--cluster UUID [--migration ID] [--yes] [--json]'],
  flags: [
    MIGRATION_FLAG_HELP[0]!,
    ['--migration ID', "the migration to stop; it must be the cluster's most recent (default: that one)"],
    ['--yes', 'confirm the cutover without asking (required off a terminal for a syncing migration)'],
    ...MIGRATION_FLAG_HELP.slice(1),
  ],
  notes: [CREDENTIALS_HELP, CUTOVER_NOTE],
  async run(args, io, usage) {
    const flags = parseFlags(usage, args, STOP_FLAGS);
    const cluster = clusterOf(flags, usage);
    const client = clientFrom(flags, io.env, usage);
    // Look first: only a migration just seen running or syncing is stopped.
    const latest = await latestOf(client, cluster);
    const id = flags.migration ?? latest?.id;
    if (!latest || latest.id !== id) {
      const why = latest ? `its most recent is ${latest.id}` : 'it has none yet';
      const what =
        id === undefined ? `cluster ${cluster} has no online migration` : `no migration ${id} on cluster ${cluster}`;
      throw new CliError('no_migration', `${what} (${why}): nothing was stopped`);
    }
    if (latest.status !== 'running' && latest.status !== 'syncing') {
      const already = latest.status === 'done' ? 'already done (cut over)' : `already ${latest.status}`;
      throw new CliError('already_ended', `migration ${id} on cluster ${cluster} is ${already}: nothing was stopped`);
    }
    const cutover = latest.status === 'syncing';
    if (cutover) await confirmCutover(latest, cluster, flags.yes, io);
    if (!(await client.stopMigration(cluster, latest.id))) {
      throw new CliError(
        'no_migration',
        `cluster ${cluster} no longer shows migration ${id} running or syncing: nothing was stopped`,
      );
    }
    const text = cutover
      ? `stopped migration ${id} on cluster ${cluster}: the cutover is done, the cluster runs on its own`
      : `stopped migration ${id} on cluster ${cluster}: its initial copy was canceled (no cutover)`;
    return report(io, flags.json, { cluster_id: cluster, id, stopped: true, cutover }, text);
  },
};

/** The cutover is said out loud, then confirmed: --yes, or "yes" typed on a terminal. */
async function confirmCutover(
  migration: Migration,
  cluster: string,
  yes: boolean,
  io: Parameters<Command['run']>[1],
): Promise<void> {
  const what =
    `migration ${migration.id} is syncing: stopping it is the cutover. Cluster ${cluster} stops replicating ` +
    'from its source and runs on its own; writes must already go to it.';
  if (yes) return void io.stderr.write(`dodb: ${what}\n`);
  if (!io.stdin.isTTY) {
    const needed = `${what} Off a terminal, pass --yes to confirm; nothing was stopped`;
    throw new CliError('confirmation_required', needed);
  }
  if (!(await confirmed(io, `dodb: ${what}`))) {
    throw new CliError('not_confirmed', `the cutover was not confirmed: nothing was stopped`);
  }
}
