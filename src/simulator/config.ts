import { randomUUID } from 'node:crypto';

export interface SimulatorOptions {
  port?: number;
  token?: string;
  stateFile?: string;
  /** Time from `running` to `syncing`, ms. */
  syncDelayMs?: number;
  /** Requests per token per window. */
  rateLimit?: number;
  rateWindowMs?: number;
  /** Requests accepted in any burst window, not shown in the headers (a 429 with none to explain it); unset: no burst limit. */
  burstLimit?: number;
  /** The burst limit's sliding window, ms (a minute unless set): tests shorten it. */
  burstWindowMs?: number;
  /** Refuse a start while the cluster's migration is `running` or `syncing`. */
  refuseConcurrent?: boolean;
  /** How far the server's clock is ahead of (or, negative, behind) this machine's, ms: created_at shows it. */
  clockSkewMs?: number;
  /**
   * What a `syncing` migration that is stopped (the cutover) then shows: `done` (the default),
   * `canceled`, or `gone` (the GET answers 404). The API documentation does not say which.
   */
  syncingStopsAs?: SyncingStop;
}

export const SYNCING_STOPS = ['done', 'canceled', 'gone'] as const;
export type SyncingStop = (typeof SYNCING_STOPS)[number];

/** What the admin API may change while the simulator runs (`POST /_sim/config`), besides the burst limit. */
export const TUNABLE = [
  'syncDelayMs',
  'rateLimit',
  'rateWindowMs',
  'refuseConcurrent',
  'clockSkewMs',
  'syncingStopsAs',
] as const;

export type SimulatorConfig = { token: string } & Required<Pick<SimulatorOptions, (typeof TUNABLE)[number]>>;

/** DigitalOcean's own limit (250 requests a minute) and a timeline short enough for a demo. */
export const SIMULATOR_DEFAULTS: Omit<SimulatorConfig, 'token'> = {
  syncDelayMs: 3000,
  rateLimit: 250,
  rateWindowMs: 60_000,
  refuseConcurrent: true,
  clockSkewMs: 0,
  syncingStopsAs: 'done',
};

export function configFrom(options: SimulatorOptions): SimulatorConfig {
  return {
    token: options.token ?? `dop_v1_sim_${randomUUID().replace(/-/g, '')}`,
    ...SIMULATOR_DEFAULTS,
    ...tunables(options),
  };
}

type Tunable = (typeof TUNABLE)[number];

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/** What each tunable setting accepts, and how a refusal says so. */
const ACCEPTS: Record<Tunable, [test: (value: unknown) => boolean, accepted: string]> = {
  syncDelayMs: [isCount, 'a whole number of ms, 0 or more'],
  rateLimit: [(value) => isCount(value) && (value as number) > 0, 'a whole number of requests, 1 or more'],
  rateWindowMs: [(value) => isCount(value) && (value as number) > 0, 'a whole number of ms, 1 or more'],
  refuseConcurrent: [(value) => typeof value === 'boolean', 'true or false'],
  clockSkewMs: [Number.isSafeInteger, 'a whole number of ms, negative for a clock behind'],
  syncingStopsAs: [(value) => SYNCING_STOPS.includes(value as SyncingStop), SYNCING_STOPS.join(', ')],
};

/** Why `input` cannot be applied as settings (the first setting it gets wrong), or undefined. */
export function tunablesRefusal(input: { [key in Tunable]?: unknown }): string | undefined {
  const wrong = TUNABLE.find((key) => input[key] !== undefined && !ACCEPTS[key][0](input[key]));
  return wrong && `${wrong} must be ${ACCEPTS[wrong][1]}; got ${JSON.stringify(input[wrong])}`;
}

/** The tunable settings `input` sets (undefined leaves one as it is). */
export function tunables(input: { [key in Tunable]?: unknown }): Partial<SimulatorConfig> {
  return Object.fromEntries(TUNABLE.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]));
}
