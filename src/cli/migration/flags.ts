import { REACHED, type WaitTarget } from '../../vocabulary/status';
import { parseDuration } from '../../vocabulary/duration';
import { type Io, UsageError, print } from '../command';
import { CREDENTIAL_FLAGS } from '../credentials';
import { MIGRATION, checkFlag } from '../schema-checks';

/** What every migration command takes: the cluster, the credentials, and JSON output. */
export const MIGRATION_FLAGS = {
  cluster: { type: 'string' },
  json: { type: 'boolean', default: false },
  ...CREDENTIAL_FLAGS,
} as const;

/** A wait is bounded like the resource's create, by the schema's rule for `timeouts.create`. */
const TIMEOUT_RULE = MIGRATION.rules['timeouts.create']!;

export const TIMEOUT_FLAG = { timeout: { type: 'string', default: String(TIMEOUT_RULE.fallback) } } as const;

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
