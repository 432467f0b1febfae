export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
  /** Whether a line at this level is written, for callers whose fields cost work to gather; unsaid means yes. */
  shows?(level: Level): boolean;
}

const RANK: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/**
 * The level Terraform will show, from the environment it passes on (TF_LOG_PROVIDER, else
 * TF_LOG): lines below it would be parsed and dropped, which costs time on every call.
 */
function levelFromEnv(env: NodeJS.ProcessEnv): Level {
  const wanted = (env.TF_LOG_PROVIDER || env.TF_LOG || '').toLowerCase();
  if (wanted === 'json') return 'trace';
  return wanted in RANK ? (wanted as Level) : 'warn';
}

/**
 * hclog's JSON line format on stderr, which Terraform shows under TF_LOG with the level kept.
 * Callers pass names and IDs, never values of sensitive attributes.
 */
export function stderrLogger(module: string, minimum: Level = levelFromEnv(process.env)): Logger {
  const enabled = (level: Level) => RANK[level] >= RANK[minimum];
  return {
    shows: enabled,
    log(level, message, fields = {}) {
      if (!enabled(level)) return;
      // go-plugin parses the timestamp with six fractional digits; anything else shows the line raw.
      const timestamp = new Date().toISOString().replace(/Z$/, '000Z');
      process.stderr.write(
        `${JSON.stringify({ '@level': level, '@message': message, '@module': module, '@timestamp': timestamp, ...fields })}\n`,
      );
    },
  };
}
