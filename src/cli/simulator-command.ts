import { SIMULATOR_DEFAULTS, SYNCING_STOPS, type SimulatorOptions, type SyncingStop } from '../simulator/config';
import { startSimulator } from '../simulator/server';
import { parseDuration } from '../vocabulary/duration';
import { type Command, UsageError, parseFlags } from './command';
import { PROVIDER } from './schema-checks';

const SIMULATOR_FLAGS = {
  port: { type: 'string' },
  token: { type: 'string' },
  state: { type: 'string' },
  'sync-delay': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-window': { type: 'string' },
  'burst-limit': { type: 'string' },
  'allow-concurrent': { type: 'boolean', default: false },
  'clock-skew': { type: 'string' },
  'syncing-stops-as': { type: 'string' },
} as const;

type Flags = ReturnType<typeof parseFlags<typeof SIMULATOR_FLAGS>>;
type TextFlag = Exclude<keyof Flags, 'allow-concurrent'>;

/** What to export for the provider and the CLI to use it: the variables the provider's schema reads first. */
const [URL_VARIABLE, TOKEN_VARIABLE] = [PROVIDER.rules.api_endpoint!.env![0], PROVIDER.rules.token!.env![0]];

const seconds = (ms: number) => `${ms / 1000}s`;
const { syncDelayMs, rateLimit, rateWindowMs } = SIMULATOR_DEFAULTS;

export const simulatorCommand: Command = {
  name: 'simulator',
  synopsis: [
    `[--port N] [--token T] [--state FILE] [--sync-delay ${seconds(syncDelayMs)}] [--rate-limit ${rateLimit}]`,
    `[--rate-window ${seconds(rateWindowMs)}] [--burst-limit N] [--allow-concurrent] [--clock-skew=0s|-10m|10m]`,
    `[--syncing-stops-as ${SYNCING_STOPS.join('|')}]`,
  ],
  flags: [
    ['--port N', 'the port on 127.0.0.1 (0, the default: a free one, printed in the URL)'],
    ['--token T', 'the bearer token it accepts (default: a new random one, printed)'],
    ['--state FILE', 'keep clusters and migrations in FILE across restarts (default: in memory)'],
    ['--sync-delay D', `how long a new migration stays running before it is syncing (${seconds(syncDelayMs)})`],
    ['--rate-limit N', `requests per token per window, shown in the ratelimit headers (${rateLimit})`],
    ['--rate-window D', `the rate-limit window, opened by the token's first request (${seconds(rateWindowMs)})`],
    ['--burst-limit N', 'requests in any minute, answered 429 with no retry-after beyond it (default: none)'],
    [
      '--allow-concurrent',
      'accept a start while the cluster has a running or syncing migration (DigitalOcean refuses)',
    ],
    ['--clock-skew D', "the server clock's offset from this machine's, negative for behind; created_at shows it (0s)"],
    [
      `--syncing-stops-as ${SYNCING_STOPS.join('|')}`,
      'what a stopped syncing migration (the cutover) then shows: done (the default), canceled, or gone (its GET ' +
        'answers 404); the API documentation does not say which; POST /_sim/config {"syncingStopsAs": ...} changes it',
    ],
  ],
  notes: [
    'simulator serves the online-migration API on 127.0.0.1 and prints its URL, token and seeded clusters; admin routes under /_sim/ reset it, add clusters and inject faults (docs/guides/testing-with-the-simulator.md). Ctrl-C or SIGTERM stops it.',
  ],
  async run(args, io, usage) {
    const sim = await startSimulator(optionsFrom(parseFlags(usage, args, SIMULATOR_FLAGS), usage));
    const clusters = sim.store.listClusters().map((c) => `cluster ${c.id} ${c.engine} ${c.name}\n`);
    const exports = `${URL_VARIABLE}=${sim.url}\n${TOKEN_VARIABLE}=${sim.token}\n`;
    io.stdout.write(`dodb simulator listening on ${sim.url}\n${exports}${clusters.join('')}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sim.close();
    io.stdout.write('dodb simulator stopped\n');
    return 0;
  },
};

/** The simulator's options from the flags; a flag not given leaves the simulator's default. */
function optionsFrom(flags: Flags, usage: string): SimulatorOptions {
  const number = (flag: TextFlag, max: number) => {
    const text = flags[flag];
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) > max) {
      throw new UsageError(`--${flag} must be a whole number from 0 to ${max} (got "${text}")`, usage);
    }
    return Number(text);
  };
  // Only the clock may be negative: behind this machine's, as created_at then shows.
  const duration = (flag: TextFlag, signed = false) => {
    const text = flags[flag];
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined || (ms < 0 && !signed)) {
      throw new UsageError(`--${flag} must be a Go duration such as 3s or 1m (got "${text}")`, usage);
    }
    return ms;
  };
  const stop = flags['syncing-stops-as'];
  if (stop !== undefined && !SYNCING_STOPS.includes(stop as SyncingStop)) {
    throw new UsageError(`--syncing-stops-as must be one of ${SYNCING_STOPS.join(', ')} (got "${stop}")`, usage);
  }
  return {
    port: number('port', 65535),
    token: flags.token,
    stateFile: flags.state,
    syncDelayMs: duration('sync-delay'),
    rateLimit: number('rate-limit', 1e9),
    rateWindowMs: duration('rate-window'),
    burstLimit: number('burst-limit', 1e9),
    refuseConcurrent: !flags['allow-concurrent'],
    clockSkewMs: duration('clock-skew', true),
    syncingStopsAs: stop as SyncingStop | undefined,
  };
}
