import { WaitError } from '../../api/wait';
import { error, warning } from '../../tfplugin/framework/diagnostics';
import type { PathStep } from '../../tfplugin/wire/values';

/** What `cutover = true` tells its users: at plan, what will stop; at apply, what was done and what to run next. */

/** The plan's warning: the reviewer reads which replication ends, and that writes must already go to the target. */
export function cutoverPlanned(clusterId: string, source: string, id: string | null, status: string | null): string {
  const base =
    `Applying this stops online migration ${id}: cluster ${clusterId} stops replicating from ${source} and runs ` +
    'on its own. Writes must already go to the target cluster: anything written to the source afterwards is not ' +
    'copied. The migration stays in the state as the record of the cutover (cutover_at), which refuses later ' +
    'starts over the cluster; a cutover cannot be undone.';
  if (status === 'running') {
    return (
      `${base}\n\nThe migration is still "running" (the initial copy): the apply waits until it is "syncing", at ` +
      'most timeouts.update, and stops nothing if it does not get there.'
    );
  }
  if (status === 'done' || status === 'canceled') {
    return `${base}\n\nThe migration already ended ("${status}"): the apply only records the cutover, with no API call.`;
  }
  return base;
}

export const cannotUndo = (cutoverAt: string | null) =>
  error(
    'A cutover cannot be undone',
    `This migration was cut over${cutoverAt ? ` at ${cutoverAt}` : ''}: the target cluster runs on its own and no ` +
      'longer replicates the source. Keep `cutover = true`. To replicate the source again (over what was written ' +
      'to the cluster since), start a new migration with `allow_overwrite_after_cutover = true` and ' +
      '`terraform apply -replace=<address>`.',
    ['cutover'],
  );

export const replaceAfterCutover = (clusterId: string, cutoverAt: string | null, path: PathStep[]) =>
  error(
    'Cluster was cut over',
    `This migration was cut over${cutoverAt ? ` at ${cutoverAt}` : ''}, and this change would start a new one on ` +
      `cluster ${clusterId}, replicating the source again over whatever was written to the cluster since. Nothing ` +
      'was started. If that is what you want, set `allow_overwrite_after_cutover = true`; otherwise undo the change.',
    path,
  );

/** The wait for `syncing` (or the look before the stop) failed: nothing was stopped, and the state is as it was. */
export function notCutOver(thrown: unknown, id: string, afterStart: boolean) {
  const why = thrown instanceof Error ? thrown.message : String(thrown);
  const summary =
    thrown instanceof WaitError && thrown.reason === 'timeout'
      ? 'Online migration did not reach "syncing" in time: nothing was cut over'
      : thrown instanceof WaitError && thrown.reason === 'canceled'
        ? 'Interrupted before the cutover: nothing was stopped'
        : 'Online migration was not cut over';
  const hint =
    thrown instanceof WaitError && thrown.reason === 'timeout'
      ? ' Watch it with `dodb migration watch --cluster <cluster UUID>`, raise `timeouts.update` if it needs longer, ' +
        'and apply again.'
      : '';
  const kept = afterStart
    ? `Migration ${id} was started and is kept in the state, tainted, with no cutover recorded. To keep it and cut ` +
      'it over, run `terraform untaint <address>` and apply again; a plain apply replaces it with a new migration.'
    : `Nothing was stopped: migration ${id} goes on, and the state is as it was (not tainted). The next apply looks ` +
      'again and stops it only once it is seen "syncing".';
  return error(summary, `${why}.${hint}\n\n${kept}`, ['cutover']);
}

export const stopFailed = (thrown: unknown, id: string) =>
  error(
    'Could not stop the online migration for the cutover',
    `${thrown instanceof Error ? thrown.message : String(thrown)}\n\nNo cutover was recorded, and the state is as ` +
      `it was. The next apply looks again: if migration ${id} has ended, it records the cutover with no API call; ` +
      'if it is still "syncing", it stops it.',
    ['cutover'],
  );

export const endedBeforeCutover = (id: string, status: string | null) =>
  warning(
    'Online migration had already ended: cutover recorded, nothing sent',
    `Migration ${id} ${status ? `was already "${status}"` : 'was no longer shown by the API'} when the apply looked, ` +
      'so nothing was stopped. The state records the cutover (cutover_at), which refuses later starts over the ' +
      'cluster.',
  );

export const endNotSeen = (id: string, lastStatus: string | null, why: string) =>
  warning(
    'Online migration stopped, but its end was not seen',
    `The API accepted the stop of migration ${id} (the cutover), but ${why}; its last status was ` +
      `"${lastStatus ?? 'unknown'}". The cutover is recorded (cutover_at) and the next refresh reads the status.`,
  );
