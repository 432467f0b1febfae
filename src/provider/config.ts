import { DoClient, type LogFn } from '../api/client';
import { type Diagnostic, error } from '../tfplugin/framework/diagnostics';
import { extraCaCertificates } from '../tfplugin/wire/extra-ca';
import type { Logger } from '../tfplugin/wire/log';
import type { Context } from '../tfplugin/framework/provider';
import type { ObjectValue } from '../tfplugin/wire/values';
import { USER_AGENT } from '../version';

/** What ConfigureProvider leaves for the resources: a client, or why there is none. */
export interface ProviderData {
  client(): DoClient | Diagnostic;
}

/** The API client for a request, or the diagnostic that explains why there is none. */
export function clientOf(ctx: Context<ProviderData>): DoClient | Diagnostic {
  return ctx.data ? ctx.data.client() : error('Provider not configured', 'Terraform did not configure the dodb provider before using it; this is a bug.');
}

/**
 * The client from the arguments, which the protocol layer has already filled from the environment
 * variables the schema names (those the official DigitalOcean provider reads) and validated.
 */
export function configureProvider(config: ObjectValue, env: NodeJS.ProcessEnv, logger: Logger): ProviderData {
  const text = (name: string) => (typeof config[name] === 'string' ? (config[name] as string) : undefined);
  const number = (name: string) => config[name] as number;
  const token = text('token');
  const endpoint = text('api_endpoint')!;
  const log: LogFn = (level, message, fields) => logger.log(level, message, fields);
  let client: DoClient | undefined;
  return {
    client() {
      if (!token) {
        return error(
          'No DigitalOcean API token',
          'Set the DIGITALOCEAN_TOKEN environment variable (or DIGITALOCEAN_ACCESS_TOKEN), or the provider\'s `token` argument, to a token with the database:read, database:update and database:delete scopes.',
        );
      }
      client ??= new DoClient({
        token,
        endpoint,
        userAgent: USER_AGENT,
        log,
        certificateAuthorities: extraCaCertificates(env, (message) => log('warn', message)),
        retry: {
          limit: number('http_retry_max'),
          waitMinMs: number('http_retry_wait_min') * 1000,
          waitMaxMs: number('http_retry_wait_max') * 1000,
        },
      });
      return client;
    },
  };
}
