import type { StartMigrationRequest } from '../../generated/types';
import { UsageError } from './command';
import { MIGRATION, checkFlag } from './schema-checks';

/** The source as the API takes it; the password comes from standard input, never from a flag. */
export type Source = Omit<StartMigrationRequest['source'], 'password'>;

export const SOURCE_FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'db-name': { type: 'string' },
  username: { type: 'string' },
  'source-uri': { type: 'string' },
} as const;

type SourceFlags = { [flag in keyof typeof SOURCE_FLAGS]?: string };

/** The flag for each source field, and the resource's attribute whose rules check it. */
const FIELDS: Array<[field: keyof Source, flag: keyof typeof SOURCE_FLAGS, attribute: string]> = [
  ['host', 'host', 'source.host'],
  ['port', 'port', 'source.port'],
  ['dbname', 'db-name', 'source.db_name'],
  ['username', 'username', 'source.username'],
];

/** The schemes --source-uri takes, with the port each implies when the URI has none. */
const SCHEMES: Record<string, number> = {
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  redis: 6379,
  rediss: 6379,
  valkey: 6379,
  valkeys: 6379,
};

/** The source from `--source-uri scheme://user@host:port/db` and/or the single flags (flags win). */
export function sourceFromFlags(flags: SourceFlags, usage: string): Source {
  const source: Partial<Source> = flags['source-uri'] ? sourceFromUri(flags['source-uri'], usage) : {};
  if (flags.host !== undefined) source.host = flags.host;
  if (flags.port !== undefined) source.port = parsePort(flags.port, usage);
  if (flags['db-name'] !== undefined) source.dbname = flags['db-name'];
  if (flags.username !== undefined) source.username = flags.username;
  if (!source.host)
    throw new UsageError("--host (or --source-uri) is required: the source database's host name", usage);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source.host)) {
    throw new UsageError(
      `--host must be a host name, not a URL; use --source-uri for ${source.host.split(':')[0]}:// URLs`,
      usage,
    );
  }
  if (source.port === undefined)
    throw new UsageError("--port (or --source-uri) is required: the source database's port (1-65535)", usage);
  for (const [field, flag, attribute] of FIELDS) {
    const value = source[field];
    const label = flags[flag] === undefined ? `the ${field} in --source-uri` : `--${flag}`;
    if (value !== undefined) checkFlag(MIGRATION, attribute, label, value, usage);
  }
  const { host, port, dbname, username } = source;
  return { host, port, ...(dbname ? { dbname } : {}), ...(username ? { username } : {}) };
}

function sourceFromUri(text: string, usage: string): Partial<Source> {
  let uri: URL;
  try {
    uri = new URL(text);
  } catch {
    throw new UsageError('--source-uri must look like postgres://user@host:5432/dbname', usage);
  }
  const scheme = uri.protocol.replace(/:$/, '');
  if (!(scheme in SCHEMES)) {
    throw new UsageError(
      `--source-uri: unsupported scheme "${scheme}"; use one of ${Object.keys(SCHEMES).join(', ')}`,
      usage,
    );
  }
  // Refused, never dropped: a password on the command line shows in the process list and the shell history.
  const secret = uri.password
    ? 'a password (user:password@)'
    : [...uri.searchParams.keys()].find((name) => /password/i.test(name));
  if (secret) {
    const what = uri.password ? secret : `a password (the "${secret}" parameter)`;
    throw new UsageError(
      `--source-uri must not contain ${what}: it would show in the process list and the shell history. ` +
        'Leave it out of the URI and pipe the password to --password-stdin, e.g. `dodb migration start ' +
        '--source-uri postgres://user@host:5432/db --password-stdin < password-file`',
      usage,
    );
  }
  return {
    host: uri.hostname.replace(/^\[|\]$/g, ''),
    port: uri.port ? Number(uri.port) : SCHEMES[scheme],
    dbname: decodeURIComponent(uri.pathname.replace(/^\//, '')) || undefined,
    username: decodeURIComponent(uri.username) || undefined,
  };
}

/** A whole number; its range is the schema's, checked with the other fields. */
function parsePort(text: string, usage: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--port must be a whole number (got "${text}")`, usage);
  return Number(text);
}
