export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
}

/**
 * hclog's JSON line format on stderr, which Terraform shows under TF_LOG with the level kept.
 * Callers pass names and IDs, never values of sensitive attributes.
 */
export function stderrLogger(module: string): Logger {
  return {
    log(level, message, fields = {}) {
      process.stderr.write(`${JSON.stringify({ '@level': level, '@message': message, '@module': module, '@timestamp': new Date().toISOString(), ...fields })}\n`);
    },
  };
}
