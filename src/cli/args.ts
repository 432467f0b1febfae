/** A command-line mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface SourceFlags {
  host?: string;
  port?: string;
  'db-name'?: string;
  username?: string;
  'source-uri'?: string;
}

export interface Source {
  host: string;
  port: number;
  dbname?: string;
  username?: string;
}

const SCHEMES: Record<string, number> = { postgres: 5432, postgresql: 5432, mysql: 3306, redis: 6379, rediss: 6379, valkey: 6379, valkeys: 6379 };

/** The source from `--source-uri scheme://user@host:port/db` and/or the single flags (flags win). */
export function sourceFromFlags(flags: SourceFlags, usage: string): Source {
  let source: Partial<Source> = {};
  if (flags['source-uri']) {
    let uri: URL;
    try {
      uri = new URL(flags['source-uri']);
    } catch {
      throw new UsageError('--source-uri must look like postgres://user@host:5432/dbname', usage);
    }
    const scheme = uri.protocol.replace(/:$/, '');
    if (!(scheme in SCHEMES)) throw new UsageError(`--source-uri: unsupported scheme "${scheme}"; use one of ${Object.keys(SCHEMES).join(', ')}`, usage);
    if (uri.password) throw new UsageError('--source-uri must not contain a password (it would show in the process list); pipe it to --password-stdin', usage);
    source = {
      host: uri.hostname.replace(/^\[|\]$/g, ''),
      port: uri.port ? Number(uri.port) : SCHEMES[scheme],
      dbname: decodeURIComponent(uri.pathname.replace(/^\//, '')) || undefined,
      username: decodeURIComponent(uri.username) || undefined,
    };
  }
  if (flags.host !== undefined) source.host = flags.host;
  if (flags.port !== undefined) source.port = parsePort(flags.port, usage);
  if (flags['db-name'] !== undefined) source.dbname = flags['db-name'];
  if (flags.username !== undefined) source.username = flags.username;
  if (!source.host) throw new UsageError('--host (or --source-uri) is required: the source database\'s host name', usage);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source.host)) throw new UsageError(`--host must be a host name, not a URL; use --source-uri for ${source.host.split(':')[0]}:// URLs`, usage);
  if (source.port === undefined) throw new UsageError('--port (or --source-uri) is required: the source database\'s port (1-65535)', usage);
  return source as Source;
}

function parsePort(text: string, usage: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`--port must be a whole number from 1 to 65535 (got "${text}")`, usage);
  return port;
}
