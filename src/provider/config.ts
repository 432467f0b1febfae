import { type ClientOptions, DoClient } from '../api/client';
import type { ProviderConfig } from '../../generated/types';
import { DiagnosticError, error } from '../tfplugin/framework/diagnostics';
import type { Context, State } from '../tfplugin/framework/provider';
import { extraCaCertificates } from '../tfplugin/wire/extra-ca';
import type { Logger } from '../tfplugin/wire/log';
import { USER_AGENT } from '../version';
import { providerSchema } from './schema';

/** The http_retry_* arguments as the client's retry settings (the schema's waits are in seconds). */
export function retrySettings(
  config: Pick<State<ProviderConfig>, 'http_retry_max' | 'http_retry_wait_min' | 'http_retry_wait_max'>,
): ClientOptions['retry'] {
  // The schema's fallbacks fill these: never null here.
  return {
    limit: config.http_retry_max!,
    waitMinMs: config.http_retry_wait_min! * 1000,
    waitMaxMs: config.http_retry_wait_max! * 1000,
  };
}

const fallback = <T>(name: keyof ProviderConfig) => providerSchema.rules[name]!.fallback as T;

/** What an unset provider configuration gives the client: the schema's fallbacks, for clients built outside the provider (tests, the demo). */
export const CLIENT_DEFAULTS: Pick<ClientOptions, 'endpoint' | 'retry'> = {
  endpoint: fallback('api_endpoint'),
  retry: retrySettings({
    http_retry_max: fallback('http_retry_max'),
    http_retry_wait_min: fallback('http_retry_wait_min'),
    http_retry_wait_max: fallback('http_retry_wait_max'),
  }),
};

const [tokenVariable, ...otherTokenVariables] = providerSchema.rules.token!.env!;
const NO_TOKEN =
  `Set the ${tokenVariable} environment variable (or ${otherTokenVariables.join(', ')}), or the provider's ` +
  '`token` argument, to a token with the database:read, database:update and database:delete scopes.';

/** What ConfigureProvider leaves for the resources. */
export interface ProviderData {
  /** The API client; throws the diagnostic that says why there is none. */
  client(): DoClient;
}

/** The API client for a request, or (thrown, reported by the framework) the diagnostic that explains why there is none. */
export function clientOf(ctx: Context<ProviderData>): DoClient {
  if (!ctx.data)
    throw new DiagnosticError(
      error('Provider not configured', 'Terraform did not configure the dodb provider before using it; this is a bug.'),
    );
  return ctx.data.client();
}

/**
 * The client from the arguments, which the framework has already filled from the environment
 * variables and fallbacks the schema names (the variables the official DigitalOcean provider reads).
 * Nothing is guessed for an argument known only at apply: an API call before then is an error.
 */
export function configureProvider(
  config: State<ProviderConfig>,
  unknown: ReadonlySet<string>,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): ProviderData {
  let client: DoClient | undefined;
  return {
    client() {
      if (unknown.size > 0) throw new DiagnosticError(notKnownYet([...unknown]));
      if (!config.token) throw new DiagnosticError(error('No DigitalOcean API token', NO_TOKEN));
      client ??= new DoClient({
        token: config.token,
        // The schema's fallbacks fill these: never null here.
        endpoint: config.api_endpoint!,
        userAgent: USER_AGENT,
        log: (level, message, fields) => logger.log(level, message, fields),
        logs: (level) => logger.shows?.(level) ?? true,
        certificateAuthorities: extraCaCertificates(env, (message) => logger.log('warn', message)),
        retry: retrySettings(config),
      });
      return client;
    },
  };
}

function notKnownYet(names: string[]) {
  const list = names.map((name) => `\`${name}\``).join(', ');
  return error(
    'Provider configuration not known yet',
    `The dodb provider's ${list} will only be known after apply (it comes from another resource), so this ` +
      'operation cannot call the DigitalOcean API now. Set it from a value known at plan time, such as a ' +
      'variable or the environment, or apply the resource it comes from first (`terraform apply -target=...`).',
  );
}
