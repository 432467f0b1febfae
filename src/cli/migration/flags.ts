import type { Migration } from '../../../generated/types';
import type { DoClient } from '../../api/client';
import { REACHED, type WaitTarget } from '../../vocabulary/status';
import { parseDuration } from '../../vocabulary/duration';
import { type FlagHelp, type Io, UsageError, print } from '../command';
import { CREDENTIAL_FLAGS, CREDENTIAL_FLAG_HELP } from '../credentials';
import { CliError } from '../exit-codes';
import { MIGRATION, checkFlag } from '../schema-checks';

/** What every migration command takes: the cluster, the credentials, and JSON output. */
export const MIGRATION_FLAGS = {
  cluster: { type: 'string' },
  json: { type: 'boolean', default: false },
  ...CREDENTIAL_FLAGS,
} as const;

export const MIGRATION_FLAG_HELP: FlagHelp[] = [
  ['--cluster UUID', "the target database cluster's UUID (required)"],
  ['--json', 'print the result, or the error, as one JSON object on stdout (default: a sentence)'],
  ...CREDENTIAL_FLAG_HELP,
];

/** A wait is bounded like the resource's create, by the schema's rule for `timeouts.create`. */
const TIMEOUT_RULE = MIGRATION.rules['timeouts.create']!;

export const TIMEOUT_FLAG = { timeout: { type: 'string', default: String(TIMEOUT_RULE.fallback) } } as const;

export const TIMEOUT_FLAG_HELP: FlagHelp = [
  '--timeout DURATION',
  `longest wait, a Go duration such as 30m or 1h30m (default ${TIMEOUT_FLAG.timeout.default}); when it runs out, ` +
    'the command exits 3 and the migration goes on',
];

/** `watch` waits, by default, for what the resource's `wait_for` defaults to. */
export const UNTIL_FLAG = { until: { type: 'string', default: String(MIGRATION.rules.wait_for!.default) } } as const;

export function clusterOf(flags: { cluster?: string }, usage: string): string {
  if (!flags.cluster) throw new UsageError("--cluster is required: the target cluster's UUID", usage);
  checkFlag(MIGRATION, 'cluster_id', '--cluster', flags.cluster, usage);
  return flags.cluster;
}

/** --timeout in ms. */
export function timeoutOf(text: string, usage: string): number {
  const { minDuration, maxDuration } = TIMEOUT_RULE.checks!;
  const ms = parseDuration(text);
  if (ms === undefined || ms < parseDuration(minDuration!)! || ms > parseDuration(maxDuration!)!) {
    const range = `from ${minDuration} to ${maxDuration}`;
    throw new UsageError(`--timeout must be a Go duration ${range}, such as 30m or 1h30m (got "${text}")`, usage);
  }
  return ms;
}

/** The status a flag says to wait for, or one of the `other` choices (such as `none`: do not wait). */
export function targetOf<Other extends string = never>(
  flag: string,
  text: string,
  usage: string,
  other: readonly Other[] = [],
): WaitTarget | Other {
  const choices: string[] = [...other, ...Object.keys(REACHED)];
  if (!choices.includes(text))
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')} (got "${text}")`, usage);
  return text as WaitTarget | Other;
}

/** The result: one JSON object with --json, else a sentence. */
export function report(io: Pick<Io, 'stdout'>, json: boolean, data: Record<string, unknown>, text: string): number {
  return print(io, json ? JSON.stringify(data) : text);
}

/**
 * The cluster's most recent migration, or undefined when the cluster has had none yet; a cluster
 * that does not exist is a CliError (the API answers 404 for both: the cluster tells them apart).
 */
export async function latestOf(client: DoClient, cluster: string): Promise<Migration | undefined> {
  const latest = await client.findMigration(cluster);
  if (latest || (await client.clusterExists(cluster))) return latest;
  throw new CliError('no_such_cluster', `no such cluster ${cluster}: the API answered 404 for it`);
}

/** The migration to follow or stop: the most recent one, which must exist. */
export async function currentOf(client: DoClient, cluster: string): Promise<Migration> {
  const latest = await latestOf(client, cluster);
  if (latest) return latest;
  throw new CliError('no_migration', `cluster ${cluster} has no online migration yet`);
}
