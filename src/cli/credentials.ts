import { DoClient } from '../api/client';
import { resolveProviderConfig } from '../tfplugin/framework/environment';
import type { ObjectValue } from '../tfplugin/wire/values';
import type { ProviderConfig } from '../../generated/types';
import type { State } from '../tfplugin/framework/provider';
import { retrySettings } from '../provider/config';
import { USER_AGENT } from '../version';
import { type FlagHelp, UsageError } from './command';
import type { LogFn } from '../api/client';
import { PROVIDER, checkFlag } from './schema-checks';

/** The provider's `token` and `api_endpoint` arguments, as flags by the same names. */
export const CREDENTIAL_FLAGS = {
  token: { type: 'string' },
  'api-endpoint': { type: 'string' },
} as const;

type CredentialFlag = keyof typeof CREDENTIAL_FLAGS;

const attributeOf = (flag: CredentialFlag) => flag.replace(/-/g, '_');

/** Where a credential comes from when its flag is not given, in the schema's order. */
function fallbacks(flag: CredentialFlag): string {
  const rule = PROVIDER.rules[attributeOf(flag)]!;
  return [...(rule.env ?? []), ...(rule.fallback === undefined ? [] : [String(rule.fallback)])]
    .map((from) => `else ${from}`)
    .join(', ');
}

export const CREDENTIALS_HELP = `Common flags: --api-endpoint URL (${fallbacks('api-endpoint')}),
  --token T (${fallbacks('token')}).`;

export const CREDENTIAL_FLAG_HELP: FlagHelp[] = [
  [
    '--api-endpoint URL',
    `origin of the DigitalOcean API (default: ${fallbacks('api-endpoint').replace(/^else /, '')})`,
  ],
  ['--token T', `API token (default: ${fallbacks('token').replace(/^else /, '')})`],
];

/**
 * A client with the token and endpoint the provider would use: a flag wins, then the environment
 * variables and the fallback the schema names, all checked by the schema's rules.
 */
export function clientFrom(
  flags: { [flag in CredentialFlag]?: string },
  env: NodeJS.ProcessEnv,
  usage: string,
  log?: LogFn,
): DoClient {
  const config: ObjectValue = Object.fromEntries(
    Object.keys(PROVIDER.block.attributes ?? {}).map((name) => [name, null]),
  );
  for (const flag of Object.keys(CREDENTIAL_FLAGS) as CredentialFlag[]) {
    const value = flags[flag];
    if (value === undefined) continue;
    checkFlag(PROVIDER, attributeOf(flag), `--${flag}`, value, usage);
    config[attributeOf(flag)] = value;
  }
  const { resolved, problems } = resolveProviderConfig(PROVIDER.block, PROVIDER.rules, config, env);
  // The detail names the environment variable the value came from.
  if (problems[0]) throw new UsageError((problems[0].detail ?? problems[0].summary).replace(/\n+/g, ' '), usage);
  const { token, api_endpoint: endpoint } = resolved;
  if (typeof token !== 'string') {
    throw new UsageError(`no API token: pass --token or set ${PROVIDER.rules.token!.env!.join(' or ')}`, usage);
  }
  if (typeof endpoint !== 'string') throw new Error('the provider schema gives api_endpoint no fallback');
  return new DoClient({
    token,
    endpoint,
    userAgent: USER_AGENT,
    log,
    retry: retrySettings(resolved as State<ProviderConfig>),
  });
}
