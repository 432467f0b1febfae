import { ApiError, StartRefusedError } from '../../api/errors';
import { StartLockError } from '../../api/start-lock';
import { MIGRATABLE_ENGINES } from '../../vocabulary/engines';
import { WaitError } from '../../api/wait';
import { type Diagnostic, error, warning } from '../../tfplugin/framework/diagnostics';
import { quoted } from '../../tfplugin/framework/validate';
import { apiDiagnostic } from '../api-diagnostics';

/** What dodb_online_migration tells its users: each message says what happened, what was kept and what to run. */

export const notShown = (clusterId: string, id: string | null) =>
  warning(
    'Online migration not shown by the API',
    `The API shows no online migration on cluster ${clusterId}, which exists, so migration ${id} stays in the ` +
      'state and nothing is started or stopped. Check api_endpoint (or DIGITALOCEAN_API_URL); if the migration ' +
      'is really gone, remove it with `terraform state rm`.',
  );

export const clusterGone = (clusterId: string, id: string | null) =>
  warning(
    'Database cluster not found',
    `Cluster ${clusterId} no longer exists, so online migration ${id} was removed from the state.`,
  );

export const notFoundHere = (clusterId: string, id: string | null) =>
  warning(
    'Database cluster not found with this endpoint or token',
    `The API answers that cluster ${clusterId} does not exist, but migration ${id} was started or imported with ` +
      'another api_endpoint or token (or before dodb recorded which), which may simply not see the cluster, ' +
      "such as a staging origin or another team's token. The migration stays in the state and nothing is started " +
      'or stopped. Switch back to the endpoint and token that started it; if the cluster is really gone, remove it ' +
      'with `terraform state rm`.',
  );

export const notStopped = (clusterId: string, id: string) =>
  warning(
    'Online migration not stopped',
    `Cluster ${clusterId} does not show migration ${id} running or syncing now (it ended, was cut over, or another ` +
      'migration replaced it), so nothing was stopped; it was removed from the state. A migration that was cut ' +
      'over stays a cutover: a new start on the cluster needs `allow_overwrite_after_cutover = true`.',
  );

export const superseded = (clusterId: string, id: string | null, latest: { id: string; status: string }) =>
  warning(
    'Online migration superseded',
    `Cluster ${clusterId} now reports migration ${latest.id} ("${latest.status}"), started outside Terraform, ` +
      `instead of ${id}. Migration ${id} stays in the state so that no apply starts a migration over the other ` +
      `one. To manage ${latest.id} instead, run \`terraform state rm\` and \`terraform import\` for this resource ` +
      `with ID ${clusterId}.`,
  );

export const ended = (clusterId: string, id: string | null, status: string) =>
  warning(
    `Online migration ${status}`,
    `Migration ${id} on cluster ${clusterId} is "${status}". dodb never restarts a migration by itself, since ` +
      'replicating the old source after a cutover would overwrite new data. To start a new one, run ' +
      '`terraform apply -replace=<address>`; to stop tracking it, `terraform state rm <address>`.' +
      (status === 'done'
        ? ' If it was cut over outside Terraform, record it: set `cutover = true` (the apply makes no API call), ' +
          'and the record then refuses later starts over the cluster.'
        : ''),
  );

export const clusterNotFound = (clusterId: string) =>
  error(
    'Database cluster not found',
    `Cluster ${clusterId} does not exist (GET /v2/databases/${clusterId} answered 404); check \`cluster_id\` ` +
      "and the token's team: `doctl databases list` lists the clusters with their UUIDs.",
    ['cluster_id'],
  );

export const cannotMigrate = (cluster: { id: string; name: string; engine: string }) =>
  error(
    'Cluster cannot take an online migration',
    `Cluster ${cluster.id} ("${cluster.name}") runs the "${cluster.engine}" engine; DigitalOcean's online migration ` +
      `is only available for ${MIGRATABLE_ENGINES} clusters, so the apply's PUT would be refused. Set ` +
      '`cluster_id` to a cluster of one of those engines: `doctl databases list` shows each engine.',
    ['cluster_id'],
  );

/** Why a plan could not check a start, and that the apply still will. */
export const notCheckedAtPlan = (reason: string) =>
  warning(
    'Cluster not checked at plan',
    `${reason}\n\nThe plan goes on without the checks; the apply still looks at the cluster before it starts ` +
      'anything, and refuses there a cluster that does not exist, cannot be migrated, or already has a migration ' +
      'running, syncing or done.',
    ['cluster_id'],
  );

export const cutoverByReplacement = (clusterId: string, id: string | null) =>
  warning(
    'This replacement cuts the migration over',
    `Migration ${id} on cluster ${clusterId} is "syncing". The apply stops it first, and stopping a syncing ` +
      'migration is the cutover: DigitalOcean reports it "done" and the cluster runs on its own. Only then does ' +
      'it start a new migration, which replicates the source over the cluster again. To keep the migration ' +
      'running instead, undo the change that forces the replacement; to cut over on your own schedule, run ' +
      `\`dodb migration stop --cluster ${clusterId}\` first.`,
    ['cluster_id'],
  );

export const overwriteAfterCutover = (clusterId: string, latest: { id: string }) =>
  warning(
    'Starting over a cut-over cluster',
    `The most recent migration on cluster ${clusterId}, ${latest.id}, is "done": the cluster was cut over. With ` +
      '`allow_overwrite_after_cutover = true` the apply starts a new migration, which replicates the source over ' +
      'the cluster and overwrites what was written to it since the cutover.',
    ['cluster_id'],
  );

export const invalidImportId = (id: string) =>
  error(
    'Invalid import ID',
    "Import a migration by its target cluster's UUID, such as 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30; got " +
      `${quoted(id) ?? 'a URL or text with an "@", not repeated here'}.`,
  );

export const nothingToImport = (clusterId: string) =>
  error('Nothing to import', `Cluster ${clusterId} does not exist or has never had an online migration.`);

export const unsupportedMove = (from: string, allowed: string) =>
  error('Unsupported move', `dodb_online_migration can be moved only from ${allowed}, not from ${from}.`);

export const moveWithoutCluster = (officialType: string) =>
  error(
    'Cannot move this migration',
    `The ${officialType} state has no cluster_id (its import does not set one). Remove it from the state and ` +
      'import the migration with `terraform import dodb_online_migration.<name> <cluster UUID>` instead.',
  );

export const interrupted = (id: string, target: string) =>
  warning(
    'Stopped waiting for the online migration',
    `Terraform was interrupted while migration ${id} was on its way to "${target}". The migration goes on and ` +
      `is kept in the state; the next \`terraform apply\` waits for "${target}" again and starts nothing. ` +
      '`terraform destroy` stops it.',
  );

/** A wait that failed after the start: why, and how the migration kept in the state (tainted) can be kept or replaced. */
export function waitFailed(thrown: unknown, target: string, id: string, healthy: boolean): Diagnostic {
  const kept = healthy
    ? `Migration ${id} was started and is kept in the state, tainted. To keep this same migration, run ` +
      `\`terraform untaint <address>\`: the next apply then waits for "${target}" again and starts nothing. A ` +
      'plain `terraform apply` instead replaces it: it stops this migration and starts a new one. ' +
      '`terraform destroy` stops it.'
    : `Migration ${id} is kept in the state, tainted: the next apply replaces it with a new migration, and ` +
      '`terraform destroy` removes it.';
  if (!(thrown instanceof WaitError)) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return error(`Could not follow the online migration to "${target}"`, `${reason}\n\n${kept}`);
  }
  const summaries = {
    timeout: `Online migration did not reach "${target}" in time`,
    failed: `Online migration failed before reaching "${target}"`,
    canceled: 'Stopped waiting for the online migration',
    superseded: 'Online migration superseded while waiting',
  };
  const hint =
    thrown.reason === 'timeout' ? ' Raise `timeouts.create` or set `wait_for = "running"` to return sooner.' : '';
  return error(summaries[thrown.reason], `${thrown.message}.${hint}\n\n${kept}`);
}

/** A start that did not happen, or may have: a refusal names the way out, an unknown outcome the import. */
export function startFailed(thrown: unknown, clusterId: string): Diagnostic {
  if (thrown instanceof StartRefusedError && thrown.reason === 'active') {
    const detail =
      `${capitalize(thrown.message)}. To manage it with this resource, import it: ` +
      `\`terraform import <address> ${clusterId}\` (or an \`import\` block). To start a new one instead, stop it ` +
      `first (\`dodb migration stop --cluster ${clusterId}\`).`;
    return error('Cluster already has an online migration', detail, ['cluster_id']);
  }
  if (thrown instanceof StartRefusedError && thrown.reason === 'raced') {
    const detail =
      `${capitalize(thrown.message)}. The migration this apply started was replaced by it, so none is kept in the ` +
      `state and no later apply stops anything. To manage ${thrown.latest.id} with this resource, import it: ` +
      `\`terraform import <address> ${clusterId}\` (or an \`import\` block).`;
    return error('Another online migration started on the cluster at the same moment', detail, ['cluster_id']);
  }
  if (thrown instanceof StartRefusedError) {
    const detail =
      `${capitalize(thrown.message)}. Nothing was started. If replicating the source over the cluster again is ` +
      'what you want, set `allow_overwrite_after_cutover = true`.';
    return error('Cluster was cut over', detail, ['cluster_id']);
  }
  if (thrown instanceof StartLockError) {
    return error('Could not start the online migration', `${capitalize(thrown.message)}.`, ['cluster_id']);
  }
  if (thrown instanceof ApiError && thrown.code === 'start_unknown') {
    const detail =
      `${thrown.message}\n\nIf \`dodb migration status --cluster ${clusterId}\` shows a new migration, adopt it ` +
      `with \`terraform import <address> ${clusterId}\`; a plain apply will not start a second one while it runs.`;
    return error('Could not tell whether the online migration started', detail, ['cluster_id']);
  }
  return apiDiagnostic('Could not start the online migration', thrown);
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
