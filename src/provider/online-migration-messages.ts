import { ApiError, StartRefusedError } from '../api/errors';
import { WaitError } from '../api/wait';
import { type Diagnostic, error, warning } from '../tfplugin/framework/diagnostics';
import { apiDiagnostic } from './api-diagnostics';

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

export const invalidImportId = (id: string) =>
  error(
    'Invalid import ID',
    `Import a migration by its target cluster's UUID, such as 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30; got "${id}".`,
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
    thrown.code === 'timeout' ? ' Raise `timeouts.create` or set `wait_for = "running"` to return sooner.' : '';
  return error(summaries[thrown.code], `${thrown.message}.${hint}\n\n${kept}`);
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
  if (thrown instanceof StartRefusedError) {
    const detail =
      `${capitalize(thrown.message)}. Nothing was started. If replicating the source over the cluster again is ` +
      'what you want, set `allow_overwrite_after_cutover = true`.';
    return error('Cluster was cut over', detail, ['cluster_id']);
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
