import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DodbError } from '../errors';

type FlagDeclarations = NonNullable<ParseArgsConfig['options']>;

/** A command-line mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends DodbError<'usage'> {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super('usage', message);
  }
}

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: `dodb <name> <its flags>`. */
export interface Command {
  /** The words after `dodb`, such as `migration status`. */
  name: string;
  /** Its flags as the usage shows them, one string per line. */
  synopsis: string[];
  /** Each flag as the usage shows it (`--timeout DURATION`) and what it does, with its default. */
  flags?: FlagHelp[];
  /** What the usage says after the synopses (where values come from, what it refuses): paragraphs, shared ones said once in the help. */
  notes?: string[];
  /** `usage` is the command's own, for the UsageErrors it throws. */
  run(args: string[], io: Io, usage: string): number | Promise<number>;
}

/** The synopsis lines of these commands, continuation lines aligned under the first flag. */
export function synopses(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lead = (name: string, i: number) => (i === 0 ? `dodb ${name.padEnd(width)}` : ' '.repeat(width + 5));
  return commands
    .flatMap(({ name, synopsis }) => synopsis.map((line, i) => `  ${lead(name, i)} ${line}`))
    .map((line) => line.trimEnd())
    .join('\n');
}

export type FlagHelp = [flag: string, what: string];

export function usageOf(command: Command): string {
  const flags = command.flags ?? [];
  const width = Math.max(0, ...flags.map(([flag]) => flag.length));
  const table = flags.map(([flag, what]) => `  ${flag.padEnd(width)}  ${what}`).join('\n');
  return [
    `usage:\n${synopses([command])}`,
    ...(flags.length ? [`flags:\n${table}`] : []),
    ...(command.notes ?? []),
  ].join('\n\n');
}

/**
 * The command's flags, strictly: only those it declares, no positional arguments. A mistake is a
 * UsageError that names the flag, with the command's usage.
 */
export function parseFlags<const O extends FlagDeclarations>(usage: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code?.startsWith('ERR_PARSE_ARGS')) throw error;
    const unknown =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec((error as Error).message)?.[1] : undefined;
    const message = unknown
      ? `Unknown option '${unknown}': this command takes only the flags below`
      : (error as Error).message;
    throw new UsageError(message, usage);
  }
}

export function print(io: Pick<Io, 'stdout'>, text: string): number {
  io.stdout.write(`${text}\n`);
  return 0;
}
