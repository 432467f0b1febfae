import { nodeTooOld } from '../node-version';
import { VERSION } from '../version';
import { type Command, type Io, UsageError, parseFlags, print, synopses, usageOf } from './command';
import { EXIT_CODES_HELP, failureOf } from './exit-codes';
import { startCommand } from './migration/start';
import { statusCommand } from './migration/status';
import { stopCommand } from './migration/stop';
import { watchCommand } from './migration/watch';
import { simulatorCommand } from './simulator-command';
import { lockCommand, terraformrcCommand } from './terraform-setup';

const COMMANDS: Command[] = [
  statusCommand,
  startCommand,
  stopCommand,
  watchCommand,
  simulatorCommand,
  terraformrcCommand,
  lockCommand,
];

const VERSION_COMMAND: Command = {
  name: 'version',
  synopsis: [''],
  run(args, io, usage) {
    parseFlags(usage, args, {});
    return print(io, `dodb ${VERSION}`);
  },
};

/** `dodb help`: every command, then what the commands' own usages add, each paragraph once. */
const USAGE = [
  `usage:\n${synopses([...COMMANDS, VERSION_COMMAND])}`,
  ...new Set(COMMANDS.flatMap((c) => c.notes ?? [])),
  '`dodb <command> --help` lists its flags, what they do and their defaults.',
  EXIT_CODES_HELP,
].join('\n\n');

/** The command `argv` names (its words first), and the arguments after them. */
function commandOf(argv: string[]): [Command, string[]] {
  const [first, second] = argv;
  if (first === '--version') return [VERSION_COMMAND, argv.slice(1)];
  for (const command of [...COMMANDS, VERSION_COMMAND]) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return [command, argv.slice(words.length)];
  }
  throw new UsageError(`unknown command "${[first, second].filter(Boolean).join(' ')}"`, USAGE);
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    if (argv[0] === undefined || ['help', '--help', '-h'].includes(argv[0])) return print(io, USAGE);
    const [command, args] = commandOf(argv);
    // `--help` anywhere among a command's flags asks for its usage, not for the command.
    if (args.includes('--help') || args.includes('-h')) return print(io, usageOf(command));
    return await command.run(args, io, usageOf(command));
  } catch (error) {
    const failure = failureOf(error);
    if (!failure) throw error;
    // --json asks for one JSON object on stdout, errors included (even one in the flags that ask for it).
    if (argv.includes('--json')) {
      const { code, message, exitCode, httpStatus } = failure;
      print(io, JSON.stringify({ error: { code, message, exit_code: exitCode, http_status: httpStatus } }));
    } else {
      const usage = error instanceof UsageError ? `\n\n${error.usage}` : '';
      io.stderr.write(`dodb: ${failure.message}${usage}\n`);
    }
    return failure.exitCode;
  }
}

if (require.main === module) {
  const tooOld = nodeTooOld('the dodb CLI');
  if (tooOld) {
    process.stderr.write(`dodb: ${tooOld}\n`);
    process.exit(1);
  }
  run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`dodb: internal error: ${(error as Error).stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
